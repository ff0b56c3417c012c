using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// Per-partition statistics merged in partition order are the statistics of one pass, and a row's train/test side
/// and fold are functions of the seed and its global index with the documented distribution.
/// </summary>
public sealed class PartitionStatisticsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double scale = Math.Max(Math.Abs(expected[i]), 1e-300);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Moments_merged_in_partition_order_are_the_moments_of_one_pass(int seed)
    {
        var rng = new System.Random(seed);
        string dir = Path.Combine(_dir.Path, "d");
        Directory.CreateDirectory(dir);
        for (int f = 0; f < 3; f++)
        {
            int rows = rng.Next(200, 400);
            // A large offset and a tiny spread: what a careless merge (Σx² − n·x̄²) gets wrong. (As in ColumnMomentsTests:
            // mean/std ≈ 3·10⁴; the merge's error grows with that ratio, as every merge from means does.)
            ParquetTestFile.Write(Path.Combine(dir, $"part-{f}.parquet"), rng.Next(20, 90),
                ParquetTestColumn.Of("big", Enumerable.Range(0, rows).Select(_ => 1e4 + rng.NextDouble()).ToArray()),
                ParquetTestColumn.Of("tiny", Enumerable.Range(0, rows).Select(_ => 1e-4 * rng.NextDouble() + f).ToArray()),
                ParquetTestColumn.Of("y", Enumerable.Range(0, rows).Select(_ => rng.NextDouble() - 0.5).ToArray()));
        }
        var data = PartitionedDataset.Resolve(dir);
        Assert.True(data.Partitions.Count > 6);

        var partials = data.Partitions.Select(p =>
        {
            using var reader = PartitionReader.OpenTraining(p, null, blockSize: 64);
            return PartitionMoments.Of(reader);
        }).ToList();
        var merged = PartitionMoments.Merge(partials);

        // One pass over all rows at once: the textbook two-pass moments.
        var all = Matrix<double>.Build.DenseOfRows(data.Files.SelectMany(f =>
        {
            var table = ParquetTable.Read(f, null);
            int columns = table.Columns.Count;
            return Enumerable.Range(0, table.RowCount).Select(r => table.Values.AsSpan(r * columns, columns).ToArray());
        }));
        var onePass = ColumnMoments.Of(all, all.RowCount);
        Assert.Equal(onePass.Count, merged.Features.Count);
        AssertClose(onePass.Means().Take(2).ToArray(), merged.Features.Means(), 1e-12);
        AssertClose(onePass.Variances().Take(2).ToArray(), merged.Features.Variances(), 1e-12);
        AssertClose([onePass.Means()[2]], merged.Targets.Means(), 1e-12);
        AssertClose([onePass.Variances()[2]], merged.Targets.Variances(), 1e-12);

        // A partial rebuilt from its state (as sent between processes) merges to the same numbers, bitwise.
        var rebuilt = PartitionMoments.Merge(partials.Select(p => new PartitionMoments(
            ColumnMoments.FromState(p.Features.Count, p.Features.Sums, p.Features.SquaredDeviations),
            ColumnMoments.FromState(p.Targets.Count, p.Targets.Sums, p.Targets.SquaredDeviations))));
        Assert.Equal(merged.Features.Variances(), rebuilt.Features.Variances());
        Assert.Equal(merged.Features.Means(), rebuilt.Features.Means());
    }

    [Fact]
    public void Merging_an_empty_accumulator_changes_nothing()
    {
        var x = Matrix<double>.Build.Dense(5, 2, (i, j) => i * 3.0 + j);
        var moments = ColumnMoments.Of(x);
        double[] means = moments.Means(), variances = moments.Variances();
        moments.Merge(new ColumnMoments(2));
        Assert.Equal(means, moments.Means());
        Assert.Equal(variances, moments.Variances());
        var empty = new ColumnMoments(2);
        empty.Merge(ColumnMoments.Of(x));
        Assert.Equal(variances, empty.Variances());
    }

    [Fact]
    public void A_rows_side_depends_on_the_seed_and_its_index_only()
    {
        bool[] sides = Enumerable.Range(0, 1000).Select(r => RowHash.IsTest(7, r, 0.3)).ToArray();
        Assert.Equal(sides, Enumerable.Range(0, 1000).Reverse().Select(r => RowHash.IsTest(7, r, 0.3)).Reverse());
        Assert.NotEqual(sides, Enumerable.Range(0, 1000).Select(r => RowHash.IsTest(8, r, 0.3)));
        // A larger fraction holds out a superset: the side compares one uniform number with the fraction.
        Assert.All(Enumerable.Range(0, 1000).Where(r => sides[r]), r => Assert.True(RowHash.IsTest(7, r, 0.5)));
        Assert.Throws<InvalidInputException>(() => RowHash.IsTest(7, 0, 1.0));
        Assert.Throws<InvalidInputException>(() => RowHash.Fold(7, 0, 1));
    }

    [Theory]
    [InlineData(0.2, 1UL)]
    [InlineData(0.5, 2UL)]
    [InlineData(0.01, 3UL)]
    public void The_test_rows_are_binomial(double fraction, ulong seed)
    {
        const int n = 200_000;
        int test = 0, runs = 0;
        bool previous = false;
        for (long r = 0; r < n; r++)
        {
            bool side = RowHash.IsTest(seed, r, fraction);
            if (side) test++;
            if (r > 0 && side == previous) runs++;
            previous = side;
        }
        double sd = Math.Sqrt(n * fraction * (1 - fraction));
        Assert.InRange(test, n * fraction - 5 * sd, n * fraction + 5 * sd);
        // Neighbouring rows are independent: P(same side) = f² + (1−f)².
        double same = fraction * fraction + (1 - fraction) * (1 - fraction);
        double sdSame = Math.Sqrt(n * same * (1 - same));
        Assert.InRange(runs, n * same - 6 * sdSame, n * same + 6 * sdSame);
    }

    [Fact]
    public void Folds_are_uniform()
    {
        const int n = 100_000, k = 7;
        var counts = new int[k];
        for (long r = 0; r < n; r++) counts[RowHash.Fold(11, r, k)]++;
        double expected = (double)n / k, chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 30, $"χ² = {chi2} over {k - 1} degrees of freedom: {string.Join(", ", counts)}"); // p ≈ 4e-5
    }
}

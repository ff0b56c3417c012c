using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// A worker's row cache gives a partition's row blocks bitwise as the file's reader gives them — for every block size,
/// whether the pass fills the cache or is served by it — so partition computations do not depend on where the rows
/// came from; it keeps whole partitions within its budget, evicting the least recently used, and never keeps one
/// larger than the budget, which streams instead.
/// </summary>
public sealed class PartitionRowCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A CSV dataset cut into byte ranges of about <paramref name="splitSize"/> bytes (2 KB: about 20 rows), or a
    /// Parquet file of row groups of <paramref name="rowGroup"/> rows: 3 features and 2 targets.</summary>
    private PartitionedDataset Dataset(string format, int rows = 600, int seed = 1, int rowGroup = 97, long splitSize = 2048)
    {
        var rng = new System.Random(seed);
        double[][] data = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.NextDouble() * 10 - 5).ToArray()).ToArray();
        if (format == "parquet")
        {
            string path = _dir.PathOf($"data-{seed}.parquet");
            ParquetTestFile.Write(path, rowGroup, Enumerable.Range(0, 5).Select(c =>
                ParquetTestColumn.Of(c < 3 ? $"x{c}" : $"y{c - 3}", data.Select(r => r[c]).ToArray())).ToArray());
            return PartitionedDataset.Resolve(path);
        }
        var csv = new StringBuilder("x0,x1,x2,y0,y1\n");
        for (int i = 0; i < rows; i++)
        {
            csv.AppendLine(string.Join(",", data[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        return PartitionedDataset.Resolve(_dir.Write($"data-{seed}.csv", csv.ToString()), splitSize);
    }

    private static readonly PartitionColumns Columns = new(["x0", "x1", "x2"], ["y0", "y1"], null);

    private static List<RowBlock> Read(IPartitionRows rows, DataPartition partition, int blockSize) =>
        rows.Blocks(partition, Columns, blockSize).ToList();

    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static void AssertSameBlocks(List<RowBlock> expected, List<RowBlock> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int b = 0; b < expected.Count; b++)
        {
            Assert.Equal((expected[b].Index, expected[b].FirstRow, expected[b].Rows), (actual[b].Index, actual[b].FirstRow, actual[b].Rows));
            Assert.Equal(Bits(expected[b].X), Bits(actual[b].X));
            Assert.Equal(Bits(expected[b].Y), Bits(actual[b].Y));
        }
    }

    [Theory]
    [InlineData("csv", true)]
    [InlineData("csv", false)] // row counts unknown: the rows are gathered block by block, then joined
    [InlineData("parquet", true)]
    public void Blocks_filled_into_and_served_from_the_cache_are_bitwise_the_files_blocks_for_every_block_size(string format, bool counted)
    {
        var data = Dataset(format);
        if (counted) data = data.CountRows();
        Assert.True(data.Partitions.Count >= 4, $"{data.Partitions.Count} partitions");
        Assert.Equal(counted || format == "parquet", data.Partitions[0].RowCount.HasValue);
        var cache = new PartitionRowCache(1L << 30);

        int[] sizes = [64, 1, 7, 1024];
        foreach (int size in sizes)
            foreach (var partition in data.Partitions)
                AssertSameBlocks(Read(StreamedPartitionRows.Instance, partition, size), Read(cache, partition, size));

        // Each partition read from its file once (the first block size), then sliced from memory.
        Assert.Equal(data.Partitions.Count, cache.FileReads);
        Assert.Equal((sizes.Length - 1) * data.Partitions.Count, cache.Hits);
        Assert.Equal(data.Partitions.Count, cache.CachedPartitions);
        Assert.Equal(PartitionRowCache.BytesOf(600, Columns), cache.CachedBytes);
        Assert.Equal(0, cache.Evictions);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Partition_computations_over_cached_rows_are_bitwise_those_over_the_file_with_and_without_a_split(string format)
    {
        // Partitions of more than one block of every computation (1024 rows): about 2300 rows each.
        var data = Dataset(format, rows: 5000, rowGroup: 2300, splitSize: 240_000).CountRows();
        Assert.True(data.Partitions.Count >= 2 && data.Partitions.Count(p => p.RowCount > 2 * BlockPlan.DefaultRowBlock) >= 2,
            string.Join(", ", data.Partitions.Select(p => p.RowCount)));
        var kernel = KernelSpec.Parse("rbf:gamma=0.5");
        var all = data.Partitions.SelectMany(p => Read(StreamedPartitionRows.Instance, p, 1024)).ToList();
        var pre = Preprocessor.Fit(all.Select(b => b.X).Aggregate((a, b) => a.Stack(b)), all.Select(b => b.Y).Aggregate((a, b) => a.Stack(b)),
            standardize: true, scaleTarget: true, normalize: false);
        var draws = PlainSampler.Sample(kernel, 3, 40, 7);
        var model = new KrrModel
        {
            ProgramVersion = "test", Kernel = kernel, Lambda = 0.1, Seed = 7, Sampling = "plain", Formulation = RidgeFormulation.Primal,
            FeatureNames = Columns.FeatureNames, TargetNames = Columns.TargetNames, Preprocessing = pre, Draws = draws,
            Coefficients = Matrix<double>.Build.Dense(draws.ColumnCount, 2, (i, j) => Math.Sin(i + 3 * j)),
        };

        var cache = new PartitionRowCache(1L << 30);
        var train = new RowSplit(5, 0.3, TestSide: false);
        foreach (var split in new[] { null, train, train.OtherSide() })
        {
            foreach (var partition in data.Partitions)
            {
                // Twice through the cache: the first pass fills it, the second is served by it.
                for (int pass = 0; pass < 2; pass++)
                {
                    var (fileMoments, cachedMoments) = (PartitionComputations.Moments(partition, Columns, split),
                        PartitionComputations.Moments(partition, Columns, split, cache));
                    foreach (var (f, c) in new[] { (fileMoments.Features, cachedMoments.Features), (fileMoments.Targets, cachedMoments.Targets) })
                    {
                        Assert.Equal(f.Count, c.Count);
                        Assert.Equal(f.Sums.Select(BitConverter.DoubleToInt64Bits), c.Sums.Select(BitConverter.DoubleToInt64Bits));
                        Assert.Equal(f.SquaredDeviations.Select(BitConverter.DoubleToInt64Bits), c.SquaredDeviations.Select(BitConverter.DoubleToInt64Bits));
                    }
                    var (fileGram, cachedGram) = (PartitionComputations.Gram(partition, Columns, split, pre, draws),
                        PartitionComputations.Gram(partition, Columns, split, pre, draws, cache));
                    Assert.Equal(fileGram.Rows, cachedGram.Rows);
                    Assert.Equal(Bits(fileGram.Gram), Bits(cachedGram.Gram));
                    Assert.Equal(Bits(fileGram.Cross), Bits(cachedGram.Cross));
                    Assert.Equal(fileGram.Squares.Select(BitConverter.DoubleToInt64Bits), cachedGram.Squares.Select(BitConverter.DoubleToInt64Bits));
                    var (fileErrors, cachedErrors) = (PartitionComputations.SquaredErrors(partition, Columns, split, model),
                        PartitionComputations.SquaredErrors(partition, Columns, split, model, cache));
                    Assert.Equal(fileErrors.Rows, cachedErrors.Rows);
                    Assert.Equal(fileErrors.Sums.Select(BitConverter.DoubleToInt64Bits), cachedErrors.Sums.Select(BitConverter.DoubleToInt64Bits));
                }
            }
        }
        // Read from the files once: every later pass, of any computation, block size or side of the split, from memory.
        Assert.Equal(data.Partitions.Count, cache.FileReads);
        Assert.Equal(3 * 2 * 3 * data.Partitions.Count - data.Partitions.Count, cache.Hits);
    }

    [Fact]
    public void The_cache_keeps_whole_partitions_within_its_budget_evicting_the_least_recently_used()
    {
        // Parquet row groups of 97 rows × 5 columns: 3880 bytes each; the last group of 600 rows holds 18.
        var data = Dataset("parquet");
        var p = data.Partitions;
        long one = PartitionRowCache.BytesOf(97, Columns);
        var cache = new PartitionRowCache(2 * one + one / 2); // room for two partitions, not three

        Read(cache, p[0], 64);
        Read(cache, p[1], 64);
        Assert.Equal((2, 2 * one, 0L), (cache.CachedPartitions, cache.CachedBytes, cache.Evictions));
        Read(cache, p[2], 64); // evicts p[0], the least recently used
        Assert.Equal((2, 2 * one, 1L), (cache.CachedPartitions, cache.CachedBytes, cache.Evictions));
        Assert.False(cache.Contains(p[0], Columns));
        Assert.True(cache.Contains(p[1], Columns) && cache.Contains(p[2], Columns));

        Read(cache, p[1], 64); // a hit: p[1] is now the most recently used
        Read(cache, p[0], 64); // read again from its file, evicting p[2]
        Assert.True(cache.Contains(p[0], Columns) && cache.Contains(p[1], Columns));
        Assert.False(cache.Contains(p[2], Columns));
        Assert.Equal((4L, 1L, 2L), (cache.FileReads, cache.Hits, cache.Evictions));
        Assert.True(cache.CachedBytes <= cache.BudgetBytes);

        // Other columns of the same partition are other rows: kept apart.
        var fewer = new PartitionColumns(["x0", "x1"], ["y0"], ["x0", "x1", "y0"]);
        Assert.False(cache.Contains(p[0], fewer));
        cache.Clear();
        Assert.Equal((0, 0L), (cache.CachedPartitions, cache.CachedBytes));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the row count unknown: the cache learns the partition is too large while reading it
    public void A_partition_larger_than_the_budget_is_never_kept_and_streams_on_every_pass(bool counted)
    {
        var data = Dataset("csv");
        if (counted) data = data.CountRows();
        var partition = data.Partitions[0];
        var cache = new PartitionRowCache(PartitionRowCache.BytesOf(10, Columns));
        for (int pass = 0; pass < 2; pass++)
            AssertSameBlocks(Read(StreamedPartitionRows.Instance, partition, 16), Read(cache, partition, 16));
        Assert.Equal((2L, 0L, 0, 0L), (cache.FileReads, cache.Hits, cache.CachedPartitions, cache.CachedBytes));

        var none = new PartitionRowCache(0); // --memory 0: nothing is kept
        Read(none, partition, 16);
        Read(none, partition, 16);
        Assert.Equal((2L, 0), (none.FileReads, none.CachedPartitions));
    }

    [Fact]
    public void A_pass_abandoned_before_its_last_block_keeps_nothing()
    {
        var partition = Dataset("parquet").Partitions[0];
        var cache = new PartitionRowCache(1L << 30);
        Assert.Single(cache.Blocks(partition, Columns, 10).Take(1));
        Assert.False(cache.Contains(partition, Columns));
        Read(cache, partition, 10);
        Assert.True(cache.Contains(partition, Columns));
    }

    [Fact]
    public void A_file_changed_since_its_rows_were_kept_fails_the_pass_with_one_line_as_without_the_cache()
    {
        var data = Dataset("csv").CountRows();
        var partition = data.Partitions[0];
        var cache = new PartitionRowCache(1L << 30);
        Read(cache, partition, 64);
        File.AppendAllText(partition.Path, "1,2,3,4,5\n");
        var error = Assert.Throws<InvalidInputException>(() => Read(cache, partition, 64));
        Assert.StartsWith($"{partition.Path}: the file changed since the job started", error.Message);
        Assert.Equal(0, cache.Hits);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// One streaming pass of column moments gives the preprocessing of the whole data in memory: bitwise the same
/// as <see cref="Preprocessor.Fit"/>, and within 1e-12 of the textbook two-pass mean and standard deviation.
/// </summary>
public sealed class ColumnMomentsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>n rows: columns with a large offset, a tiny spread, mixed signs, and a constant column.</summary>
    private static Matrix<double> Data(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(n, 4, (i, j) => j switch
        {
            0 => 1e4 + rng.NextDouble(),           // mean ≫ std: what one-pass Σx² formulas get wrong
            1 => 1e-3 * (rng.NextDouble() - 0.5),
            2 => 100 * (rng.NextDouble() - 0.5) + (i % 7),
            _ => 0.1 + 0.2,                        // constant (and not exactly 0.3)
        });
    }

    /// <summary>The textbook two-pass population mean and std of each column, over the whole column at once.</summary>
    private static (double[] Means, double[] Stds) TwoPass(Matrix<double> m)
    {
        var means = new double[m.ColumnCount];
        var stds = new double[m.ColumnCount];
        for (int c = 0; c < m.ColumnCount; c++)
        {
            double sum = 0;
            for (int r = 0; r < m.RowCount; r++) sum += m[r, c];
            double mean = sum / m.RowCount, squares = 0;
            for (int r = 0; r < m.RowCount; r++) squares += (m[r, c] - mean) * (m[r, c] - mean);
            means[c] = mean;
            stds[c] = Math.Sqrt(squares / m.RowCount);
        }
        return (means, stds);
    }

    private static void AssertClose(double expected, double actual, double relative)
    {
        double scale = Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(Math.Abs(expected - actual) <= relative * scale, $"expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData(5000, 1024)] // five blocks, the last one short
    [InlineData(5000, 1)]    // the worst case for merging: one row at a time
    [InlineData(5000, 333)]
    public void Block_merged_moments_are_the_two_pass_ones_within_1e_12(int n, int blockSize)
    {
        var x = Data(n, 3);
        var moments = ColumnMoments.Of(x, blockSize);
        var (means, stds) = TwoPass(x);
        Assert.Equal(n, moments.Count);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(means[c], moments.Means()[c]); // the mean is the plain running sum, whatever the blocks
            AssertClose(stds[c], Math.Sqrt(moments.Variances()[c]), 1e-12);
        }
    }

    [Fact]
    public void One_block_is_exactly_the_two_pass_algorithm()
    {
        var x = Data(1000, 4);
        var moments = ColumnMoments.Of(x, 1000);
        var (means, stds) = TwoPass(x);
        Assert.Equal(means, moments.Means());
        Assert.Equal(stds, moments.Variances().Select(Math.Sqrt).ToArray());
    }

    [Fact]
    public void The_preprocessing_of_a_streamed_file_is_bitwise_that_of_the_loaded_file()
    {
        var x = Data(3500, 5);
        var lines = new List<string> { "big,small,mixed,constant,y" };
        for (int i = 0; i < x.RowCount; i++)
            lines.Add(string.Join(",", x.Row(i).Append(x[i, 0] * 2 - x[i, 2]).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        string path = _dir.Write("train.csv", string.Join("\n", lines) + "\n");

        var loaded = Dataset.FromTable(CsvTable.Read(path), null);
        var features = new ColumnMoments(4);
        var targets = new ColumnMoments(1);
        using (var reader = CsvRowBlockReader.OpenTraining(path, null))
        {
            while (reader.ReadBlock() is { } block)
            {
                features.Add(block.X);
                targets.Add(block.Y);
            }
        }

        foreach (var (standardize, scaleTarget) in new[] { (true, false), (false, true), (true, true) })
        {
            var inMemory = Preprocessor.Fit(loaded.X, loaded.Y, standardize, scaleTarget, normalize: true);
            var streamed = Preprocessor.FromMoments(features, targets, standardize, scaleTarget, normalize: true);
            Assert.Equal(inMemory.FeatureMeans, streamed.FeatureMeans);
            Assert.Equal(inMemory.FeatureScales, streamed.FeatureScales);
            Assert.Equal(inMemory.TargetMeans, streamed.TargetMeans);
            Assert.Equal(inMemory.TargetScales, streamed.TargetScales);

            // …and both are the textbook statistics of the loaded data within 1e-12.
            var (means, stds) = TwoPass(loaded.X);
            var (targetMeans, targetStds) = TwoPass(loaded.Y);
            if (standardize)
            {
                for (int c = 0; c < 3; c++)
                {
                    AssertClose(means[c], streamed.FeatureMeans[c], 1e-12);
                    AssertClose(stds[c], streamed.FeatureScales[c], 1e-12);
                }
                Assert.Equal(1.0, streamed.FeatureScales[3]); // the constant column is only centred
            }
            AssertClose(targetMeans[0], streamed.TargetMeans[0], 1e-12);
            if (scaleTarget) AssertClose(targetStds[0], streamed.TargetScales[0], 1e-12);
        }
    }

    [Fact]
    public void Adding_nothing_changes_nothing_and_shapes_are_checked()
    {
        var moments = new ColumnMoments(2);
        moments.Add(Matrix<double>.Build.Dense(0, 2));
        Assert.Equal(0, moments.Count);
        Assert.Throws<ArgumentException>(() => moments.Add(Matrix<double>.Build.Dense(3, 1)));
        Assert.Throws<ArgumentException>(() => Preprocessor.FromMoments(moments, new ColumnMoments(1), true, false, false));
    }
}

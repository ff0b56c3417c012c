using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class TrainTestSplitTests
{
    /// <summary>Row i has feature i and target 10·i, so a row's original index can be read back from any part.</summary>
    private static Dataset Numbered(int n) => new(
        ["i"], Matrix<double>.Build.Dense(n, 1, (r, _) => r),
        ["y"], Matrix<double>.Build.Dense(n, 1, (r, _) => 10 * r));

    private static int[] Indices(Dataset part) => part.X.Column(0).Select(v => (int)v).ToArray();

    [Fact]
    public void Same_seed_gives_same_split()
    {
        var (train1, test1) = TrainTestSplit.Split(Numbered(100), 0.2, 42);
        var (train2, test2) = TrainTestSplit.Split(Numbered(100), 0.2, 42);
        Assert.Equal(Indices(train1), Indices(train2));
        Assert.Equal(Indices(test1), Indices(test2));
    }

    [Fact]
    public void Different_seeds_give_different_splits()
    {
        var (_, test1) = TrainTestSplit.Split(Numbered(100), 0.2, 1);
        var (_, test2) = TrainTestSplit.Split(Numbered(100), 0.2, 2);
        Assert.NotEqual(Indices(test1), Indices(test2));
    }

    [Fact]
    public void Every_row_lands_in_exactly_one_part_in_original_order()
    {
        var (train, test) = TrainTestSplit.Split(Numbered(101), 0.25, 7);
        int[] trainRows = Indices(train), testRows = Indices(test);

        Assert.Equal(25, testRows.Length); // round(25.25)
        Assert.Equal(76, trainRows.Length);
        Assert.Equal(Enumerable.Range(0, 101), trainRows.Concat(testRows).Order());
        Assert.Equal(trainRows.Order(), trainRows);
        Assert.Equal(testRows.Order(), testRows);

        // Targets travel with their rows.
        for (int r = 0; r < test.Rows; r++) Assert.Equal(10 * test.X[r, 0], test.Y[r, 0]);
        Assert.Equal(["i"], train.FeatureNames);
        Assert.Equal(["y"], test.TargetNames);
    }

    [Theory]
    [InlineData(10, 0.25, 3)]   // 2.5 rounds up
    [InlineData(10, 0.01, 1)]   // at least one test row
    [InlineData(10, 0.99, 9)]   // at least one training row
    [InlineData(2, 0.5, 1)]
    public void Test_size_is_rounded_and_clamped(int n, double fraction, int expected)
    {
        var (train, test) = TrainTestSplit.Split(Numbered(n), fraction, 3);
        Assert.Equal(expected, test.Rows);
        Assert.Equal(n - expected, train.Rows);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Fraction_outside_open_interval_is_rejected(double fraction)
    {
        var error = Assert.Throws<InvalidInputException>(() => TrainTestSplit.Split(Numbered(10), fraction, 1));
        Assert.StartsWith("test fraction must be strictly between 0 and 1, got ", error.Message);
    }

    [Fact]
    public void Single_row_cannot_be_split()
    {
        var error = Assert.Throws<InvalidInputException>(() => TrainTestSplit.Split(Numbered(1), 0.5, 1));
        Assert.Equal("cannot split 1 row into a training and a test part", error.Message);
    }
}

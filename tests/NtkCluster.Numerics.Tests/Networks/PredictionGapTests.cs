using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Evaluation;
using Xunit;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary><see cref="PredictionGap"/>: ‖a − b‖/‖b‖ by its closed form, and the same whether the rows come at once or in parts.</summary>
public sealed class PredictionGapTests
{
    [Fact]
    public void The_gap_is_the_relative_distance_and_adds_over_row_blocks()
    {
        var a = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 2 }, { 3 }, { 5 } });
        var b = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 }, { 0 }, { 4 }, { 5 } });
        // ‖a − b‖² = 0 + 4 + 1 + 0 = 5, ‖b‖² = 1 + 0 + 16 + 25 = 42.
        var whole = PredictionGap.Of(a, b);
        Assert.Equal(new PredictionGap(5, 42, 4), whole);
        Assert.Equal(Math.Sqrt(5.0 / 42.0), whole.Relative, 15);
        var parts = PredictionGap.Zero.Add(PredictionGap.Of(a.SubMatrix(0, 3, 0, 1), b.SubMatrix(0, 3, 0, 1)))
            .Add(PredictionGap.Of(a.SubMatrix(3, 1, 0, 1), b.SubMatrix(3, 1, 0, 1)));
        Assert.Equal(whole, parts);
        Assert.Equal(0, PredictionGap.Of(b, b).Relative);
        Assert.Throws<ArgumentException>(() => PredictionGap.Of(a, b.SubMatrix(0, 3, 0, 1)));
    }
}

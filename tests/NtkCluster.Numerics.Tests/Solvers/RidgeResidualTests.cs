using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Solvers;
using Xunit;

namespace NtkCluster.Numerics.Tests.Solvers;

/// <summary>The training error from the normal equations against the residual of the explicit predictions.</summary>
public sealed class RidgeResidualTests
{
    private static (Matrix<double> Psi, Matrix<double> Y) Problem(int n, int m, int t, double noise, int seed)
    {
        var rng = new System.Random(seed);
        var psi = Matrix<double>.Build.Dense(n, m, (_, _) => rng.NextDouble() * 2 - 1);
        var truth = Matrix<double>.Build.Dense(m, t, (_, _) => rng.NextDouble() * 2 - 1);
        var y = psi * truth + Matrix<double>.Build.Dense(n, t, (_, _) => noise * (rng.NextDouble() * 2 - 1));
        return (psi, y);
    }

    private static double[] Squares(Matrix<double> y) =>
        Enumerable.Range(0, y.ColumnCount).Select(j => y.Column(j).Sum(v => v * v)).ToArray();

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(3.0, 1.0)]
    [InlineData(0.5, 2.5)]
    public void Noisy_fits_get_the_explicit_residual_to_ten_digits(double noise, double scale)
    {
        var (psi, y) = Problem(500, 40, 2, noise, 3);
        var gram = psi.TransposeThisAndMultiply(psi);
        var cross = psi.TransposeThisAndMultiply(y);
        var beta = RidgeSolver.Solve(gram, 0.1, cross);
        var residual = (y - psi * beta) * scale;
        double explicitMse = residual.PointwisePower(2).Enumerate().Sum() / (500.0 * 2);
        double? fromNormalEquations = RidgeResidual.MeanSquaredError(gram, cross, beta, Squares(y), [scale, scale], 500);
        Assert.NotNull(fromNormalEquations);
        Assert.True(Math.Abs(fromNormalEquations!.Value - explicitMse) <= 1e-10 * explicitMse,
            $"{fromNormalEquations:R} against {explicitMse:R}");
    }

    [Fact]
    public void A_nearly_exact_fit_is_left_to_the_explicit_pass()
    {
        // yᵀy/‖r‖² far above 10⁶: the identity would keep few or no correct digits.
        var (psi, y) = Problem(500, 40, 1, 1e-6, 4);
        var gram = psi.TransposeThisAndMultiply(psi);
        var cross = psi.TransposeThisAndMultiply(y);
        var beta = RidgeSolver.Solve(gram, 1e-12, cross);
        Assert.Null(RidgeResidual.MeanSquaredError(gram, cross, beta, Squares(y), [1.0], 500));
    }
}

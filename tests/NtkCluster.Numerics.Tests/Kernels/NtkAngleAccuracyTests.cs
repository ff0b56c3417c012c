using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Kernels;

/// <summary>
/// The NTK at nearly parallel inputs, where arccos of a rounded cosine loses half the digits: K(x,x) = ‖x‖²/2
/// exactly (θ = 0), and at a tiny known angle φ, K = xᵀz·(π−φ)/(2π) to full precision.
/// </summary>
public sealed class NtkAngleAccuracyTests
{
    private static readonly NtkKernel Ntk = new();

    [Fact]
    public void Diagonal_is_half_the_squared_norm_to_rounding()
    {
        var rng = new System.Random(5);
        var x = Matrix<double>.Build.Dense(50, 16, (_, _) => rng.NextDouble() * 4 - 1);
        var k = Ntk.Evaluate(x, x);
        for (int i = 0; i < x.RowCount; i++)
        {
            double expected = x.Row(i).DotProduct(x.Row(i)) / 2;
            Assert.InRange(Math.Abs(k[i, i] - expected) / expected, 0, 4e-16);
            Assert.InRange(Math.Abs(Ntk.Evaluate(x.Row(i).ToArray(), x.Row(i).ToArray()) - expected) / expected, 0, 4e-16);
        }
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-6)]
    [InlineData(1e-9)]
    [InlineData(Math.PI - 1e-7)]
    public void Known_small_angles_are_accurate(double phi)
    {
        // x = 3·e1, z = 2·(cos φ·e1 + sin φ·e2): θ = φ up to the rounding of cos φ and sin φ themselves.
        double[] x = [3, 0, 0], z = [2 * Math.Cos(phi), 2 * Math.Sin(phi), 0];
        double xz = 3 * z[0];
        double expected = xz * (Math.PI - phi) / (2 * Math.PI);
        double scalar = Ntk.Evaluate(x, z);
        double block = Ntk.Evaluate(Matrix<double>.Build.DenseOfRowArrays(x), Matrix<double>.Build.DenseOfRowArrays(z))[0, 0];
        double scale = Math.Abs(xz) / 2;   // K's size: relative error against it, as K → 0 at θ = π
        Assert.InRange(Math.Abs(scalar - expected) / scale, 0, 1e-14);
        Assert.InRange(Math.Abs(block - expected) / scale, 0, 1e-14);
    }
}

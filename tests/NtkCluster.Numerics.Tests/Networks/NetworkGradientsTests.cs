using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;
using Xunit;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// <see cref="NetworkGradients"/>, the per-partition arithmetic of data-parallel training, against Def 3.5 written out
/// independently: the gradient partial against central differences of ½‖Y − κ·f(W,X)‖², its sum of squares against
/// the residual, the kernel product against an explicit NTK feature matrix Φ with H(0) = ΦΦᵀ, and the pattern flips
/// against a direct count.
/// </summary>
public sealed class NetworkGradientsTests
{
    private const int N = 10, D = 3, Width = 20;

    /// <summary>Rows, targets and a network whose pre-activations stay at least 1e-3 from the ReLU kink.</summary>
    private static (Matrix<double> X, double[] Y, Matrix<double> W, double[] Signs, double[] Factors) Network(int seed) =>
        KinkFreeNetwork(N, D, Width, seed);

    [Theory]
    [InlineData(1.0, 3)]
    [InlineData(0.4, 8)]
    public void The_gradient_partial_matches_central_differences_of_the_unregularized_loss(double kappa, int seed)
    {
        const double h = 1e-6;
        var (x, y, w, signs, factors) = Network(seed);
        var point = new NetworkPoint(NetworkRoundKind.Gradient, w, NetworkPoint.OutputScales(Width, signs, factors), kappa, null);
        // Two calls of 6 and 4 rows: a partition's row blocks, added in order.
        var partial = NetworkGradients.Accumulate(point, x.SubMatrix(0, 6, 0, D), y[..6], NetworkRoundPartial.Zero(Width, D));
        partial = NetworkGradients.Accumulate(point, x.SubMatrix(6, 4, 0, D), y[6..], partial);
        Assert.Equal(N, partial.Rows);

        var f = F(w, signs, factors, Width, x);
        double squares = y.Select((v, i) => (v - kappa * f[i]) * (v - kappa * f[i])).Sum();
        Assert.Equal(squares, partial.Squares, 1e-12);

        double maxError = 0, maxValue = 0;
        for (int r = 0; r < Width; r++)
        {
            for (int j = 0; j < D; j++)
            {
                var plus = w.Clone();
                plus[r, j] += h;
                var minus = w.Clone();
                minus[r, j] -= h;
                // λ = 0: the partial is the data term only; the coordinator adds λ·W once.
                double numeric = (Loss(plus, signs, factors, Width, x, y, kappa, 0) - Loss(minus, signs, factors, Width, x, y, kappa, 0)) / (2 * h);
                maxError = Math.Max(maxError, Math.Abs(numeric - partial.Sum[r, j]));
                maxValue = Math.Max(maxValue, Math.Abs(numeric));
            }
        }
        Assert.True(maxValue > 0.1, $"the gradient is negligible ({maxValue:E2}): the check would be vacuous");
        Assert.True(maxError <= 1e-6 * (1 + maxValue), $"gradient partial differs from central differences by {maxError:E2} (largest entry {maxValue:E2})");
    }

    [Fact]
    public void The_gradient_partial_is_the_neuron_blocks_gradient_without_its_ridge_term()
    {
        var (x, y, w, signs, factors) = Network(11);
        const double kappa = 0.7, lambda = 0.3;
        var block = new NeuronBlock(new NetworkSetup(Width, kappa, lambda, 0.1), w, signs, factors);
        var residual = block.Outputs(x).Select((u, i) => y[i] - kappa * u).ToArray();
        var expected = block.Gradient(x, residual) - lambda * w;
        var partial = NetworkGradients.Accumulate(new NetworkPoint(NetworkRoundKind.Gradient, w, NetworkPoint.OutputScales(Width, signs, factors), kappa, null),
            x, y, NetworkRoundPartial.Zero(Width, D));
        Assert.True((expected - partial.Sum).FrobeniusNorm() <= 1e-12 * expected.FrobeniusNorm(), "the partial is not the block's data gradient");
    }

    [Fact]
    public void The_kernel_product_is_phi_transpose_phi_v_for_the_feature_map_of_H0()
    {
        var (x, _, w0, _, factors) = Network(5);
        var v = GaussianMatrix(Width, D, new System.Random(9));
        var scales = NetworkPoint.FeatureScales(Width, factors);
        // Φ_i,(r,j) = (c_r/√m)·1[w_r(0)ᵀx_i ≥ 0]·x_ij, columns neuron-major.
        var phi = Matrix<double>.Build.Dense(N, Width * D, (i, k) => Dot(w0, k / D, x, i) >= 0 ? scales[k / D] * x[i, k % D] : 0.0);
        var vFlat = Vector<double>.Build.Dense(Width * D, k => v[k / D, k % D]);
        var phiV = phi * vFlat;
        var expected = phi.TransposeThisAndMultiply(phiV);

        var partial = NetworkGradients.Accumulate(new NetworkPoint(NetworkRoundKind.KernelProduct, v, scales, 1.0, w0), x, new double[N],
            NetworkRoundPartial.Zero(Width, D));
        Assert.Equal(phiV.DotProduct(phiV), partial.Squares, 1e-12);
        for (int k = 0; k < Width * D; k++) Assert.Equal(expected[k], partial.Sum[k / D, k % D], 1e-12);
        // And ΦΦᵀ is the finite-width kernel H(0) the in-memory trainer takes its step size from.
        var h0 = new NeuronBlock(new NetworkSetup(Width, 1, 0.1, 0.1), w0, Enumerable.Repeat(1.0, Width).ToArray(), factors).KernelPart(x, initial: true);
        Assert.True((phi.TransposeAndMultiply(phi) - h0).FrobeniusNorm() <= 1e-12 * h0.FrobeniusNorm(), "ΦΦᵀ is not H(0)");
    }

    [Fact]
    public void Pattern_flips_count_the_activations_that_differ_from_the_initial_weights()
    {
        var (x, y, w0, signs, factors) = Network(6);
        var w = w0.Clone();
        for (int r = 0; r < Width; r += 3) w.SetRow(r, -w0.Row(r)); // every third neuron flips on every row
        long expected = 0;
        for (int i = 0; i < N; i++)
            for (int r = 0; r < Width; r++) if ((Dot(w, r, x, i) >= 0) != (Dot(w0, r, x, i) >= 0)) expected++;
        Assert.Equal(7 * N, expected); // neurons 0, 3, …, 18, no pre-activation at 0
        var partial = NetworkGradients.Accumulate(new NetworkPoint(NetworkRoundKind.Gradient, w, NetworkPoint.OutputScales(Width, signs, factors), 1.0, w0),
            x, y, NetworkRoundPartial.Zero(Width, D));
        Assert.Equal(expected, partial.PatternFlips);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Tests.Sampling;
using Xunit;
using Xunit.Abstractions;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// The finite-width kernel H(0)_ij = (1/m)·Σ_r c_r²·x_iᵀx_j·1[w_rᵀx_i ≥ 0]·1[w_rᵀx_j ≥ 0] of the initial network,
/// summed over neuron blocks, and its convergence to the closed-form NTK H (§3.2, eq. 8) as the width grows.
/// </summary>
public sealed class NetworkKernelTests(ITestOutputHelper output)
{
    private const int N = 40, D = 5;

    [Fact]
    public void Kernel_part_is_the_definition_with_squared_factors_at_current_and_initial_weights()
    {
        var rng = new System.Random(21);
        var x = GaussianMatrix(10, 3, rng);
        var w = GaussianMatrix(13, 3, rng);
        var signs = RandomSigns(13, rng);
        var factors = RandomFactors(13, rng);
        const int width = 20; // the block is part of a wider network: the 1/m uses the whole width
        var block = new NeuronBlock(new NetworkSetup(width, 1.0, 0.01, 1.0), w, signs, factors);

        Matrix<double> Direct(Matrix<double> weights) => Matrix<double>.Build.Dense(10, 10, (i, j) =>
        {
            double s = 0;
            for (int r = 0; r < 13; r++)
                if (Dot(weights, r, x, i) >= 0 && Dot(weights, r, x, j) >= 0) s += factors[r] * factors[r];
            return s * x.Row(i).DotProduct(x.Row(j)) / width;
        });

        var initial = Direct(w);
        double error = (block.KernelPart(x) - initial).FrobeniusNorm() / initial.FrobeniusNorm();
        Assert.True(error < 1e-13, $"KernelPart: relative error {error:E2}");
        Assert.Equal(Bits(block.KernelPart(x)), Bits(block.KernelPart(x, initial: true)));

        var y = Enumerable.Range(0, 10).Select(_ => 3 * Gaussian(rng)).ToArray();
        for (int t = 0; t < 5; t++)
        {
            var u = block.Outputs(x);
            block.Advance(x, y.Select((v, i) => v - u[i]).ToArray());
        }
        var moved = Direct(block.Weights);
        Assert.True((block.KernelPart(x) - moved).FrobeniusNorm() <= 1e-13 * moved.FrobeniusNorm(), "KernelPart at the current weights");
        Assert.True((block.KernelPart(x, initial: true) - initial).FrobeniusNorm() <= 1e-13 * initial.FrobeniusNorm(), "KernelPart at the initial weights");
    }

    /// <summary>
    /// H(0) for a network of width m, block by block as the trainer splits it (blocks of 1024). With
    /// <paramref name="scales"/>, neuron weights are drawn from q = N(0, diag(s²)) instead of p = N(0, I); with
    /// <paramref name="importanceFactors"/> they carry c_r = √(p(w_r)/q(w_r)) (the reweighting of Def 3.8), so that
    /// E_q[c²·φφᵀ] = E_p[φφᵀ] = H.
    /// </summary>
    private static Matrix<double> InitialKernel(Matrix<double> x, int m, ulong seed, double[]? scales = null, bool importanceFactors = false)
    {
        var setup = new NetworkSetup(m, 1.0, 0.01, 1.0);
        var h = Matrix<double>.Build.Dense(x.RowCount, x.RowCount);
        for (int b = 0, start = 0; start < m; b++, start += NetworkInitializer.BlockSize)
        {
            int count = Math.Min(NetworkInitializer.BlockSize, m - start);
            var w = NetworkInitializer.GaussianWeights(D, seed, b, count);
            var factors = Enumerable.Repeat(1.0, count).ToArray();
            if (scales is not null)
            {
                for (int r = 0; r < count; r++)
                {
                    double logRatio = 0; // log p(w) − log q(w)
                    for (int j = 0; j < D; j++)
                    {
                        w[r, j] *= scales[j];
                        logRatio += Math.Log(scales[j]) - 0.5 * w[r, j] * w[r, j] * (1 - 1 / (scales[j] * scales[j]));
                    }
                    if (importanceFactors) factors[r] = Math.Exp(0.5 * logRatio);
                }
            }
            var block = new NeuronBlock(setup, w, NetworkInitializer.Signs(seed, b, count), factors);
            h += block.KernelPart(x, initial: true);
        }
        return h;
    }

    [Fact]
    public void Initial_kernel_converges_to_the_closed_form_ntk_like_one_over_root_m()
    {
        var x = SamplingTestSupport.UnitRows(N, D, 5);
        var exact = new NtkKernel().Evaluate(x, x);
        int[] widths = [100, 1600, 25600];
        var errors = widths.Select(m => new[] { 1UL, 2UL, 3UL }
            .Select(seed => (InitialKernel(x, m, seed) - exact).FrobeniusNorm() / exact.FrobeniusNorm()).Average()).ToArray();
        for (int k = 0; k < widths.Length; k++) output.WriteLine($"m = {widths[k]}: mean relative Frobenius error {errors[k]:E3}");
        double r1 = errors[1] / errors[0], r2 = errors[2] / errors[1];
        output.WriteLine($"ratios {r1:F3}, {r2:F3} (1/√16 = 0.25 expected)");
        Assert.True(r1 <= 0.35, $"error ratio 1600/100 = {r1:F3}");
        Assert.True(r2 <= 0.5, $"error ratio 25600/1600 = {r2:F3}");
        // And not suspiciously fast: a Monte Carlo average improves like 1/√m, not faster.
        Assert.True(r1 >= 0.1 && r2 >= 0.1, $"ratios {r1:F3}, {r2:F3} are faster than 1/√m");
        Assert.True(errors[2] < 0.05, $"error at m = 25600: {errors[2]:E3}");
    }

    [Fact]
    public void Importance_weighted_initial_kernel_is_unbiased_too()
    {
        // An anisotropic proposal changes the distribution of activation patterns, so H(0) without the factors is
        // biased; with c_r = √(p/q) it is unbiased again. (Every s_j² > 1/2, so the factors have finite variance.)
        double[] scales = [1.6, 1.0, 0.8, 1.3, 0.9];
        var x = SamplingTestSupport.UnitRows(N, D, 6);
        var exact = new NtkKernel().Evaluate(x, x);
        const int seeds = 4, m = 16384;
        var weighted = new List<double>();
        var plain = new List<double>();
        var sum = Matrix<double>.Build.Dense(N, N);
        for (ulong seed = 1; seed <= seeds; seed++)
        {
            var h = InitialKernel(x, m, seed, scales, importanceFactors: true);
            weighted.Add((h - exact).FrobeniusNorm() / exact.FrobeniusNorm());
            plain.Add((InitialKernel(x, m, seed, scales) - exact).FrobeniusNorm() / exact.FrobeniusNorm());
            sum += h;
        }
        double averaged = ((sum / seeds) - exact).FrobeniusNorm() / exact.FrobeniusNorm();
        output.WriteLine($"with factors: {string.Join(", ", weighted.Select(e => e.ToString("E3")))}; average of the {seeds}: {averaged:E3}");
        output.WriteLine($"without factors: {string.Join(", ", plain.Select(e => e.ToString("E3")))}");
        Assert.All(weighted, e => Assert.True(e < 0.05, $"relative error {e:E3} with factors"));
        // Averaging independent estimates of an unbiased estimator shrinks the error (by about 1/√4 here).
        Assert.True(averaged < 0.75 * weighted.Average(), $"average of {seeds} networks {averaged:E3}, single {weighted.Average():E3}");
        // Without the factors the error stays at the bias, well above the weighted one.
        Assert.True(plain.Min() > 2 * weighted.Max(), $"without factors {plain.Min():E3}, with {weighted.Max():E3}");
    }
}

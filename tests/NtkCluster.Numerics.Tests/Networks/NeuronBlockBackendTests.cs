using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;
using Xunit;
using Xunit.Abstractions;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// <see cref="NeuronBlock"/>'s products on either backend: OpenBLAS dgemm and MathNet's managed provider (the fallback
/// when libopenblas0 is missing) follow the plain-loop gradient descent of Def 3.5 to rounding, and each repeats its own
/// trajectory bitwise, alone or with other blocks stepping on other threads.
/// </summary>
public sealed class NeuronBlockBackendTests(ITestOutputHelper output)
{
    // Wider than OpenBLAS's register blocks and not a multiple of them, with more rows than features.
    private const int N = 203, D = 19, Width = 333, Steps = 25;
    private const double Kappa = 0.8, Lambda = 0.02, Eta = 1e-3;

    private static OpenBlasBackend Native =>
        DenseBackend.OpenBlas ?? throw new InvalidOperationException("libopenblas.so.0 is not installed (apt-get install libopenblas0)");

    private static (Matrix<double> X, double[] Y, Matrix<double> W, double[] Signs, double[] Factors) Data()
    {
        var rng = new System.Random(41);
        var x = GaussianMatrix(N, D, rng);
        var y = Enumerable.Range(0, N).Select(i => Math.Sin(x[i, 0]) + x[i, 1] * x[i, 2]).ToArray();
        return (x, y, GaussianMatrix(Width, D, rng), RandomSigns(Width, rng), RandomFactors(Width, rng));
    }

    /// <summary>Steps one block with the network's own residual; returns its weights and outputs after every step.</summary>
    private static (Matrix<double> Weights, double[] Outputs, long Flips)[] Train(IDenseBackend backend)
    {
        var (x, y, w, signs, factors) = Data();
        var block = new NeuronBlock(new NetworkSetup(Width, Kappa, Lambda, Eta), w, signs, factors, backend: backend);
        var states = new (Matrix<double>, double[], long)[Steps];
        var u = block.Outputs(x);
        for (int t = 0; t < Steps; t++)
        {
            block.Advance(x, y.Select((v, i) => v - Kappa * u[i]).ToArray());
            u = block.Outputs(x);
            states[t] = (block.Weights, u, block.PatternFlips(x));
        }
        return states;
    }

    /// <summary>Plain loops over rows, neurons and features: W(t+1) = W(t) − η·(λW − κ·Σ_i res_i·s_r·1[w_rᵀx_i ≥ 0]·x_i).</summary>
    private static Matrix<double> Reference()
    {
        var (x, y, w, signs, factors) = Data();
        var now = w.Clone();
        for (int t = 0; t < Steps; t++)
        {
            var f = F(now, signs, factors, Width, x);
            var next = now.Clone();
            for (int r = 0; r < Width; r++)
            {
                double s = signs[r] * factors[r] / Math.Sqrt(Width);
                var active = Enumerable.Range(0, N).Select(i => Dot(now, r, x, i) >= 0).ToArray();
                for (int j = 0; j < D; j++)
                {
                    double g = Lambda * now[r, j];
                    for (int i = 0; i < N; i++)
                        if (active[i]) g -= Kappa * (y[i] - Kappa * f[i]) * s * x[i, j];
                    next[r, j] = now[r, j] - Eta * g;
                }
            }
            now = next;
        }
        return now;
    }

    [Fact]
    public void Both_backends_follow_plain_loop_gradient_descent()
    {
        var reference = Reference();
        var (x, _, w, _, _) = Data();
        foreach (IDenseBackend backend in new IDenseBackend[] { Native, new ManagedDenseBackend() })
        {
            var trained = Train(backend)[^1].Weights;
            double rel = (trained - reference).FrobeniusNorm() / reference.FrobeniusNorm();
            double moved = (trained - w).FrobeniusNorm();
            output.WriteLine($"{backend.Name}: relative difference to plain loops after {Steps} steps {rel:E2}; the weights moved {moved:G4}");
            Assert.True(rel < 1e-12, $"{backend.Name}: relative difference {rel:E2}");
            Assert.True(moved > 0.05 * w.FrobeniusNorm(), "the weights hardly moved: the comparison would be vacuous");
        }
    }

    [Fact]
    public void The_managed_fallback_agrees_with_openblas_to_rounding()
    {
        var native = Train(Native);
        var managed = Train(new ManagedDenseBackend());
        for (int t = 0; t < Steps; t++)
        {
            double rel = (native[t].Weights - managed[t].Weights).FrobeniusNorm() / native[t].Weights.FrobeniusNorm();
            Assert.True(rel < 1e-13, $"step {t + 1}: weights differ by {rel:E2}");
            double outputs = native[t].Outputs.Zip(managed[t].Outputs, (a, b) => Math.Abs(a - b)).Max() / native[t].Outputs.Max(Math.Abs);
            Assert.True(outputs < 1e-12, $"step {t + 1}: outputs differ by {outputs:E2}");
        }
        Assert.True(native[^1].Flips > 0, "no pattern flipped: the flip count is not exercised");
        Assert.InRange(managed[^1].Flips, native[^1].Flips - 2, native[^1].Flips + 2); // a kink may round either way
    }

    [Fact]
    public void Each_backend_repeats_its_trajectory_bitwise_alone_and_beside_other_blocks()
    {
        foreach (IDenseBackend backend in new IDenseBackend[] { Native, new ManagedDenseBackend() })
        {
            var alone = Train(backend);
            var concurrent = new (Matrix<double> Weights, double[] Outputs, long Flips)[3][];
            Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, k => concurrent[k] = Train(backend));
            foreach (var run in concurrent)
            {
                for (int t = 0; t < Steps; t++)
                {
                    Assert.Equal(Bits(alone[t].Weights), Bits(run[t].Weights));
                    Assert.Equal(Bits(alone[t].Outputs), Bits(run[t].Outputs));
                    Assert.Equal(alone[t].Flips, run[t].Flips);
                }
            }
        }
    }

    [Fact]
    public void A_block_restored_at_a_step_continues_bitwise_as_the_undisturbed_one()
    {
        // What a lost block's restore does: a new block from the weights at a checkpoint, stepped with the residuals since.
        var (x, y, w, signs, factors) = Data();
        var setup = new NetworkSetup(Width, Kappa, Lambda, Eta);
        var block = new NeuronBlock(setup, w, signs, factors);
        var residuals = new List<double[]>();
        NeuronBlock? restored = null;
        for (int t = 0; t < 12; t++)
        {
            var u = block.Outputs(x);
            var residual = y.Select((v, i) => v - Kappa * u[i]).ToArray();
            if (t == 5) restored = new NeuronBlock(setup, w, signs, factors, block.Weights, block.Step);
            if (t >= 5) residuals.Add(residual);
            block.Advance(x, residual);
        }
        var copy = x.Clone(); // the restored block sees the rows as a new matrix, as on another worker
        foreach (var residual in residuals) restored!.Advance(copy, residual);
        Assert.Equal(12, restored!.Step);
        Assert.Equal(Bits(block.Weights), Bits(restored.Weights));
        Assert.Equal(Bits(block.Outputs(x)), Bits(restored.Outputs(copy)));
        Assert.Equal(block.PatternFlips(x), restored.PatternFlips(copy));
    }
}

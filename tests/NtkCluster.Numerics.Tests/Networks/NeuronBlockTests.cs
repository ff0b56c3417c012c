using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;
using Xunit;
using Xunit.Abstractions;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>
/// <see cref="NeuronBlock"/> against Def 3.5 written out independently: outputs, the gradient of the full loss
/// ½‖Y − κ·f(W,X)‖² + ½λ‖W‖²_F by central differences, the gradient step, and Lemma 4.1's diagnostics.
/// </summary>
public sealed class NeuronBlockTests(ITestOutputHelper output)
{
    private const int N = 12, D = 4, Width = 50, FirstBlock = 30;

    /// <summary>
    /// Data, weights, signs and factors for a 50-neuron network whose pre-activations all stay at least 1e-3 away
    /// from the ReLU kink (a neuron too close to a kink on some row is drawn again).
    /// </summary>
    private static (Matrix<double> X, double[] Y, Matrix<double> W, double[] Signs, double[] Factors) Network(int seed) =>
        KinkFreeNetwork(N, D, Width, seed);

    private static (NeuronBlock First, NeuronBlock Second) Split(NetworkSetup setup, Matrix<double> w, double[] signs, double[] factors)
    {
        int rest = Width - FirstBlock;
        var first = new NeuronBlock(setup, w.SubMatrix(0, FirstBlock, 0, D), signs[..FirstBlock], factors[..FirstBlock]);
        var second = new NeuronBlock(setup, w.SubMatrix(FirstBlock, rest, 0, D), signs[FirstBlock..], factors[FirstBlock..]);
        return (first, second);
    }

    [Theory]
    [InlineData(1.0, 3)]
    [InlineData(0.3, 4)]
    public void Block_gradients_match_central_differences_of_the_full_loss(double kappa, int seed)
    {
        const double lambda = 0.01, h = 1e-6;
        var (x, y, w, signs, factors) = Network(seed);
        double margin = KinkMargin(w, x);
        Assert.True(margin >= 1e-4, $"precondition: some w_rᵀx_i is within {margin:E2} of the kink");
        Assert.Contains(-1.0, signs);
        Assert.Contains(1.0, signs);

        var setup = new NetworkSetup(Width, kappa, lambda, 0.1);
        var (first, second) = Split(setup, w, signs, factors);
        var u1 = first.Outputs(x);
        var u2 = second.Outputs(x);
        var f = F(w, signs, factors, Width, x);
        for (int i = 0; i < N; i++)
            Assert.True(Math.Abs(u1[i] + u2[i] - f[i]) <= 1e-13 * (1 + Math.Abs(f[i])), $"row {i}: blocks give {u1[i] + u2[i]}, Def 3.5 gives {f[i]}");

        var residual = y.Select((v, i) => v - kappa * (u1[i] + u2[i])).ToArray();
        var gradient = Matrix<double>.Build.Dense(Width, D);
        gradient.SetSubMatrix(0, 0, first.Gradient(x, residual));
        gradient.SetSubMatrix(FirstBlock, 0, second.Gradient(x, residual));

        var numeric = Matrix<double>.Build.Dense(Width, D);
        for (int r = 0; r < Width; r++)
        {
            for (int j = 0; j < D; j++)
            {
                var plus = w.Clone();
                plus[r, j] += h;
                var minus = w.Clone();
                minus[r, j] -= h;
                numeric[r, j] = (Loss(plus, signs, factors, Width, x, y, kappa, lambda) - Loss(minus, signs, factors, Width, x, y, kappa, lambda)) / (2 * h);
            }
        }

        // The data term must matter, or the check would only test λ·W.
        double dataPart = (numeric - lambda * w).FrobeniusNorm();
        Assert.True(dataPart > 0.05 * numeric.FrobeniusNorm(), $"data part of the gradient {dataPart:E2} is negligible");

        foreach (var (start, count, name) in new[] { (0, FirstBlock, "block 1"), (FirstBlock, Width - FirstBlock, "block 2") })
        {
            var g = gradient.SubMatrix(start, count, 0, D);
            var fd = numeric.SubMatrix(start, count, 0, D);
            double rel = (g - fd).FrobeniusNorm() / fd.FrobeniusNorm();
            double entry = (g - fd).Enumerate().Max(Math.Abs) / fd.Enumerate().Max(Math.Abs);
            output.WriteLine($"κ={kappa}, {name}: relative error {rel:E2}, worst entry {entry:E2} (of the largest)");
            Assert.True(rel < 1e-6, $"{name}: relative error {rel:E2}");
            Assert.True(entry < 1e-6, $"{name}: worst entry error {entry:E2} relative to the largest entry");
        }
    }

    [Fact]
    public void Advance_is_exactly_w_minus_eta_gradient_and_outputs_match_a_fresh_block()
    {
        const double kappa = 0.7, lambda = 0.01, eta = 0.4;
        var (x, y, w, signs, factors) = Network(5);
        var setup = new NetworkSetup(Width, kappa, lambda, eta);
        var (first, second) = Split(setup, w, signs, factors);
        var other = GaussianMatrix(7, D, new System.Random(99)); // rows the blocks never trained on

        for (int t = 0; t < 6; t++)
        {
            var u1 = first.Outputs(x);
            var u2 = second.Outputs(x);
            var residual = y.Select((v, i) => v - kappa * (u1[i] + u2[i])).ToArray();
            foreach (var block in new[] { first, second })
            {
                var before = block.Weights;
                var g = block.Gradient(x, residual);
                var gAgain = block.Gradient(x, residual);
                Assert.Equal(Bits(g), Bits(gAgain));
                block.Advance(x, residual);
                Assert.Equal(t + 1, block.Step);
                var expected = Matrix<double>.Build.Dense(block.Count, D, (r, j) => before[r, j] - eta * g[r, j]);
                Assert.Equal(Bits(expected), Bits(block.Weights));
                // The gradient matrix handed out before the step is a copy, not the block's reused buffer.
                Assert.Equal(Bits(gAgain), Bits(g));

                var fresh = new NeuronBlock(setup, block.InitialWeights, block.Signs, block.Factors, block.Weights, block.Step);
                Assert.Equal(t + 1, fresh.Step);
                Assert.Equal(Bits(fresh.Outputs(x)), Bits(block.Outputs(x)));        // cached pre-activations on X
                Assert.Equal(Bits(fresh.Outputs(other)), Bits(block.Outputs(other)));
                Assert.Equal(Bits(block.Outputs(x.Clone())), Bits(block.Outputs(x))); // cache against recomputation
                var reference = F(block.Weights, block.Signs, block.Factors, Width, x);
                var actual = block.Outputs(x);
                for (int i = 0; i < N; i++) Assert.True(Math.Abs(actual[i] - reference[i]) <= 1e-13 * (1 + Math.Abs(reference[i])));
            }
        }
        // The initial weights never move.
        Assert.Equal(Bits(w.SubMatrix(0, FirstBlock, 0, D)), Bits(first.InitialWeights));
        Assert.Equal(Bits(w.SubMatrix(FirstBlock, Width - FirstBlock, 0, D)), Bits(second.InitialWeights));
    }

    [Fact]
    public void Gradient_descent_over_two_blocks_follows_an_independent_implementation()
    {
        const double kappa = 0.5, lambda = 0.05, eta = 0.3;
        var (x, y, w, signs, factors) = Network(6);
        var setup = new NetworkSetup(Width, kappa, lambda, eta);
        var (first, second) = Split(setup, w, signs, factors);
        var reference = w.Clone();
        for (int t = 0; t < 20; t++)
        {
            var u1 = first.Outputs(x);
            var u2 = second.Outputs(x);
            var residual = y.Select((v, i) => v - kappa * (u1[i] + u2[i])).ToArray();
            first.Advance(x, residual);
            second.Advance(x, residual);

            // Plain-loop GD step of Def 3.5's loss at the reference weights.
            var f = F(reference, signs, factors, Width, x);
            var next = reference.Clone();
            for (int r = 0; r < Width; r++)
            {
                for (int j = 0; j < D; j++)
                {
                    double g = lambda * reference[r, j];
                    for (int i = 0; i < N; i++)
                        if (Dot(reference, r, x, i) >= 0) g -= kappa * (y[i] - kappa * f[i]) * signs[r] * factors[r] / Math.Sqrt(Width) * x[i, j];
                    next[r, j] = reference[r, j] - eta * g;
                }
            }
            reference = next;
        }
        var trained = Matrix<double>.Build.Dense(Width, D);
        trained.SetSubMatrix(0, 0, first.Weights);
        trained.SetSubMatrix(FirstBlock, 0, second.Weights);
        double rel = (trained - reference).FrobeniusNorm() / reference.FrobeniusNorm();
        output.WriteLine($"after 20 steps: relative difference {rel:E2}, moved {(trained - w).FrobeniusNorm():G4}");
        Assert.True(rel < 1e-12, $"relative difference {rel:E2}");
        Assert.True((trained - w).FrobeniusNorm() > 0.01, "the weights hardly moved: the comparison would be vacuous");
    }

    [Fact]
    public void Pattern_flips_and_max_weight_move_match_a_direct_computation()
    {
        // A narrow network trained for a while (stably, η below 2/λ_max): activation patterns do flip.
        const double kappa = 1.0, lambda = 0.01, eta = 0.08;
        var (x, y, w, signs, factors) = Network(8);
        var setup = new NetworkSetup(Width, kappa, lambda, eta);
        var block = new NeuronBlock(setup, w, signs, factors);
        var other = GaussianMatrix(9, D, new System.Random(17));
        Assert.Equal(0, block.PatternFlips(x));
        Assert.Equal(0.0, block.MaxWeightMove());

        for (int t = 0; t < 20; t++)
        {
            var u = block.Outputs(x);
            block.Advance(x, y.Select((v, i) => v - kappa * u[i]).ToArray());
        }
        var now = block.Weights;
        var then = block.InitialWeights;
        Assert.Equal(Bits(w), Bits(then));

        double move = 0;
        for (int r = 0; r < Width; r++)
        {
            double s = 0;
            for (int j = 0; j < D; j++) s += (now[r, j] - then[r, j]) * (now[r, j] - then[r, j]);
            move = Math.Max(move, Math.Sqrt(s));
        }
        output.WriteLine($"max weight move {block.MaxWeightMove():R} (direct {move:R})");
        Assert.True(Math.Abs(block.MaxWeightMove() - move) <= 1e-14 * move, $"{block.MaxWeightMove():R} against {move:R}");
        Assert.True(move > 0.1 && move < 10, $"max weight move {move}: no movement, or divergence");

        foreach (var (rows, name) in new[] { (x, "training rows"), (other, "other rows") })
        {
            long flips = 0, ambiguous = 0;
            for (int i = 0; i < rows.RowCount; i++)
            {
                for (int r = 0; r < Width; r++)
                {
                    double a = Dot(now, r, rows, i), b = Dot(then, r, rows, i);
                    if ((a >= 0) != (b >= 0)) flips++;
                    if (Math.Abs(a) < 1e-12 || Math.Abs(b) < 1e-12) ambiguous++;
                }
            }
            long actual = block.PatternFlips(rows);
            output.WriteLine($"{name}: {actual} flips (direct {flips}, {ambiguous} within 1e-12 of a kink)");
            Assert.True(flips > 0, $"{name}: no pattern flipped, the check would be vacuous");
            Assert.True(Math.Abs(actual - flips) <= ambiguous, $"{name}: {actual} flips, direct count {flips}");
        }
    }

    [Fact]
    public void Constructor_rejects_mismatched_signs_factors_and_weights()
    {
        var setup = new NetworkSetup(4, 1, 0.1, 0.1);
        var w = Matrix<double>.Build.Dense(4, 2, 1.0);
        Assert.Throws<ArgumentException>(() => new NeuronBlock(setup, w, new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => new NeuronBlock(setup, w, new double[4], new double[5]));
        Assert.Throws<ArgumentException>(() => new NeuronBlock(setup, w, new double[4], new double[4], Matrix<double>.Build.Dense(4, 3)));
        var block = new NeuronBlock(setup, w, [1, 1, 1, 1], [1, 1, 1, 1]);
        Assert.Throws<ArgumentException>(() => block.Gradient(Matrix<double>.Build.Dense(3, 2), new double[2]));
    }
}

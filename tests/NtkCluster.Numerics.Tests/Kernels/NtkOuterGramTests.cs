using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Kernels;

/// <summary>The NTK's Hadamard form of ΨΨᵀ equals the product of explicitly built features.</summary>
public sealed class NtkOuterGramTests
{
    [Fact]
    public void Hadamard_form_equals_explicit_features_with_weights()
    {
        var rng = new System.Random(3);
        var x = Matrix<double>.Build.Dense(25, 6, (_, _) => rng.NextDouble() * 2 - 1);
        var sampled = PlainSampler.Sample(new NtkKernel(), 6, 90, seed: 4);
        var weights = Enumerable.Range(0, 90).Select(_ => 0.2 + rng.NextDouble() * 3).ToArray();
        var draws = new FeatureDraws(new NtkKernel(), 6, sampled.Draws, weights);
        for (int first = 0; first < 90; first += 40)
        {
            int count = Math.Min(40, 90 - first);
            var psi = FeatureMap.Build(draws, x, first, count);
            var explicitGram = psi * psi.Transpose();
            var hadamard = FeatureMap.OuterGram(draws, x, first, count);
            double rel = (hadamard - explicitGram).FrobeniusNorm() / explicitGram.FrobeniusNorm();
            Assert.True(rel < 1e-13, $"block at {first}: relative difference {rel:E2}");
        }
    }

    /// <summary>A neuron block's kernel part travels as its upper triangle, which needs it symmetric bit for bit: it is
    /// the elementwise product of two Gram matrices that the backends symmetrize.</summary>
    [Fact]
    public void The_kernel_part_of_a_neuron_block_is_exactly_symmetric()
    {
        var rng = new System.Random(5);
        var x = Matrix<double>.Build.Dense(37, 5, (_, _) => rng.NextDouble() * 2 - 1);
        var w = Matrix<double>.Build.Dense(70, 5, (_, _) => rng.NextDouble() * 2 - 1);
        var scales = Enumerable.Range(0, 70).Select(_ => rng.NextDouble()).ToArray();
        var h = NtkKernel.OuterGram(x, w, scales);
        for (int i = 0; i < 37; i++)
            for (int j = 0; j < i; j++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(h[j, i]), BitConverter.DoubleToInt64Bits(h[i, j]));
    }
}

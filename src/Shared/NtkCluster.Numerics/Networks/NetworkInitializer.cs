using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Networks;

/// <summary>
/// Initial networks of Def 3.5 and Def 3.8, neuron block by neuron block. Block b's Gaussian weights and every
/// block's signs a_r come from streams keyed on (seed, b), so a network — and its whole training trajectory — is the
/// same for any number of workers.
/// </summary>
public static class NetworkInitializer
{
    /// <summary>Neurons per block: the unit of distribution and of deterministic generation.</summary>
    public const int BlockSize = 1024;

    /// <summary>w_r(0) ∼ N(0, I_d) for the neurons of block b.</summary>
    public static Matrix<double> GaussianWeights(int inputDimension, ulong seed, int block, int count) =>
        PlainSampler.SampleBlock(new NtkKernel(), inputDimension, seed, DrawPurpose.NetworkInit, block, count);

    /// <summary>a_r ∼ unif{−1, +1}, fixed during training.</summary>
    public static double[] Signs(ulong seed, int block, int count)
    {
        var rng = new DrawStream(seed, DrawPurpose.NetworkSigns, block);
        var signs = new double[count];
        for (int r = 0; r < count; r++) signs[r] = (rng.NextUInt64() >> 63) == 0 ? -1.0 : 1.0;
        return signs;
    }

    /// <summary>
    /// The leverage-initialised network of Def 3.8: w_r(0) are the draws of leverage-score sampling for the NTK
    /// (with λ/κ², since the trained network's kernel is κ²H), and c_r = √(p(w_r(0))/q(w_r(0))) = √(weight_r).
    /// </summary>
    public static (Matrix<double> Weights, double[] Factors) FromLeverageDraws(FeatureDraws draws)
    {
        var factors = draws.Weights.Select(Math.Sqrt).ToArray();
        return (draws.Draws, factors);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Features;

/// <summary>
/// Plain random features: w_r ∼ p, weights 1 (Rahimi–Recht). Draws come in feature blocks of
/// <see cref="BlockPlan.DefaultFeatureBlock"/>, block b from the stream (seed, b), so the first M draws of a seed
/// are the same for every M and every way of computing them.
/// </summary>
public static class PlainSampler
{
    /// <param name="purpose">Which stream of the seed: the model's features, a first stage, a candidate pool…</param>
    public static FeatureDraws Sample(IFeatureKernel kernel, int inputDimension, int count, ulong seed,
        DrawPurpose purpose = DrawPurpose.FeatureDraws)
    {
        var weights = new double[count];
        Array.Fill(weights, 1.0);
        return new FeatureDraws(kernel, inputDimension, SampleMatrix(kernel, inputDimension, count, seed, purpose, BlockPlan.DefaultFeatureBlock), weights);
    }

    /// <summary>
    /// <paramref name="count"/> draws from p (count × d1), in blocks of <paramref name="blockSize"/>, block b from the
    /// stream (seed, purpose, b).
    /// </summary>
    public static Matrix<double> SampleMatrix(IFeatureKernel kernel, int inputDimension, int count, ulong seed, DrawPurpose purpose, int blockSize)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "the number of draws must be positive");
        var draws = Matrix<double>.Build.Dense(count, kernel.DrawDimension(inputDimension));
        var plan = new BlockPlan(count, blockSize);
        for (int b = 0; b < plan.Count; b++)
            draws.SetSubMatrix(plan.Start(b), 0, SampleBlock(kernel, inputDimension, seed, purpose, b, plan.Length(b)));
        return draws;
    }

    /// <summary>The <paramref name="count"/> draws of block <paramref name="blockIndex"/> of a stream.</summary>
    public static Matrix<double> SampleBlock(IFeatureKernel kernel, int inputDimension, ulong seed, DrawPurpose purpose, int blockIndex, int count)
    {
        int d1 = kernel.DrawDimension(inputDimension);
        var rng = new DrawStream(seed, purpose, blockIndex);
        var block = Matrix<double>.Build.Dense(count, d1);
        var w = new double[d1];
        for (int r = 0; r < count; r++)
        {
            kernel.SampleDraw(rng, w, inputDimension);
            for (int j = 0; j < d1; j++) block[r, j] = w[j];
        }
        return block;
    }
}

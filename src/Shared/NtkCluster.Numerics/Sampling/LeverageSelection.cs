using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// Draws M features from a candidate pool (drawn from p) with replacement in proportion to their leverage τ, and
/// gives them the weights p(w)/q(w) = τ̄/τ(w) of Def 3.2, with τ̄ the pool's mean τ. Sampling the pool ∝ τ is
/// sampling from q = p·τ/τ̄ restricted to the pool, so E[ΨΨᵀ] equals the pool's own kernel (1/P)Σ_j Φ(w_j)Φ(w_j)ᵀ,
/// and τ̄ is a Monte-Carlo estimate of s_λ = E_p[τ] (eq. 4).
/// </summary>
public static class LeverageSelection
{
    public static FeatureDraws Select(IFeatureKernel kernel, int inputDimension, Matrix<double> pool, double[] tau, int count, ulong seed)
    {
        if (tau.Length != pool.RowCount) throw new ArgumentException("one score per candidate");
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count));
        // Cumulative sums in pool order: the selection depends only on (pool, τ, seed).
        var cumulative = new double[tau.Length];
        double total = 0;
        for (int j = 0; j < tau.Length; j++)
        {
            if (!(tau[j] >= 0) || double.IsInfinity(tau[j])) throw new ArgumentException($"leverage score {tau[j]} of candidate {j} is not a finite non-negative number");
            total += tau[j];
            cumulative[j] = total;
        }
        if (!(total > 0)) throw new InvalidOperationException("every candidate has leverage 0: the features cannot reach the data (try a larger pool or another kernel)");
        double mean = total / tau.Length;
        var rng = new DrawStream(seed, DrawPurpose.LeverageSelection, 0);
        var draws = Matrix<double>.Build.Dense(count, pool.ColumnCount);
        var weights = new double[count];
        for (int r = 0; r < count; r++)
        {
            double u = rng.NextDouble() * total;
            int j = Array.BinarySearch(cumulative, u);
            j = j >= 0 ? j + 1 : ~j;          // first index with cumulative > u
            if (j >= tau.Length) j = tau.Length - 1;
            while (tau[j] == 0) j++;          // u landed on a boundary of a zero-width interval
            draws.SetRow(r, pool.Row(j));
            weights[r] = mean / tau[j];
        }
        return new FeatureDraws(kernel, inputDimension, draws, weights);
    }
}

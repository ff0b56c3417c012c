using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// The arithmetic of the <c>subsample</c> leverage mode: candidates are scored against a hashed row subsample S of n′
/// rows instead of all n, with λ′ = λ·n′/n. τ(w) is a property of the kernel's integral operator: K/n and K_SS/n′
/// estimate the same operator, so the leverage function of (K_SS, λ·n′/n) estimates that of (K, λ) (Avron et al. 2017;
/// Li, Ton, Oglic and Sejdinovic 2019). n′ follows from the statistical dimension estimated on a pilot of
/// <see cref="PilotRows"/> rows, which is also where the first stage's ε₁ is measured.
/// </summary>
/// <remarks>
/// The rows are those with the smallest <see cref="RowSample"/> keys of (seed, global row index): a simple random
/// sample that the data alone defines, the same in memory and on a partitioned dataset, and nested — the pilot is the
/// first <see cref="PilotRows"/> of the n′ rows, so ε₁ is measured on rows that are scored against.
/// </remarks>
public static class SubsampleScoring
{
    /// <summary>Rows of the pilot that estimates s_λ and ε₁: the scalable mode's ε₁ subsample size.</summary>
    public const int PilotRows = 1000;

    /// <summary>The fewest scoring rows (all of them when n is smaller).</summary>
    public const int MinimumRows = 2000;

    /// <summary>
    /// Scoring rows per unit of estimated statistical dimension. The empirical operator of n′ uniform rows is
    /// within a constant factor of the full one, with high probability, once n′ is of order s_λ·log s_λ (Rudi, Camoriano
    /// and Rosasco 2015; Bach 2017): a multiple of ŝ·ln ŝ. The constant 4 is a choice, not a fit: on flights (the README's
    /// measurement, bench/leverage.sh) ŝ ≈ 30–47, so the floor <see cref="MinimumRows"/> decided n′ there.
    /// </summary>
    public const double RowsPerDimension = 4.0;

    /// <summary>The most scoring rows chosen automatically: scoring cost grows with n′, and the pilot's ŝ saturates
    /// (ŝ ≤ <see cref="PilotRows"/>) before this is reached, so more would not be justified by the estimate.</summary>
    public const int MaximumRows = 32_000;

    /// <summary>n′ = clamp(⌈4·ŝ·ln(e·ŝ)⌉, 2000, 32 000), at most n.</summary>
    /// <param name="statisticalDimension">ŝ_λ, the pilot's estimate of s_λ(K, λ).</param>
    /// <param name="rows">n, all the training rows.</param>
    public static int ScoringRows(double statisticalDimension, long rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        double s = Math.Max(1.0, statisticalDimension);
        double wanted = Math.Ceiling(RowsPerDimension * s * Math.Log(Math.E * s));
        double clamped = Math.Clamp(double.IsFinite(wanted) ? wanted : MaximumRows, MinimumRows, MaximumRows);
        return (int)Math.Min(rows, (long)clamped);
    }

    /// <summary>λ·m/n: the ridge for m of n rows, so that λ/n (the operator's ridge) stays the same.</summary>
    public static double ScaledLambda(double lambda, long sampleRows, long rows) => lambda * sampleRows / rows;

    /// <summary>
    /// ŝ_λ = tr[(K_PP+λ_P I)⁻¹K_PP] with λ_P = λ·|P|/n on the pilot's kernel K_PP: an estimate of s_λ(K, λ) (exact
    /// when the pilot is every row). It saturates near |P| when s_λ approaches the pilot's size.
    /// </summary>
    public static double PilotStatisticalDimension(Matrix<double> pilotKernel, double lambda, long rows)
    {
        ArgumentNullException.ThrowIfNull(pilotKernel);
        return KernelSpectrum.Of(pilotKernel).StatisticalDimension(ScaledLambda(lambda, pilotKernel.RowCount, rows));
    }

    /// <summary>
    /// The in-memory rows 0…n−1 ordered by their <see cref="RowSample"/> keys for <paramref name="seed"/>: the first k of
    /// them are the hashed sample of k rows that <see cref="Execution.RowSampleRounds"/> gathers from a partitioned
    /// dataset whose global row indices are these.
    /// </summary>
    public static int[] HashedOrder(int rows, ulong seed)
    {
        var keys = new RowSampleKey[rows];
        for (int i = 0; i < rows; i++) keys[i] = new RowSampleKey(RowSample.Hash(seed, i), i);
        Array.Sort(keys);
        var order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = (int)keys[i].Row;
        return order;
    }

    /// <summary>The first <paramref name="count"/> rows of <paramref name="order"/>, ascending (global row order).</summary>
    public static int[] First(int[] order, int count)
    {
        ArgumentNullException.ThrowIfNull(order);
        var rows = order[..Math.Min(count, order.Length)];
        Array.Sort(rows);
        return rows;
    }

    /// <summary>The rows <paramref name="rows"/> of <paramref name="x"/>, in that order.</summary>
    public static Matrix<double> Rows(Matrix<double> x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        return MatrixRows.Pick(x, rows);
    }
}

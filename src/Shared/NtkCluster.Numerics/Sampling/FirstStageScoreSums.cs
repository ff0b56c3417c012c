using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// The two sums over rows that the scalable leverage score of a block of candidates needs
/// (<see cref="FirstStageLeverageScorer"/>): ZᵀΦ (s × c·d2, Z the first-stage features, Φ the candidates' unscaled
/// features) and ‖φ_k‖² per candidate feature column. Both are plain sums over rows, so they can be accumulated
/// per row block, per partition, and added in partition order; the score itself, quadratic in ZᵀΦ, is formed only
/// once the sums cover every row (<see cref="FirstStageLeverage.Scores"/>).
/// </summary>
/// <param name="ZPhi">ZᵀΦ, s × (candidates·d2).</param>
/// <param name="Norms">Σ_rows φ², one per candidate feature column.</param>
/// <param name="Rows">The rows summed.</param>
public sealed record FirstStageScoreSums(Matrix<double> ZPhi, double[] Norms, long Rows)
{
    /// <summary>Rows per block when the sums are accumulated: the in-memory scorer's block, so its memory bound holds.</summary>
    public const int RowBlock = 1024;

    /// <summary>The zero sums for <paramref name="firstStageColumns"/> first-stage columns and <paramref name="candidateColumns"/> candidate columns.</summary>
    public static FirstStageScoreSums Zero(int firstStageColumns, int candidateColumns) =>
        new(Matrix<double>.Build.Dense(firstStageColumns, candidateColumns), new double[candidateColumns], 0);

    /// <summary>Adds one row block (in place): <paramref name="z"/> = Z of the block's rows <paramref name="x"/>.</summary>
    public FirstStageScoreSums AddRows(IFeatureKernel kernel, Matrix<double> z, Matrix<double> x, Matrix<double> candidates)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(z);
        var phi = CandidateFeatures.Build(kernel, x, candidates);
        ZPhi.Add(DenseBackend.Current.TransposeAndMultiply(z, phi), ZPhi);
        var blockNorms = CandidateFeatures.ColumnDots(phi, phi);
        for (int j = 0; j < Norms.Length; j++) Norms[j] += blockNorms[j];
        return this with { Rows = Rows + x.RowCount };
    }

    /// <summary>Adds a partial (in place) and returns the sums: one addition per entry, as a reduction in partition order needs.</summary>
    public FirstStageScoreSums Add(FirstStageScoreSums partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        ZPhi.Add(partial.ZPhi, ZPhi);
        for (int j = 0; j < Norms.Length; j++) Norms[j] += partial.Norms[j];
        return this with { Rows = Rows + partial.Rows };
    }

    /// <summary>
    /// τ̃ per candidate from sums over all rows: min((1+ε₁)·max(0, (‖Φ‖² − tr[ΦᵀZ·C·ZᵀΦ])/λ), ‖Φ‖²/λ) — the
    /// formula of <see cref="FirstStageLeverageScorer"/>, which calls this too.
    /// </summary>
    /// <param name="featureDimension">d2, the feature columns per candidate.</param>
    /// <param name="inverse">C = (ZᵀZ+λI)⁻¹.</param>
    public double[] Scores(int featureDimension, Matrix<double> inverse, double lambda, double firstStageEpsilon)
    {
        ArgumentNullException.ThrowIfNull(inverse);
        var quad = CandidateFeatures.ColumnDots(ZPhi, DenseBackend.Current.Multiply(inverse, ZPhi));
        var normPerCandidate = CandidateFeatures.SumPerCandidate(Norms, featureDimension);
        var quadPerCandidate = CandidateFeatures.SumPerCandidate(quad, featureDimension);
        var tau = new double[normPerCandidate.Length];
        for (int r = 0; r < tau.Length; r++)
        {
            double approx = Math.Max(0.0, (normPerCandidate[r] - quadPerCandidate[r]) / lambda);
            tau[r] = Math.Min(approx * (1.0 + firstStageEpsilon), normPerCandidate[r] / lambda);
        }
        return tau;
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// The scalable scorer's first stage without the rows: the draws that define Z, C = (ZᵀZ+λI)⁻¹, λ and ε₁. What
/// scores a partitioned dataset's candidates: the partitions compute the row sums (<see cref="FirstStageScoreSums"/>)
/// where they are read, and the sums over all partitions become scores here — the rows never meet in one place.
/// </summary>
/// <param name="FirstStage">The first-stage draws (their kernel is the kernel scored).</param>
/// <param name="Inverse">C = (ZᵀZ+λI)⁻¹, s × s.</param>
/// <param name="Lambda">λ, the ridge of the leverage function.</param>
/// <param name="FirstStageEpsilon">ε₁ ≥ 0 with ZZᵀ+λI ⪯ (1+ε₁)(K+λI), as estimated.</param>
public sealed record FirstStageLeverage(FeatureDraws FirstStage, Matrix<double> Inverse, double Lambda, double FirstStageEpsilon)
{
    /// <summary>The largest row-sum partial a command answers, in bytes: candidates per command are chosen to stay under it.</summary>
    public const long PartialBytes = 4L << 20;

    /// <summary>C from ZᵀZ summed over every row (a partition Gram round).</summary>
    public static FirstStageLeverage Create(FeatureDraws firstStage, Matrix<double> firstStageGram, double lambda, double firstStageEpsilon)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(firstStageGram);
        if (!(firstStageEpsilon >= 0) || double.IsInfinity(firstStageEpsilon))
            throw new ArgumentOutOfRangeException(nameof(firstStageEpsilon), "ε₁ must be finite and ≥ 0");
        return new FirstStageLeverage(firstStage, RidgeSolver.Solve(firstStageGram, lambda,
            Matrix<double>.Build.DenseIdentity(firstStageGram.RowCount)), lambda, firstStageEpsilon);
    }

    /// <summary>
    /// Candidates per command of a partition scoring round: as many as keep one partial (ZᵀΦ and the norms) under
    /// <see cref="PartialBytes"/>, at least one and at most <paramref name="most"/>. Depends on s and d2 only, never on
    /// the workers.
    /// </summary>
    public int CandidatesPerCommand(int most)
    {
        long perCandidate = (long)(FirstStage.ColumnCount + 1) * FirstStage.FeatureDimension * sizeof(double);
        return (int)Math.Clamp(PartialBytes / perCandidate, 1, Math.Max(1, most));
    }

    /// <summary>The scores of the candidates whose sums over all rows these are.</summary>
    public double[] Scores(FirstStageScoreSums sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        return sums.Scores(FirstStage.FeatureDimension, Inverse, Lambda, FirstStageEpsilon);
    }

    /// <summary>The in-memory scorer with this first stage, for rows held in memory (<paramref name="x"/>, preprocessed).</summary>
    public FirstStageLeverageScorer ScorerFor(Matrix<double> x) =>
        FirstStageLeverageScorer.FromParts(FirstStage.Kernel, x, FirstStage, Inverse, Lambda, FirstStageEpsilon);
}

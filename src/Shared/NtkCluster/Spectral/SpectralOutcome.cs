using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
namespace NtkCluster.Spectral;

/// <summary>
/// How well one draw of M features approximates K+λI (eq. 2/5), and what Theorem 3.3 asks for.
/// </summary>
/// <param name="Epsilon">Smallest ε with (1−ε)(K+λI) ⪯ ΨΨᵀ+λI ⪯ (1+ε)(K+λI) — on all rows, or a lower bound from a subsample.</param>
/// <param name="EpsilonIsExact">False when ε was measured on <see cref="RowsUsed"/> of the rows (a lower bound).</param>
/// <param name="SLambda">s_λ(K) = tr[(K+λI)⁻¹K]; exact when <see cref="SLambdaIsExact"/>, else the pool's mean τ bound.</param>
/// <param name="SQ">s_q̃ of Theorem 3.3 for this sampling: s_λ (exact leverage), the pool's mean corrected τ
/// (scalable leverage), or the pool's max τ (plain sampling, q̃ = p·max τ).</param>
/// <param name="MBound">Theorem 3.3's M at the requested ε and δ.</param>
public sealed record SpectralOutcome(
    double Epsilon, bool EpsilonIsExact, int RowsUsed, int Rows, double SLambda, bool SLambdaIsExact, double SQ, double MBound,
    string Sampling, string ScoreMode, double MaxTau, double MeanTau, double? FirstStageEpsilon, double KernelNorm,
    IReadOnlyList<string> Caveats, double Seconds);

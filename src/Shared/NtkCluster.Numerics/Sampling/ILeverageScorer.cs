using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Sampling;

/// <summary>
/// Evaluates the ridge leverage function of Def 3.1, τ(w) = tr[Φ(w)ᵀ(K+λI)⁻¹Φ(w)], for blocks of candidate draws
/// (or an upper bound of it, for the scalable scorer). Scorers are immutable and thread-safe, so one scorer serves
/// every candidate block of a job, computed concurrently by worker entities.
/// </summary>
public interface ILeverageScorer
{
    /// <summary><c>exact</c> or <c>scalable</c>.</summary>
    string Mode { get; }

    /// <summary>τ (or its upper bound) for each row of <paramref name="candidates"/> (count × d1).</summary>
    double[] Score(Matrix<double> candidates);
}

using NtkCluster.Leverage;
using NtkCluster.Numerics.Execution;
namespace NtkCluster.Fit;

/// <summary>What to fit: everything <c>ntk fit</c> decides besides the data.</summary>
public sealed record FitSettings
{
    public required string KernelSpec { get; init; }
    public required double Lambda { get; init; }

    /// <summary>Exact KRR (n×n) instead of random features.</summary>
    public bool Exact { get; init; }

    /// <summary>M, the number of random-feature draws.</summary>
    public int Features { get; init; }

    /// <summary><c>plain</c> (w ∼ p) or <c>leverage</c> (w ∼ q_λ, Def 3.1–3.2).</summary>
    public FeatureSampling Sampling { get; init; } = FeatureSampling.Plain;

    /// <summary>Leverage scoring: <c>auto</c> (exact up to <see cref="FeatureSampler.ExactLeverageRowLimit"/> rows),
    /// <c>exact</c> or <c>scalable</c>.</summary>
    public LeverageScoring LeverageMode { get; init; } = LeverageScoring.Auto;

    /// <summary>Candidates drawn from p for leverage sampling; 0 chooses max(20M, 10 000): the pool must be much larger than M, or ΨΨᵀ only reaches the pool's own kernel.</summary>
    public int PoolSize { get; init; }

    /// <summary>Draws of the scalable mode's first stage; 0 chooses about min(1024, n/2) feature columns.</summary>
    public int FirstStageFeatures { get; init; }
    public ulong Seed { get; init; }
    public bool Standardize { get; init; }
    public bool ScaleTarget { get; init; }
    public bool Normalize { get; init; }
}

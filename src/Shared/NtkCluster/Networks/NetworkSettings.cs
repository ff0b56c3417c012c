using NtkCluster.Numerics.Execution;
namespace NtkCluster.Networks;

/// <summary>What <c>ntk train-nn</c> decides besides the data.</summary>
public sealed record NetworkSettings
{
    /// <summary>m, the number of hidden neurons.</summary>
    public required int Width { get; init; }

    /// <summary><c>gaussian</c> (Def 3.5) or <c>leverage</c> (Def 3.8).</summary>
    public NetworkInitialization Init { get; init; } = NetworkInitialization.Gaussian;

    public required double Lambda { get; init; }
    public double Kappa { get; init; } = 1.0;

    /// <summary>η; null chooses 1/(κ²·λ_max(H(0)) + λ).</summary>
    public double? LearningRate { get; init; }

    /// <summary>T, the gradient-descent steps; with <see cref="AutoSteps"/> the most that may be chosen.</summary>
    public required int Steps { get; init; }

    /// <summary>
    /// Choose T from the convergence exponent instead of taking <see cref="Steps"/>: the fewest steps with
    /// η·T·(κ²λ_min(H)+λ) ≥ <see cref="NetworkTrainer.ConvergedExponent"/>, at most <see cref="Steps"/>. Lemma 4.1
    /// bounds the remaining error by e^(−(κ²Λ₀+λ)t/2), so the step count a run needs is set by the data's λ_min, which
    /// a user cannot know in advance.
    /// </summary>
    public bool AutoSteps { get; init; }
    public ulong Seed { get; init; }
    public bool Standardize { get; init; }
    public bool ScaleTarget { get; init; }
    public bool Normalize { get; init; }

    /// <summary>Compute the NTK ridge reference u* (n×n work).</summary>
    public bool Reference { get; init; } = true;

    /// <summary>Steps between weight checkpoints, from which a lost neuron block is restored.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Leverage initialisation: how leverage scores are computed, and the candidate pool (0 = default).</summary>
    public LeverageScoring LeverageMode { get; init; } = LeverageScoring.Auto;
    public int PoolSize { get; init; }

    /// <summary>
    /// Measure the kernel drift ‖H(t) − H(0)‖₂/‖H(0)‖₂ at every trajectory point, not only at the end (for
    /// <c>ntk report</c>'s training curves). Off by default: each point costs every block two n×n kernels.
    /// </summary>
    public bool TrackKernelDrift { get; init; }
}

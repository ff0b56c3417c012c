namespace NtkCluster.Coordinator.Jobs;

/// <summary>What to fit: everything <c>ntk fit</c> decides besides the data.</summary>
public sealed record FitSettings
{
    public required string KernelSpec { get; init; }
    public required double Lambda { get; init; }

    /// <summary>Exact KRR (n×n) instead of random features.</summary>
    public bool Exact { get; init; }

    /// <summary>M, the number of random-feature draws.</summary>
    public int Features { get; init; }

    public string Sampling { get; init; } = "plain";
    public ulong Seed { get; init; }
    public bool Standardize { get; init; }
    public bool ScaleTarget { get; init; }
    public bool Normalize { get; init; }
}

namespace NtkCluster;

/// <summary>
/// What is done to the data before a fit, and undone for predictions: the same options as <c>ntk</c>'s
/// <c>--standardize</c>, <c>--scale-target</c> and <c>--normalize</c>, stored in the model.
/// </summary>
public sealed record Preprocessing
{
    /// <summary>No preprocessing: the kernel sees the raw columns.</summary>
    public static Preprocessing None { get; } = new();

    /// <summary>Z-score every feature column with the training rows' mean and standard deviation.</summary>
    public bool Standardize { get; init; }

    /// <summary>Z-score the targets; predictions are scaled back.</summary>
    public bool ScaleTarget { get; init; }

    /// <summary>Scale every row to unit length, after standardizing: the setting of the NTK theory (‖x‖ = 1).</summary>
    public bool Normalize { get; init; }
}

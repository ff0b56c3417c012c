using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Models;

/// <summary>
/// What a <c>train-nn --checkpoint</c> file holds beyond the network itself (<see cref="NetworkModel"/>: W(t), signs,
/// factors, η, t = <see cref="NetworkModel.Steps"/>): enough to continue the run with <c>--resume</c> exactly as if it
/// had never stopped, and to refuse a resume on other data or settings.
/// </summary>
public sealed class NetworkCheckpoint
{
    /// <summary>W(0), m × d: the lazy-regime measures (weight move, pattern flips, kernel drift) compare against it.</summary>
    public required Matrix<double> InitialWeights { get; init; }

    /// <summary>The settings that decide the trajectory, canonical <c>name=value</c> pairs separated by <c>;</c>.</summary>
    public required string Settings { get; init; }

    /// <summary>A SHA-256 of the training rows and column names the run was trained on (hex).</summary>
    public required string DataFingerprint { get; init; }

    /// <summary>The progress points recorded up to the checkpoint's step.</summary>
    public required IReadOnlyList<TrainingPoint> Trajectory { get; init; }
}

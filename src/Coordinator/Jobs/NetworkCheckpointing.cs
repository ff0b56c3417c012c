using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// <c>train-nn --checkpoint FILE</c> and <c>--resume FILE</c>: where to write the run's state every
/// <see cref="NetworkSettings.CheckpointEvery"/> steps and at the end, and the checkpoint to continue from. Local runs
/// only (the file is written where the trainer runs), so it is not part of the cluster's job payload.
/// </summary>
/// <param name="SavePath">Write checkpoints here, atomically; null for none.</param>
/// <param name="ResumeFrom">A checkpoint already checked against the data and settings (<see cref="NetworkCheckpoints.EnsureResumable"/>).</param>
/// <param name="ResumePath">The file <paramref name="ResumeFrom"/> was read from, for messages.</param>
public sealed record NetworkCheckpointing(string? SavePath, NetworkModel? ResumeFrom, string? ResumePath);

using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Spectral;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator for a sweep (plain and leverage sampling) of a partitioned dataset (<see cref="PartitionedSweepRunner.RunAsync"/>):
/// the partitions' descriptors, never their rows. Answered with <see cref="SweepOutcome"/> (plain and leverage points) or
/// <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it, for messages.</param>
/// <param name="Test">The test partitions, or null.</param>
/// <param name="Split">The training side of <c>--test-fraction</c>'s hashed split, or null.</param>
/// <param name="ExactRowLimit">The most rows ε is measured on (<c>--exact-rows</c>).</param>
public sealed record SubmitPartitionedSweep(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns,
    IReadOnlyList<DataPartition>? Test, RowSplit? Split, FitSettings Settings, int[] FeatureCounts, int Repeats, int ExactRowLimit)
    : INoSerializationVerificationNeeded;

using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator to fit a plain random-feature model on a partitioned dataset, every round computed per
/// partition where the partition is read (<see cref="KrrFitter.FitPartitionedEvaluatedAsync"/>): it carries the
/// partitions' descriptors, never their rows, so a client sends a few hundred bytes per partition whatever the data's
/// size (the shared-path mode: every worker reads the same paths). Answered with <see cref="FitOutcome"/> (without
/// test predictions) or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it (file, directory or glob), for messages.</param>
/// <param name="Test">The test partitions, or null.</param>
/// <param name="Split">The training side of <c>--test-fraction</c>'s hashed split, or null.</param>
public sealed record SubmitPartitionedFit(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns,
    IReadOnlyList<DataPartition>? Test, RowSplit? Split, FitSettings Settings) : INoSerializationVerificationNeeded;

using Akka.Actor;
using NtkCluster.Networks;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks the coordinator to train a network on a partitioned dataset, data-parallel
/// (<see cref="PartitionedNetworkTrainer"/>): every gradient step is a partition round read where the partitions are
/// read. It carries the partitions' descriptors, never their rows (the shared-path mode). Answered with
/// <see cref="NetworkOutcome"/> (without row-by-row predictions) or <see cref="JobFailed"/>.
/// </summary>
/// <param name="TrainSource">The training dataset as the user named it (file, directory or glob), for messages.</param>
/// <param name="Test">The test partitions, or null.</param>
/// <param name="Split">The training side of <c>--test-fraction</c>'s hashed split, or null.</param>
public sealed record SubmitPartitionedTrainNetwork(string TrainSource, IReadOnlyList<DataPartition> Train, PartitionColumns Columns,
    IReadOnlyList<DataPartition>? Test, RowSplit? Split, NetworkSettings Settings, NetworkCheckpointing? Checkpointing = null)
    : INoSerializationVerificationNeeded;

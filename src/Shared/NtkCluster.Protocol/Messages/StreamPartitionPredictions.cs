using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// <see cref="WritePartitionPredictions"/> for an output the workers cannot write (<c>ntk predict --out-delivery</c>):
/// the partition's entity writes the part to a spool file of its own worker, then streams its bytes back to the
/// client through the job's session at <paramref name="Session"/>, in acknowledged chunks (<c>PredictionPartStream</c>
/// and the shipping protocol's messages); the client writes the part into its staging directory. Answered by
/// <see cref="PartitionPredictionsWritten"/> once the client has the whole part in place, so a round that completes
/// has every part at the client. Asked again after a worker loss, it streams the part again from its first byte, as a
/// new transfer, which replaces the unfinished one at the client.
/// </summary>
/// <param name="Partition">A counted partition: its first row places its rows on the dataset's grid of blocks.</param>
/// <param name="Columns">The <c>--columns</c> choice, or null.</param>
/// <param name="DatasetRows">Rows in the whole dataset.</param>
/// <param name="Session">The full actor path of the job's session on the coordinator node, which relays to the client.</param>
public sealed record StreamPartitionPredictions(string JobId, int BlockIndex, DataPartition Partition, IPredictiveModel Model, string[]? Columns,
    long DatasetRows, string PartName, string Session) : IPartitionCommand
{
    /// <summary>The <c>--keep</c> columns, copied from the partition's file in front of the predictions; null for none.</summary>
    public string[]? Keep { get; init; }

    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

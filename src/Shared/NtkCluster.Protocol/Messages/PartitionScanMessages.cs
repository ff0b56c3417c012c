using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// The category census of a partition's feature columns (<see cref="CategoryCensus.Of"/>), taken where the partition
/// is read so the client reads no rows. Answered by <see cref="PartitionCategoryCensusTaken"/>.
/// </summary>
/// <param name="Split">The training side of a split, whose rows' cells the census also counts for the fill
/// (<see cref="CategoryCensus.Kept"/>); the partition is then counted. Null: none.</param>
public sealed record TakePartitionCategoryCensus(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split = null)
    : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's category census: at most <see cref="CategoryCensus.CountLimit"/> distinct cells per column.</summary>
public sealed record PartitionCategoryCensusTaken(string JobId, int BlockIndex, CategoryCensus Census) : IBlockReply;

/// <summary>
/// One partition's part of the text-label scan (<see cref="TextLabelScan.Of"/>), read where the partition is read.
/// Answered by <see cref="PartitionTextLabelsScanned"/>.
/// </summary>
public sealed record ScanPartitionTextLabels(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split)
    : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's distinct text labels and whether they all read as numbers.</summary>
public sealed record PartitionTextLabelsScanned(string JobId, int BlockIndex, TextLabelPartial Partial) : IBlockReply;

using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Where a partition round gets a partition's rows: its row blocks for a choice of columns, in order, numbered from 0,
/// each <c>blockSize</c> rows but the last (<see cref="RowBlock.FirstRow"/> counting rows within the partition) —
/// exactly the blocks of <see cref="PartitionColumns.Open"/>. Streamed from the file
/// (<see cref="StreamedPartitionRows"/>) or sliced from rows kept in memory (<see cref="PartitionRowCache"/>); the
/// values are the same bits either way, so a partition's partial does not depend on where its rows came from.
/// </summary>
public interface IPartitionRows
{
    /// <summary>
    /// The partition's blocks of <paramref name="blockSize"/> rows; a file, if one is read, is open while they are
    /// enumerated. Every block is the caller's own (fresh matrices), free to keep or change.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">The file changed since the job started, cannot be read, or
    /// holds a bad row.</exception>
    IEnumerable<RowBlock> Blocks(DataPartition partition, PartitionColumns columns, int blockSize);
}

using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A partition's rows read from its file on every pass, one block in memory at a time: what a partition round does
/// without a cache, and what a <see cref="PartitionRowCache"/> does for a partition larger than its budget.
/// </summary>
public sealed class StreamedPartitionRows : IPartitionRows
{
    /// <summary>The one instance: it has no state.</summary>
    public static readonly StreamedPartitionRows Instance = new();

    private StreamedPartitionRows() { }

    public IEnumerable<RowBlock> Blocks(DataPartition partition, PartitionColumns columns, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return Read(partition, columns, blockSize);
    }

    private static IEnumerable<RowBlock> Read(DataPartition partition, PartitionColumns columns, int blockSize)
    {
        using var reader = columns.Open(partition, blockSize);
        while (reader.ReadBlock() is { } block) yield return block;
    }
}

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Where a worker reads a partition from: a descriptor of the same partition (same content, so the same
/// <see cref="DataPartition.ContentKey"/>) whose path this process can read. In the shared-path mode that is the
/// descriptor as it came (<see cref="SharedPathPartitionLocator"/>); in the shipped mode it is the worker's local copy
/// of the partition, fetched first if it has none.
/// </summary>
public interface IPartitionLocator
{
    /// <summary>A locally readable descriptor of <paramref name="partition"/>.</summary>
    /// <exception cref="Errors.InvalidInputException">The partition cannot be made readable here.</exception>
    Task<DataPartition> LocateAsync(DataPartition partition, CancellationToken ct);
}

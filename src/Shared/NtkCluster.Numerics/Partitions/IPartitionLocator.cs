namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Where a node reads a partition from: given the partition's descriptor as the job sent it, answers the descriptor
/// of a local copy with the same rows — the same descriptor when the node reads the shared path, or one naming a
/// shipped copy in the node's cache. Called before a partition's rows are read; it may wait for a transfer, so it is
/// asynchronous and an actor pipes its result instead of blocking.
/// </summary>
public interface IPartitionLocator
{
    /// <summary>The descriptor to read <paramref name="partition"/>'s rows from on this node.</summary>
    /// <exception cref="Errors.InvalidInputException">The partition cannot be had here (its file changed, or the client
    /// that ships it cannot read it).</exception>
    Task<DataPartition> LocateAsync(DataPartition partition, CancellationToken ct);
}

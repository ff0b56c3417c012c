using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// A command about one partition of a dataset, routed to the partition's own entity
/// (<see cref="Sharding.PartitionEntityId"/>: by the partition's content, not by job or round), which reads the rows
/// where this worker can (<see cref="IPartitionLocator"/>) and keeps them when they fit its memory.
/// </summary>
public interface IPartitionCommand : IBlockCommand
{
    /// <summary>The partition, as the client described it.</summary>
    DataPartition Partition { get; }

    /// <summary>The same command about the same partition as described by <paramref name="local"/> (a path readable here).</summary>
    IPartitionCommand WithPartition(DataPartition local);
}

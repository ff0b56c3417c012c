using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Worker.Shipping;

/// <summary>The partition a partition command reads, and the same command reading another descriptor of it (a shipped copy).</summary>
public static class PartitionCommands
{
    /// <summary>The partition the command reads; null for a command that carries its rows.</summary>
    public static DataPartition? PartitionOf(IBlockCommand command) => command switch
    {
        CountPartition m => m.Partition,
        ComputePartitionMoments m => m.Partition,
        BuildPartitionGram m => m.Partition,
        PartitionSquaredErrors m => m.Partition,
        _ => null,
    };

    /// <summary>The command with <paramref name="partition"/> in place of its own descriptor.</summary>
    public static IBlockCommand WithPartition(IBlockCommand command, DataPartition partition) => command switch
    {
        CountPartition m => m with { Partition = partition },
        ComputePartitionMoments m => m with { Partition = partition },
        BuildPartitionGram m => m with { Partition = partition },
        PartitionSquaredErrors m => m with { Partition = partition },
        _ => throw new NotSupportedException($"{command.GetType().Name} reads no partition"),
    };
}

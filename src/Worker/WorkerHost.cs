using Akka.Hosting;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Entities;

namespace NtkCluster.Worker;

/// <summary>Akka.Hosting setup of nodes with the worker role: the regions that host block, partition and neuron entities.</summary>
public static class WorkerHost
{
    /// <summary>
    /// <see cref="NtkHostingExtensions.WithNtkWorker"/> with this project's entities, computing on the node's
    /// <see cref="NodeConfig.ComputeDispatcher"/>. Partition entities (<see cref="PartitionEntityId"/>) live in the
    /// block region beside block entities — one region, one routing — and read rows through this node's one cache (so do
    /// the block entities of leverage scoring, <see cref="BlockEntity"/>).
    /// </summary>
    /// <param name="rows">The node's row cache (<c>ntk-worker --memory</c>); null: one with
    /// <see cref="PartitionRowCache.DefaultBudget"/>.</param>
    /// <param name="locator">Where the node reads partitions; null: the node's locator if shipping set one
    /// (<see cref="Shipping.WorkerShipping"/>), else the shared path (<see cref="SharedPathPartitionLocator"/>).</param>
    public static AkkaConfigurationBuilder WithBlockEntities(this AkkaConfigurationBuilder builder, IPartitionRows? rows = null,
        IPartitionLocator? locator = null)
    {
        var cache = rows ?? new PartitionRowCache(PartitionRowCache.DefaultBudget);
        return builder.WithNtkWorker(
            id => PartitionEntityId.IsPartition(id)
                ? PartitionEntity.Props(NodeConfig.ComputeDispatcher, cache, locator)
                : BlockEntity.Props(NodeConfig.ComputeDispatcher, rows: cache, locator: locator),
            _ => NeuronBlockEntity.Props(NodeConfig.ComputeDispatcher));
    }
}

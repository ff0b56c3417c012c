using Akka.Hosting;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Worker.Entities;

namespace NtkCluster.Worker;

/// <summary>Akka.Hosting setup of nodes with the worker role: the regions that host block and neuron entities.</summary>
public static class WorkerHost
{
    /// <summary><see cref="NtkHostingExtensions.WithNtkWorker"/> with this project's entities, computing on the
    /// node's <see cref="NodeConfig.ComputeDispatcher"/>.</summary>
    public static AkkaConfigurationBuilder WithBlockEntities(this AkkaConfigurationBuilder builder) =>
        builder.WithNtkWorker(_ => BlockEntity.Props(NodeConfig.ComputeDispatcher), _ => NeuronBlockEntity.Props(NodeConfig.ComputeDispatcher));
}

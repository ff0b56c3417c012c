using Akka.Actor;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Entities;

namespace NtkCluster.Worker;

/// <summary>Hosting extensions for nodes with the worker role: the regions that host block and neuron entities.</summary>
public static class WorkerHost
{
    public static Task<IActorRef> StartBlockRegionAsync(this ActorSystem system) =>
        BlockSharding.StartRegionAsync(system, _ => BlockEntity.Props(NodeConfig.ComputeDispatcher));

    public static Task<IActorRef> StartNeuronRegionAsync(this ActorSystem system) =>
        BlockSharding.StartNeuronRegionAsync(system, _ => NeuronBlockEntity.Props(NodeConfig.ComputeDispatcher));
}

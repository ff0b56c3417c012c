using Akka.Actor;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Entities;

namespace NtkCluster.Worker;

/// <summary>Hosting extension for nodes with the worker role: starts the block region with its entities.</summary>
public static class WorkerHost
{
    public static Task<IActorRef> StartBlockRegionAsync(this ActorSystem system) =>
        BlockSharding.StartRegionAsync(system, _ => BlockEntity.Props(NodeConfig.ComputeDispatcher));
}

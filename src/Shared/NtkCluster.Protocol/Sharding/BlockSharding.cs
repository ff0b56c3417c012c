using Akka.Actor;
using Akka.Cluster.Sharding;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Sharding;

/// <summary>
/// The sharded entity type that computes blocks: one entity per (job, kind of block, block index). Workers host
/// the region; a coordinator-only node reaches it through a proxy. Entities are stateless, so any node can
/// recompute any block after a rebalance or a lost worker.
/// </summary>
public static class BlockSharding
{
    public const string TypeName = "ntk-block";
    public const string WorkerRole = "worker";
    public const string CoordinatorRole = "coordinator";

    /// <summary>Shards: about ten per worker node on the largest clusters we expect; fixed, so it never moves blocks.</summary>
    public const int ShardCount = 64;

    /// <summary>Starts the region that hosts block entities on this node (nodes with the worker role).</summary>
    public static Task<IActorRef> StartRegionAsync(ActorSystem system, Func<string, Props> entityProps) =>
        ClusterSharding.Get(system).StartAsync(
            TypeName,
            entityProps,
            ClusterShardingSettings.Create(system).WithRole(WorkerRole),
            new BlockMessageExtractor(ShardCount));

    /// <summary>The sharded entity type that holds neuron blocks of a network in training.</summary>
    public const string NeuronTypeName = "ntk-neurons";

    /// <summary>
    /// Starts the neuron-block region. Unlike block entities these hold state that the seed alone cannot rebuild
    /// (weights after t steps), so idle passivation is off; the coordinator releases them when a job ends and
    /// restores a lost one from its checkpoints.
    /// </summary>
    public static Task<IActorRef> StartNeuronRegionAsync(ActorSystem system, Func<string, Props> entityProps) =>
        ClusterSharding.Get(system).StartAsync(
            NeuronTypeName,
            entityProps,
            ClusterShardingSettings.Create(system).WithRole(WorkerRole).WithPassivateIdleAfter(TimeSpan.Zero),
            new BlockMessageExtractor(ShardCount));

    /// <summary>Starts a proxy to the region on a node that hosts no entities (a coordinator-only node).</summary>
    public static Task<IActorRef> StartProxyAsync(ActorSystem system) =>
        ClusterSharding.Get(system).StartProxyAsync(TypeName, WorkerRole, new BlockMessageExtractor(ShardCount));

    /// <summary>Starts a proxy to the neuron-block region on a node that hosts no entities (a coordinator-only node).</summary>
    public static Task<IActorRef> StartNeuronProxyAsync(ActorSystem system) =>
        ClusterSharding.Get(system).StartProxyAsync(NeuronTypeName, WorkerRole, new BlockMessageExtractor(ShardCount));
}

/// <summary>
/// Routes <see cref="IBlockCommand"/>s by their entity id, and the pieces of a command too large for one frame
/// (<see cref="BlockCommandChunk"/>) by the same id, so they all reach the entity the whole command would have.
/// </summary>
public sealed class BlockMessageExtractor : HashCodeMessageExtractor
{
    public BlockMessageExtractor(int maxShards) : base(maxShards) { }

    public override string? EntityId(object message) => message switch
    {
        IBlockCommand command => command.EntityId,
        BlockCommandChunk chunk => chunk.EntityId,
        _ => null,
    };
}

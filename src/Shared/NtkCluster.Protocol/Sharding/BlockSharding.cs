using Akka.Cluster.Sharding;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Sharding;

/// <summary>
/// The sharded entity type that computes blocks: one entity per (job, kind of block, block index). Workers host
/// the region; a coordinator-only node reaches it through a proxy (both set up through Akka.Hosting:
/// <see cref="Hosting.NtkHostingExtensions"/>). Entities are stateless, so any node can
/// recompute any block after a rebalance or a lost worker.
/// </summary>
public static class BlockSharding
{
    public const string TypeName = "ntk-block";
    public const string WorkerRole = "worker";
    public const string CoordinatorRole = "coordinator";

    /// <summary>Shards: about ten per worker node on the largest clusters we expect; fixed, so it never moves blocks.</summary>
    public const int ShardCount = 64;

    /// <summary>The sharded entity type that holds neuron blocks of a network in training (stateful: see
    /// <see cref="Hosting.NtkHostingExtensions.WithNtkWorker"/>).</summary>
    public const string NeuronTypeName = "ntk-neurons";
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

/// <summary>The actor registry's key for the block region (or its proxy on a coordinator-only node).</summary>
public sealed class BlockRegion
{
    private BlockRegion() { }
}

/// <summary>The actor registry's key for the neuron-block region (or its proxy on a coordinator-only node).</summary>
public sealed class NeuronRegion
{
    private NeuronRegion() { }
}

using System.Runtime.CompilerServices;
using Akka.Actor;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// Which worker node hosts which shard of the block region, as learned from the answers themselves: an answer's
/// sender is the entity, whose path names its node and its shard (…/sharding/ntk-block/&lt;shard&gt;/&lt;entity&gt;), and, for
/// worker nodes no answer came from yet (a coordinator's first round), from their regions' own lists of their shards
/// (<see cref="RoundReceiver"/>). One map per actor system, shared by every round and job, so a new round already knows
/// where most shards live.
/// </summary>
/// <remarks>
/// It is what lets a round ask a block again <em>elsewhere</em> without the shard coordinator: a backup entity id is
/// chosen whose shard is already at home on another, reachable node, and the region (or proxy) routes to a home it
/// already knows. Homes are kept per entity type: the block region's shards and the neuron region's (a neuron block
/// restored on a backup, <see cref="ShardedNeuronBlocks"/>) are numbered alike but live apart; a method without a type
/// means the block region. The shard coordinator may be the very thing that is stuck — it lives on the oldest worker, which may
/// be the one stopped — and a new shard would wait for it to be allocated. A stale entry (a shard rebalanced since)
/// only sends a backup somewhere less useful; entries of nodes no longer members are dropped by the rounds.
/// </remarks>
public sealed class ShardHomes
{
    private static readonly ConditionalWeakTable<ActorSystem, ShardHomes> PerSystem = new();
    private static readonly BlockMessageExtractor Extractor = new(BlockSharding.ShardCount);

    /// <summary>How many replica numbers are tried to find a backup id whose shard is at home on a wanted node: with
    /// one known shard out of 64 there, a miss is (63/64)^4096, nil.</summary>
    private const int MaxReplica = 4096;

    private readonly Dictionary<(string Type, string Shard), Address> _homes = new();
    private readonly Dictionary<Address, long> _asked = new();
    private readonly object _lock = new();

    public static ShardHomes Of(ActorSystem system) => PerSystem.GetValue(system, _ => new ShardHomes());

    /// <summary>The shard of an entity id (as the block region computes it).</summary>
    public static string ShardOf(string entityId) => Extractor.ShardId(entityId, null);

    /// <summary>Records the home of the shard of <paramref name="entity"/>, if it is a block- or neuron-region entity
    /// on a remote node.</summary>
    public void Learn(IActorRef entity) => Learn(entity.Path);

    /// <summary>Records the home of the shard of the entity at <paramref name="path"/>, if it is a block- or
    /// neuron-region entity on a remote node.</summary>
    public void Learn(ActorPath path)
    {
        if (!path.Address.HasGlobalScope || path.Parent is not { } shard || shard.Parent?.Name is not ({ } type and (BlockSharding.TypeName or BlockSharding.NeuronTypeName)))
            return;
        lock (_lock) _homes[(type, shard.Name)] = path.Address;
    }

    /// <summary>Records a shard's home: from a worker region's own list of its shards (<see cref="RoundReceiver"/> asks
    /// the nodes it knows no shard of), or in tests.</summary>
    public void Learn(string shard, Address node, string type = BlockSharding.TypeName)
    {
        lock (_lock) _homes[(type, shard)] = node;
    }

    /// <summary>
    /// Whether to ask <paramref name="node"/>'s region for its shards now: not if it was asked less than
    /// <paramref name="interval"/> ago (by any round of this actor system), so a node that hosts no shard yet is not
    /// asked by every round of a job.
    /// </summary>
    public bool ClaimAsk(Address node, TimeSpan interval)
    {
        long now = Environment.TickCount64;
        lock (_lock)
        {
            if (_asked.TryGetValue(node, out long last) && now - last < interval.TotalMilliseconds) return false;
            _asked[node] = now;
            return true;
        }
    }

    /// <summary>Where the shard of <paramref name="entityId"/> (of entity type <paramref name="type"/>) lives, if known.</summary>
    public Address? HomeOf(string entityId, string type = BlockSharding.TypeName)
    {
        lock (_lock) return _homes.GetValueOrDefault((type, ShardOf(entityId)));
    }

    /// <summary>The nodes known to host a shard of entity type <paramref name="type"/>.</summary>
    public IReadOnlyList<Address> Nodes(string type = BlockSharding.TypeName)
    {
        lock (_lock) return _homes.Where(h => h.Key.Type == type).Select(h => h.Value).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>Forgets every shard of nodes for which <paramref name="gone"/> holds (removed from the cluster: a node
    /// that rejoins at the same address hosts none of them), and when they were last asked for their shards.</summary>
    public void Forget(Func<Address, bool> gone)
    {
        lock (_lock)
        {
            foreach (var shard in _homes.Where(h => gone(h.Value)).Select(h => h.Key).ToList())
                _homes.Remove(shard);
            foreach (var node in _asked.Keys.Where(gone).ToList())
                _asked.Remove(node);
        }
    }

    /// <summary>
    /// A backup id of <paramref name="entityId"/> (of entity type <paramref name="type"/>) whose shard is at home on
    /// <paramref name="node"/> (the lowest replica number that is, passing over ids <paramref name="skip"/> refuses), or
    /// null when none of the first <see cref="MaxReplica"/> is.
    /// </summary>
    public string? BackupOn(string entityId, Address node, string type = BlockSharding.TypeName, Func<string, bool>? skip = null)
    {
        HashSet<string> shards;
        lock (_lock) shards = _homes.Where(h => h.Key.Type == type && h.Value == node).Select(h => h.Key.Shard).ToHashSet();
        if (shards.Count == 0) return null;
        for (int replica = 1; replica <= MaxReplica; replica++)
        {
            string id = BackupEntityId.Of(entityId, replica);
            if (shards.Contains(ShardOf(id)) && skip?.Invoke(id) != true) return id;
        }
        return null;
    }
}

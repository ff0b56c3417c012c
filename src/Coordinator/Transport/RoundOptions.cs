using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// How a round of block requests is run: how many blocks may be in flight at once (which also bounds how many
/// early answers the coordinator holds while it waits for the next block in order), how long one block may take,
/// and how many times an unanswered block is asked again (blocks are idempotent, so a retry is always safe).
/// </summary>
public sealed record RoundOptions(int Window, TimeSpan BlockTimeout, int Attempts)
{
    public static RoundOptions ForWorkers(int workers, TimeSpan? blockTimeout = null) =>
        new(Math.Max(1, workers), blockTimeout ?? TimeSpan.FromMinutes(5), 2);

    /// <summary>
    /// The workers are on other nodes (a cluster coordinator node; off in local mode). Then a round sends its
    /// requests through a receiver actor of its own that cuts commands larger than <see cref="ChunkBytes"/> into
    /// pieces (each must fit in a remote frame), puts replies that come in pieces back together, and watches cluster
    /// membership: blocks unanswered when a worker node is removed are asked again as soon as their shards are
    /// re-homed (see <see cref="RoundReceiver"/>), and when no worker node is up for <see cref="NoWorkerTimeout"/>
    /// the round fails.
    /// Off, requests are plain asks and nothing is serialized or copied.
    /// </summary>
    public bool Remote { get; init; }

    /// <summary>Commands whose payload is larger are sent in pieces of this size (remote rounds only).</summary>
    public int ChunkBytes { get; init; } = ChunkedTransfer.DefaultChunkBytes;

    /// <summary>How long a remote round waits, while no worker node is up and reachable, before it fails.</summary>
    public TimeSpan NoWorkerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a worker node is removed from the cluster, how long before the round starts checking whether the shard
    /// coordinator has forgotten the node's region — the moment its unanswered blocks are asked again, so the new
    /// requests go to where the shards are re-homed and not to the dead node.
    /// </summary>
    public TimeSpan ResendDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a worker node may stay unreachable while this round has blocks unanswered before the round downs it
    /// (remote rounds only); null leaves it to the split-brain resolver (<c>stable-after</c>, 7 s). Its blocks can only
    /// be asked again once its shards are re-homed, which needs the node removed, so downing it early saves the rest of
    /// the resolver's wait. A node that was only slow rejoins as a new node (<c>ntk-worker</c> joins its seeds again
    /// when it is downed).
    /// </summary>
    public TimeSpan? DownUnreachableAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A block of a remote round unanswered for this many times the round's median block time (and at least
    /// <see cref="MinimumStall"/>) is asked again speculatively and reported (<see cref="StallWatch"/>).</summary>
    public double StallFactor { get; init; } = 3;

    /// <summary>The shortest wait that counts as a stall, however fast the round's blocks are.</summary>
    public TimeSpan MinimumStall { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The entity a command is sent to when it is not the command's own (<see cref="IBlockCommand.EntityId"/>):
    /// a neuron block restored on a backup entity is addressed there for the rest of its job
    /// (<see cref="ShardedNeuronBlocks"/>); null, or a null answer, for the command's own. Remote rounds only.</summary>
    public Func<IBlockCommand, string?>? AddressOf { get; init; }

    /// <summary>
    /// For an answer that says what the entity lacks to compute its block (a <see cref="ScorerMissing"/>):
    /// the command that supplies it, which a remote round sends to that very entity — a backup too — keeping the block
    /// pending, so a backup on a node that was never given it computes the block instead of answering it uselessly;
    /// null: the answer is the block's. Remote rounds only (a local round repairs through its <c>repair</c> callback).
    /// </summary>
    public Func<IBlockCommand, IBlockReply, IBlockCommand?>? Supply { get; init; }

    /// <summary>Where a remote round reports membership changes that affect it (a worker lost, blocks asked again);
    /// null logs them as warnings.</summary>
    public Action<string>? Notify { get; init; }
}

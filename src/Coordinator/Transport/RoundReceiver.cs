using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using ClusterEvent = Akka.Cluster.ClusterEvent;
using Member = Akka.Cluster.Member;
using MemberStatus = Akka.Cluster.MemberStatus;
using UniqueAddress = Akka.Cluster.UniqueAddress;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// The asking side of a remote round (<see cref="RoundOptions.Remote"/>): a <see cref="RoundReceiver"/> actor that
/// sends the round's requests and receives their answers, and a task per request. An ask completes on the first
/// message, which is why a reply that comes in pieces needs an actor of its own to be put together.
/// </summary>
internal sealed class RemoteRound : IDisposable
{
    private readonly IActorRef _receiver;
    private readonly CancellationTokenSource _closed = new();

    private RemoteRound(IActorRef receiver) => _receiver = receiver;

    /// <summary>Starts the receiver for a round whose requests go to <paramref name="region"/>, in the region's actor system.</summary>
    public static RemoteRound Start(IActorRef region, RoundOptions options)
    {
        if (region is not IInternalActorRef local)
            throw new ArgumentException($"a remote round needs a region of this actor system, got a {region.GetType().Name}", nameof(region));
        var system = local.Provider.Settings.System;
        return new RemoteRound(system.ActorOf(Props.Create(() => new RoundReceiver(region, options))));
    }

    /// <summary>
    /// Sends <paramref name="command"/> (in pieces if it is large) and waits for its answer: the reply, a
    /// <see cref="BlockFailed"/> or another reply of the block. Asking again for the same block — a retry after a
    /// timeout — sends the command anew, and whichever sending is answered first answers it.
    /// </summary>
    /// <exception cref="AskTimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="JobFailedException">No worker node was up for <see cref="RoundOptions.NoWorkerTimeout"/>.</exception>
    public async Task<object> AskAsync(IBlockCommand command, TimeSpan timeout, CancellationToken cancel)
    {
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiver.Tell(new RoundReceiver.Dispatch(command, answer));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, _closed.Token);
        try
        {
            return await answer.Task.WaitAsync(timeout, stop.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException($"block {command.BlockIndex} of job {command.JobId}: no answer within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Sends a still unanswered request once more to a backup entity on another worker node (see
    /// <see cref="RoundReceiver.AskElsewhere"/>), or, when no other node is known, to its own entity again; the round
    /// reports <paramref name="why"/> with where it went.</summary>
    public void AskElsewhere(IBlockCommand command, string why) =>
        _receiver.Tell(new RoundReceiver.AskElsewhere(command.JobId, command.BlockIndex, why));

    /// <summary>Ends the round: the receiver stops (dropping any partial replies) and unfinished asks are cancelled.</summary>
    public void Dispose()
    {
        _closed.Cancel();
        _receiver.Tell(PoisonPill.Instance);
    }
}

/// <summary>
/// One remote round's receiver. It sends each request to the region with itself as the sender — whole, or as
/// <see cref="BlockCommandChunk"/>s of at most <see cref="RoundOptions.ChunkBytes"/> when its payload is larger —
/// and completes the request's task with the reply, whole or put together from <see cref="BlockReplyChunk"/>s.
/// </summary>
/// <remarks>
/// <para>It also watches cluster membership. When a worker node is removed (the split-brain resolver downed it, or it
/// left), every request still unanswered is sent again as soon as its shard can be re-homed, instead of waiting out
/// the block timeout. "As soon as" is when the shard coordinator no longer lists the node's region (asked with
/// <see cref="GetCurrentRegions"/> every 250 ms from <see cref="RoundOptions.ResendDelay"/> after the removal, for at
/// most 30 s): until it has recorded the region's end — a Distributed Data write that waits for the dead node until
/// it times out, measured 2–9 s after the removal — it can still hand out the dead region as a shard's home, and a
/// request routed there is lost again. Blocks are idempotent, so an answer from a worker that was merely slow is as
/// good; blocks whose worker is alive are computed twice, at most the round's window of them. A node that is only
/// unreachable still owns its shards — requests sent to its entities would be lost as well — so its unanswered blocks
/// are asked at once of backup entities on other nodes (<see cref="AskElsewhere"/>, <see cref="ShardHomes"/>: the
/// failure-detection time plus one block time). A neuron block, whose state a copy of the command cannot rebuild, is
/// answered <see cref="NeuronHostLost"/> instead, and its job restores it on a backup entity from its checkpoint
/// (<see cref="ShardedNeuronBlocks"/>); only when no other reachable node is known to host a neuron shard does it wait
/// for the node's removal. To shorten that wait, a worker that stays unreachable for <see cref="RoundOptions.DownUnreachableAfter"/>
/// while blocks are unanswered is downed by the round instead of after the split-brain resolver's stable-after. When no worker node is up and reachable for <see cref="RoundOptions.NoWorkerTimeout"/>, the unanswered
/// requests fail with a clear message.</para>
/// <para>Pieces of a reply are kept by sender and transfer id; a transfer that receives nothing for
/// <see cref="ChunkedTransfer.PartialTimeout"/> is dropped, and whatever is left goes when the round ends.</para>
/// </remarks>
public sealed class RoundReceiver : ReceiveActor, IWithTimers
{
    /// <summary>Send a request and complete <see cref="Answer"/> with its reply.</summary>
    public sealed record Dispatch(IBlockCommand Command, TaskCompletionSource<object> Answer) : INoSerializationVerificationNeeded;

    private sealed record Resend(string Reason) : INoSerializationVerificationNeeded;


    /// <summary>
    /// Send a pending request, if it is still unanswered, to a backup entity (<see cref="BackupEntityId"/>) whose shard
    /// is at home on another reachable worker node (<see cref="ShardHomes"/>): a speculative copy that does not depend
    /// on the stalled node or on the shard coordinator. Without such a node, to its own entity again. Reports
    /// <see cref="Why"/> and where the copy went.
    /// </summary>
    public sealed record AskElsewhere(string JobId, int BlockIndex, string Why) : INoSerializationVerificationNeeded;

    /// <summary>Asks the region whether the shard coordinator still lists the region of a removed node.</summary>
    /// <param name="BeforeRound">The node was removed before this round began (seen at start, <see cref="Since"/> is then the round's start).</param>
    private sealed record CheckRehomed(Address Gone, long Since, bool BeforeRound = false) : INoSerializationVerificationNeeded;

    /// <summary>The cluster's members and the shard coordinator's regions when the round began.</summary>
    private sealed record RegionsAtStart(IImmutableSet<Address> Members, IImmutableSet<Address>? Regions) : INoSerializationVerificationNeeded;

    /// <summary>The coordinator's regions (null: no answer in time).</summary>
    private sealed record RegionsSeen(CheckRehomed Check, IImmutableSet<Address>? Regions) : INoSerializationVerificationNeeded;

    /// <summary>How long to wait for the shard coordinator to forget a removed node's region before resending anyway.</summary>
    private static readonly TimeSpan RehomeTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RehomePoll = TimeSpan.FromMilliseconds(250);

    private sealed record NoWorkerDeadline(int Generation) : INoSerializationVerificationNeeded;

    /// <summary>The shards a worker node's block region hosts (null: no answer in time).</summary>
    private sealed record HomesSeen(Address Node, IReadOnlyCollection<string>? Shards) : INoSerializationVerificationNeeded;

    /// <summary>How long a worker region has to list its shards; a node that does not answer (stopped) is simply not
    /// learned, the others' answers do not wait for it.</summary>
    private static readonly TimeSpan HomesTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A worker node is asked for its shards at most this often at a round's start (by any round of the system).</summary>
    private static readonly TimeSpan HomesInterval = TimeSpan.FromSeconds(10);

    /// <summary>Down <see cref="Node"/> if it is still unreachable and blocks are still unanswered.</summary>
    private sealed record DownIfUnreachable(UniqueAddress Node) : INoSerializationVerificationNeeded;

    private sealed record Sweep : INoSerializationVerificationNeeded
    {
        public static readonly Sweep Instance = new();
    }

    private sealed record Pending(IBlockCommand Command, TaskCompletionSource<object> Answer)
    {
        /// <summary>The nodes a backup of this block was sent to.</summary>
        public HashSet<Address> Backups { get; } = new();
    }

    private readonly IActorRef _region;
    private readonly RoundOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<(string JobId, int Block), Pending> _pending = new();
    private readonly Dictionary<(IActorRef From, long Transfer), ChunkAssembly> _replies = new();
    private readonly HashSet<UniqueAddress> _workers = new();
    private readonly HashSet<UniqueAddress> _unreachable = new();
    private Akka.Cluster.Cluster? _cluster;
    private long? _noWorkerSince;
    private int _generation;
    private string _jobId = "?";

    public ITimerScheduler Timers { get; set; } = null!;

    public RoundReceiver(IActorRef region, RoundOptions options)
    {
        _region = region;
        _options = options;
        Receive<Dispatch>(OnDispatch);
        Receive<IBlockReply>(reply => Complete(reply, Sender));
        Receive<BlockReplyChunk>(OnChunk);
        Receive<ClusterEvent.CurrentClusterState>(OnSnapshot);
        Receive<ClusterEvent.MemberUp>(e => Joined(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Joined(e.Member));
        Receive<ClusterEvent.MemberLeft>(e => Gone(e.Member, removed: false));
        Receive<ClusterEvent.MemberExited>(e => Gone(e.Member, removed: false));
        Receive<ClusterEvent.MemberDowned>(e => Gone(e.Member, removed: false));
        Receive<ClusterEvent.MemberRemoved>(e => Gone(e.Member, removed: true));
        Receive<ClusterEvent.UnreachableMember>(e => Reachability(e.Member, reachable: false));
        Receive<ClusterEvent.ReachableMember>(e => Reachability(e.Member, reachable: true));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { }); // MemberJoined and the like change nothing here
        Receive<Resend>(OnResend);
        Receive<AskElsewhere>(a =>
        {
            if (_pending.TryGetValue((a.JobId, a.BlockIndex), out var p)) Elsewhere(p, a.Why);
        });
        Receive<CheckRehomed>(OnCheckRehomed);
        Receive<RegionsSeen>(OnRegionsSeen);
        Receive<RegionsAtStart>(OnRegionsAtStart);
        Receive<HomesSeen>(OnHomesSeen);
        Receive<NoWorkerDeadline>(OnNoWorkerDeadline);
        Receive<DownIfUnreachable>(OnDownIfUnreachable);
        Receive<Sweep>(_ => SweepPartialReplies());
    }

    protected override void PreStart()
    {
        // Membership is only known on a cluster node; a round against a test probe has none to watch.
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            _cluster = Akka.Cluster.Cluster.Get(Context.System);
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
            // Known at once, not when the snapshot arrives: a request dispatched first may be for a neuron block on a
            // node already unreachable (OnDispatch).
            foreach (var m in _cluster.State.Members.Where(m => IsWorker(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp)) _workers.Add(m.UniqueAddress);
            foreach (var m in _cluster.State.Unreachable.Where(IsWorker)) _unreachable.Add(m.UniqueAddress);
        }
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, ChunkedTransfer.PartialTimeout / 2);
    }

    protected override void PostStop()
    {
        _cluster?.Unsubscribe(Self);
        foreach (var p in _pending.Values) p.Answer.TrySetCanceled();
        _pending.Clear();
        _replies.Clear();
    }

    // ------------------------------------------------------------------------------------------ requests and replies

    private void OnDispatch(Dispatch d)
    {
        _jobId = d.Command.JobId;
        var pending = new Pending(d.Command, d.Answer);
        _pending[(d.Command.JobId, d.Command.BlockIndex)] = pending;
        if (_noWorkerSince is { } since && Stopwatch.GetElapsedTime(since) >= _options.NoWorkerTimeout)
        {
            FailAll(); // the wait for a worker is over already
            return;
        }
        if (IsNeuronBlock(d.Command) && NeuronHome(d.Command) is { } home && _unreachable.Any(u => u.Address == home) &&
            LoseHost(pending, home, $"worker node {home} is unreachable"))
            return;
        Send(d.Command, d.Answer);
    }

    /// <summary>Sends a request whole, or in pieces when its payload is larger than a chunk; to a backup entity
    /// (<paramref name="backupId"/>) always in pieces, since the pieces are what is routed by the id they carry.</summary>
    private void Send(IBlockCommand command, TaskCompletionSource<object> answer, string? backupId = null)
    {
        backupId ??= _options.AddressOf?.Invoke(command);
        byte[] payload;
        try
        {
            payload = NtkMessageSerializer.Serialize(command);
        }
        catch (Exception e)
        {
            // A bug, not a lost worker: fail the block instead of restarting the receiver (which would lose every request).
            _pending.Remove((command.JobId, command.BlockIndex));
            answer.TrySetException(new JobFailedException($"block {command.BlockIndex} of job {command.JobId} cannot be sent: {e.Message}"));
            return;
        }
        if (payload.Length <= _options.ChunkBytes && backupId is null)
        {
            _region.Tell(command, Self); // small: remoting serializes it again, cheaper than pieces
            return;
        }
        long transfer = ChunkedTransfer.NextTransferId();
        // All pieces of one command go out at once: what is in flight is bounded by the round's window of commands.
        ChunkedTransfer.SendAll(payload, _options.ChunkBytes, ChunkedTransfer.CommandPieces(backupId ?? command.EntityId, transfer, NtkMessageSerializer.ManifestOf(command)), _region, Self);
    }

    private void Complete(IBlockReply reply, IActorRef entity)
    {
        ShardHomes.Of(Context.System).Learn(entity);
        // An entity that lacks what only the block's first sendings carry (a scorer) is given it, and the block stays
        // pending: a backup on a node that never had it computes the block too, instead of answering it uselessly.
        if (_options.Supply is { } supply && _pending.TryGetValue((reply.JobId, reply.BlockIndex), out var waiting) &&
            supply(waiting.Command, reply) is { } supplied)
        {
            string id = Uri.UnescapeDataString(entity.Path.Name); // an entity actor's name is its escaped id
            Send(supplied, waiting.Answer, BackupEntityId.IsBackup(id) ? id : null);
            return;
        }
        // A backup that lacks what only the block's own entity was given (a scorer) or cannot read the partition where it
        // runs says nothing about the block: the original's answer, or a later resend's, is the one to wait for.
        if (reply is ScorerMissing or PartitionUnreadable && BackupEntityId.IsBackup(entity.Path.Name)) return;
        // A reply for a block no longer pending is a second answer (a resend or retry crossed a slow worker): dropped.
        if (_pending.Remove((reply.JobId, reply.BlockIndex), out var pending)) pending.Answer.TrySetResult(reply);
    }

    private void OnChunk(BlockReplyChunk chunk)
    {
        var key = (Sender, chunk.TransferId);
        if (!_replies.TryGetValue(key, out var assembly))
        {
            assembly = new ChunkAssembly(chunk.TransferId, chunk.Count, chunk.Manifest);
            _replies[key] = assembly;
        }
        if (!assembly.Add(chunk.Index, chunk.Count, chunk.Manifest, chunk.Bytes))
        {
            _log.Warning($"reply transfer {chunk.TransferId} from {Sender.Path}: piece {chunk.Index}/{chunk.Count} ({chunk.Manifest}) " +
                         $"contradicts its first piece ({assembly.Count}, {assembly.Manifest}); dropped");
            _replies.Remove(key);
            return;
        }
        if (!assembly.IsComplete) return;
        _replies.Remove(key);
        object message;
        try
        {
            message = NtkMessageSerializer.Deserialize(assembly.Join(), assembly.Manifest);
        }
        catch (Exception e)
        {
            _log.Error($"reply transfer {chunk.TransferId} from {Sender.Path} ({assembly.Count} pieces) does not read back: {e.Message}");
            return;
        }
        if (message is IBlockReply reply) Complete(reply, Sender);
        else _log.Error($"reply transfer {chunk.TransferId} from {Sender.Path} carried a {message.GetType().Name}, not a block reply");
    }

    private void SweepPartialReplies()
    {
        foreach (var (key, assembly) in _replies.Where(r => r.Value.Idle >= ChunkedTransfer.PartialTimeout).ToList())
        {
            _log.Warning($"reply transfer {assembly.TransferId} from {key.From.Path}: only {assembly.Received} of {assembly.Count} pieces " +
                         $"arrived with no new piece for {ChunkedTransfer.PartialTimeout.TotalSeconds:0} s; dropped");
            _replies.Remove(key);
        }
    }

    // ------------------------------------------------------------------------------------------ membership

    private static bool IsWorker(Member m) => m.HasRole(BlockSharding.WorkerRole);

    private void OnSnapshot(ClusterEvent.CurrentClusterState state)
    {
        _workers.Clear();
        _unreachable.Clear();
        foreach (var m in state.Members.Where(m => IsWorker(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp)) _workers.Add(m.UniqueAddress);
        foreach (var m in state.Unreachable.Where(IsWorker)) _unreachable.Add(m.UniqueAddress);
        CheckWorkers();
        // A node removed shortly before this round began may still be listed by the shard coordinator, which can
        // then route this round's requests to it: find out, and treat such a node as removed during the round.
        var members = state.Members.Select(m => m.Address).ToImmutableHashSet();
        ShardHomes.Of(Context.System).Forget(a => !members.Contains(a));
        AskHomes(atStart: true);
        var self = Self;
        _region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5)).ContinueWith(
            t => new RegionsAtStart(members, t.IsCompletedSuccessfully ? t.Result.Regions : null),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(self);
    }

    /// <summary>
    /// Asks the block region of each Up worker node that hosts no known shard for the shards it hosts — each node on its
    /// own, so a stopped one delays no other, and without the shard coordinator, which may be on the stopped node. A
    /// coordinator that just started knows no home until answers come; without this, a worker lost in its first round
    /// would have no known "elsewhere" for its blocks. At a round's start a node is asked at most every
    /// <see cref="HomesInterval"/>; when a block finds no other node for a backup, at once.
    /// </summary>
    private void AskHomes(bool atStart)
    {
        if (_cluster is null) return;
        var homes = ShardHomes.Of(Context.System);
        var known = homes.Nodes().ToHashSet();
        var self = Self;
        foreach (var node in _workers.Select(w => w.Address).Where(a => !known.Contains(a) && Usable(a)).ToList())
        {
            if (!homes.ClaimAsk(node, atStart ? HomesInterval : TimeSpan.FromSeconds(1))) continue;
            var region = Context.ActorSelection(new RootActorPath(node) / "system" / "sharding" / BlockSharding.TypeName);
            region.Ask<ShardRegionStats>(GetShardRegionStats.Instance, HomesTimeout).ContinueWith(
                t => new HomesSeen(node, t.IsCompletedSuccessfully ? t.Result.Stats.Keys.ToList() : null),
                TaskContinuationOptions.ExecuteSynchronously).PipeTo(self);
        }
    }

    private void OnHomesSeen(HomesSeen seen)
    {
        if (seen.Shards is null || !_workers.Any(w => w.Address == seen.Node)) return;
        var homes = ShardHomes.Of(Context.System);
        foreach (string shard in seen.Shards) homes.Learn(shard, seen.Node);
        _log.Debug($"worker node {seen.Node} hosts shard(s) [{string.Join(", ", seen.Shards)}] of the block region");
        // Blocks of a node that became unreachable before any other home was known get their backups now.
        if (seen.Shards.Count > 0 && _pending.Count > 0)
            foreach (var node in _unreachable.Select(u => u.Address).Distinct().ToList())
                BackUpBlocksOf(node);
    }

    private void OnRegionsAtStart(RegionsAtStart start)
    {
        if (start.Regions is null) return;
        foreach (var gone in start.Regions.Where(a => !start.Members.Contains(a)))
            if (!Timers.IsTimerActive($"rehome-{gone}"))
                Timers.StartSingleTimer($"rehome-{gone}", new CheckRehomed(gone, Stopwatch.GetTimestamp(), BeforeRound: true), RehomePoll);
    }

    private void Joined(Member m)
    {
        if (!IsWorker(m)) return;
        _workers.Add(m.UniqueAddress);
        CheckWorkers();
    }

    private void Gone(Member m, bool removed)
    {
        if (!IsWorker(m)) return;
        _workers.Remove(m.UniqueAddress);
        if (removed)
        {
            _unreachable.Remove(m.UniqueAddress);
            ShardHomes.Of(Context.System).Forget(a => a == m.Address);
            // Requests sent now could still be routed to the dead node's region: the shard coordinator deallocates its
            // shards only once it has recorded the region's end (a Distributed Data write that can wait seconds for
            // the dead node). So wait at least ResendDelay, then until the coordinator no longer lists the node.
            if (_pending.Count > 0)
                Timers.StartSingleTimer($"rehome-{m.Address}", new CheckRehomed(m.Address, Stopwatch.GetTimestamp()), _options.ResendDelay);
        }
        CheckWorkers();
    }

    private void Reachability(Member m, bool reachable)
    {
        if (!IsWorker(m)) return;
        if (reachable)
        {
            _unreachable.Remove(m.UniqueAddress);
            Timers.Cancel($"down-{m.UniqueAddress}");
        }
        else
        {
            _unreachable.Add(m.UniqueAddress);
            BackUpBlocksOf(m.Address);
            if (_pending.Count > 0 && _options.DownUnreachableAfter is { } after && _cluster is not null)
            {
                Notify($"worker node {m.Address} is unreachable; unless it is back within {after.TotalSeconds:0.#} s it is downed and the " +
                       $"{_pending.Count} unanswered block(s) of job {_jobId} are asked again");
                Timers.StartSingleTimer($"down-{m.UniqueAddress}", new DownIfUnreachable(m.UniqueAddress), after);
            }
            else if (_pending.Count > 0)
            {
                Notify($"worker node {m.Address} is unreachable; if the cluster removes it, the {_pending.Count} unanswered block(s) " +
                       $"of job {_jobId} are asked again");
            }
        }
        CheckWorkers();
    }

    /// <summary>Starts the wait for a worker when none is up and reachable, and ends it when one is again.</summary>
    private void CheckWorkers()
    {
        int up = _workers.Count(w => !_unreachable.Contains(w));
        if (up == 0 && _noWorkerSince is null)
        {
            _noWorkerSince = Stopwatch.GetTimestamp();
            Timers.StartSingleTimer("no-worker", new NoWorkerDeadline(++_generation), _options.NoWorkerTimeout);
            if (_pending.Count > 0)
                Notify($"no worker node is up; {_pending.Count} block(s) of job {_jobId} wait up to {_options.NoWorkerTimeout.TotalSeconds:0.#} s for one");
        }
        else if (up > 0 && _noWorkerSince is not null)
        {
            _noWorkerSince = null;
            _generation++;
            Timers.Cancel("no-worker");
            if (_pending.Count > 0) Timers.StartSingleTimer("resend", new Resend("a worker node is up again"), _options.ResendDelay);
        }
    }

    /// <summary>
    /// A worker node became unreachable: every unanswered block that has no copy on a reachable node — its shard at home
    /// on that node (or nobody knows where), and no backup elsewhere yet — is asked again at once on another node,
    /// without waiting for the node to be downed and its shards re-homed. Blocks are idempotent: if the node was only
    /// slow, its answer and the backup's are the same, and the first one is used.
    /// </summary>
    private void BackUpBlocksOf(Address node)
    {
        // A neuron block there (or nobody knows where) is restored elsewhere by its job: its state cannot be recomputed
        // by a plain copy of the command.
        foreach (var p in _pending.Values.Where(p => IsNeuronBlock(p.Command)).OrderBy(p => p.Command.BlockIndex).ToList())
            if (NeuronHome(p.Command) is not { } at || at == node)
                LoseHost(p, node, $"worker node {node} is unreachable");
        var homes = ShardHomes.Of(Context.System);
        var sent = new List<(int Block, Address To)>();
        bool nowhere = false;
        foreach (var p in _pending.Values.Where(p => BackupEntityId.Allows(p.Command)).OrderBy(p => p.Command.BlockIndex).ToList())
        {
            bool liveCopy = homes.HomeOf(p.Command.EntityId) is { } home && Usable(home) || p.Backups.Any(Usable);
            if (liveCopy) continue;
            if (SendElsewhere(p) is { } to) sent.Add((p.Command.BlockIndex, to));
            else nowhere = true;
        }
        if (nowhere) AskHomes(atStart: false); // their backups go out when a node's shards are known (OnHomesSeen)
        if (sent.Count > 0)
            Notify($"worker node {node} is unreachable; block(s) {string.Join(", ", sent.Select(s => s.Block))} of job {_jobId} asked again at once on " +
                   $"worker node(s) {string.Join(", ", sent.Select(s => s.To).Distinct())} (the first answer is used)");
    }

    private void Elsewhere(Pending p, string why)
    {
        if (IsNeuronBlock(p.Command) && LoseHost(p, NeuronHome(p.Command), why)) return;
        if (p.Backups.FirstOrDefault(Usable) is { } already)
        {
            Notify($"{why}; it is asked of worker node {already} already (the first answer is used)");
            return;
        }
        if (SendElsewhere(p) is { } to)
        {
            Notify($"{why}; asked again on worker node {to} (the first answer is used)");
            return;
        }
        Send(p.Command, p.Answer);
        Notify(BackupEntityId.Allows(p.Command)
            ? $"{why}; asked again (no other reachable worker node is known to host its shards; the first answer is used)"
            : $"{why}; asked again of its own entity (its state lives there: it has no backup; the first answer is used)");
    }

    /// <summary>Sends a backup of a pending block to a reachable node other than its shard's home and its earlier
    /// backups', spread over such nodes by block index; returns the node, or null when there is none.</summary>
    private Address? SendElsewhere(Pending p)
    {
        if (!BackupEntityId.Allows(p.Command)) return null;
        var homes = ShardHomes.Of(Context.System);
        var home = homes.HomeOf(p.Command.EntityId);
        var candidates = homes.Nodes().Where(n => n != home && !p.Backups.Contains(n) && Usable(n)).ToList();
        for (int i = 0; i < candidates.Count; i++)
        {
            var node = candidates[(p.Command.BlockIndex + i) % candidates.Count];
            if (homes.BackupOn(p.Command.EntityId, node) is not { } backup) continue;
            p.Backups.Add(node);
            Send(p.Command, p.Answer, backup);
            return node;
        }
        return null;
    }

    /// <summary>A neuron-block command: its entity holds state a plain copy of the command cannot rebuild.</summary>
    private static bool IsNeuronBlock(IBlockCommand command) => command is LoadNeuronBlock or NeuronStep or InspectNeuronBlock;

    /// <summary>The node the entity a neuron-block command goes to (its own, or the backup it was moved to) is at home on.</summary>
    private Address? NeuronHome(IBlockCommand command) =>
        ShardHomes.Of(Context.System).HomeOf(_options.AddressOf?.Invoke(command) ?? command.EntityId, BlockSharding.NeuronTypeName);

    /// <summary>
    /// Answers a pending neuron-block command with <see cref="NeuronHostLost"/> — its job restores the block on a backup
    /// entity and asks there — when a reachable node other than <paramref name="lost"/> is known to host a neuron shard
    /// (a backup there needs no shard coordinator); otherwise leaves it pending (the node's removal resends it) and says no.
    /// </summary>
    private bool LoseHost(Pending p, Address? lost, string why)
    {
        var usable = ShardHomes.Of(Context.System).Nodes(BlockSharding.NeuronTypeName).Where(n => n != lost && Usable(n)).ToList();
        if (usable.Count == 0) return false;
        _pending.Remove((p.Command.JobId, p.Command.BlockIndex));
        p.Answer.TrySetResult(new NeuronHostLost(p.Command.JobId, p.Command.BlockIndex, lost, usable, why));
        return true;
    }

    /// <summary>Whether a node may compute a backup: an Up, reachable worker (any node outside a cluster, in tests).</summary>
    private bool Usable(Address node) =>
        _cluster is null || _workers.Any(w => w.Address == node) && !_unreachable.Any(u => u.Address == node);

    private void OnCheckRehomed(CheckRehomed check)
    {
        if (_pending.Count == 0) return;
        var self = Self;
        _region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5)).ContinueWith(
            t => new RegionsSeen(check, t.IsCompletedSuccessfully ? t.Result.Regions : null),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(self);
    }

    private void OnRegionsSeen(RegionsSeen seen)
    {
        var check = seen.Check;
        _log.Debug($"{Stopwatch.GetElapsedTime(check.Since).TotalSeconds:0.00} s after the removal the shard coordinator lists " +
                   (seen.Regions is null ? "nothing (no answer)" : $"regions [{string.Join(", ", seen.Regions)}]") + $"; waiting for {check.Gone} to go");
        bool forgotten = seen.Regions is { } regions && !regions.Contains(check.Gone);
        if (!forgotten && Stopwatch.GetElapsedTime(check.Since) < RehomeTimeout)
        {
            Timers.StartSingleTimer($"rehome-{check.Gone}", check, RehomePoll);
            return;
        }
        double after = Stopwatch.GetElapsedTime(check.Since).TotalSeconds;
        string since = check.BeforeRound ? "the start of this round" : "its removal";
        OnResend(new Resend(forgotten
            ? $"worker node {check.Gone} left the cluster (its shards re-homed {after:0.#} s after {since})"
            : $"worker node {check.Gone} left the cluster (its shards were not re-homed within {after:0.#} s of {since})"));
    }

    private void OnResend(Resend r)
    {
        if (_pending.Count == 0) return;
        // A block whose backup is on a node still up is being computed there already: asking its own entity again —
        // re-homed, most likely onto that same node — would only compute it twice.
        var again = _pending.Values.Where(p => !p.Backups.Any(Usable)).ToList();
        int covered = _pending.Count - again.Count;
        Notify(again.Count == 0
            ? $"{r.Reason}; its {covered} unanswered block(s) of job {_jobId} are asked of backups on other nodes already"
            : $"{r.Reason}; asking {again.Count} unanswered block(s) of job {_jobId} again" +
              (covered > 0 ? $" ({covered} more are asked of backups on other nodes already)" : ""));
        foreach (var p in again) Send(p.Command, p.Answer);
    }

    private void OnDownIfUnreachable(DownIfUnreachable d)
    {
        if (_pending.Count == 0 || !_unreachable.Contains(d.Node) || _cluster is null) return;
        // The split-brain resolver (keep-oldest) would down it too, after stable-after; the coordinator's side is the
        // one kept either way.
        Notify($"worker node {d.Node.Address} is still unreachable; downing it");
        _cluster.Down(d.Node.Address);
    }

    private void OnNoWorkerDeadline(NoWorkerDeadline d)
    {
        if (d.Generation == _generation && _noWorkerSince is not null) FailAll();
    }

    private void FailAll()
    {
        if (_pending.Count == 0) return;
        var error = new JobFailedException(
            $"no worker node is up; {_pending.Count} block(s) of job {_jobId} unanswered after waiting {_options.NoWorkerTimeout.TotalSeconds:0.#} s for one");
        foreach (var p in _pending.Values) p.Answer.TrySetException(error);
        _pending.Clear();
    }

    private void Notify(string line)
    {
        if (_options.Notify is { } notify) notify(line);
        else _log.Warning(line);
    }
}

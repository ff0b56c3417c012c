using System.Diagnostics;
using Akka.Actor;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// The leverage scorers this node holds for scoring rounds in progress (<see cref="Protocol.Messages.ScoreCandidateBlock"/>),
/// by key: a scorer holds all the training rows — exact, also an n×n matrix — so it crosses the network to a node once
/// per round instead of with each of the pool's blocks. One per actor system, that is per node (the in-process
/// multi-node tests run several nodes in one process, and each must receive its own copy).
/// </summary>
/// <remarks>
/// Entries are dropped after <see cref="IdleLifetime"/> without use — checked on every use and by a sweep every
/// <see cref="IdleLifetime"/>, so an idle worker lets go of them too — and at most <see cref="Capacity"/> are kept (the
/// least recently used goes first): nobody tells a worker that a round has ended, and an exact scorer at n = 4000 is
/// 128 MB. A scorer dropped too early costs one more transfer (the node answers ScorerMissing again), never a wrong
/// score: a key names one round's scorer only.
/// </remarks>
public sealed class NodeScorers : IExtension
{
    /// <summary>How long an unused scorer is kept by default (a round's blocks use it many times a second);
    /// <c>ntk.scorer-idle-lifetime</c> in the node's configuration overrides it.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(60);

    /// <summary>How long an unused scorer is kept on this node.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Scorers kept at once: concurrent scoring rounds on one node are rare, and each can be large.</summary>
    public const int Capacity = 2;

    private readonly Dictionary<string, (ILeverageScorer Scorer, long LastUse)> _held = new();
    private long _received;

    private NodeScorers(ActorSystem system)
    {
        Lifetime = system.Settings.Config.GetTimeSpan("ntk.scorer-idle-lifetime", IdleLifetime, allowInfinite: false);
        system.Scheduler.Advanced.ScheduleRepeatedly(Lifetime, Lifetime, () =>
        {
            lock (_held) DropIdle();
        });
    }

    /// <summary>Scorers held now.</summary>
    public int Held
    {
        get
        {
            lock (_held) return _held.Count;
        }
    }

    /// <summary>The scorers this node has received with a command (for tests: how often one was sent to it).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>The scorer held under <paramref name="key"/>, or null.</summary>
    public ILeverageScorer? Find(string key)
    {
        lock (_held)
        {
            DropIdle();
            if (!_held.TryGetValue(key, out var entry)) return null;
            _held[key] = (entry.Scorer, Stopwatch.GetTimestamp());
            return entry.Scorer;
        }
    }

    /// <summary>Keeps a scorer that arrived with a command, for the round's next blocks on this node.</summary>
    public void Keep(string key, ILeverageScorer scorer)
    {
        Interlocked.Increment(ref _received);
        lock (_held)
        {
            DropIdle();
            _held[key] = (scorer, Stopwatch.GetTimestamp());
            while (_held.Count > Capacity) _held.Remove(_held.MinBy(e => e.Value.LastUse).Key);
        }
    }

    private void DropIdle()
    {
        foreach (var key in _held.Where(e => Stopwatch.GetElapsedTime(e.Value.LastUse) > Lifetime).Select(e => e.Key).ToList())
            _held.Remove(key);
    }

    /// <summary>This node's scorers.</summary>
    public static NodeScorers For(ActorSystem system) => system.WithExtension<NodeScorers, Provider>();

    private sealed class Provider : ExtensionIdProvider<NodeScorers>
    {
        public override NodeScorers CreateExtension(ExtendedActorSystem system) => new(system);
    }
}

using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Worker.Shipping;

/// <summary>
/// A worker node's shipped partitions, at <c>/user/ntk-shipped-partitions</c>: answers where to read a partition
/// (<see cref="Locate"/>) — its copy in the node's <see cref="ShippedPartitionCache"/>, or, on a miss, a copy pulled
/// now from the job's client through the coordinator (<see cref="RequestPartition"/> to the relay), or the shared path
/// when no running job ships it. One transfer per key at a time, whatever the number of entities waiting for it.
/// </summary>
/// <remarks>
/// A transfer is written to a temporary file as its chunks arrive (each acknowledged once written, so the sender's
/// window bounds what is in flight), its SHA-256 and size checked against what the client announced and its content
/// against the key (<see cref="ShippedUnit.Mismatch"/>), then renamed into the cache. A transfer silent for
/// <see cref="StallTimeout"/> fails its waiters (the client or coordinator is gone, so the job is too).
/// </remarks>
public sealed class ShippedPartitionsActor : ReceiveActor, IWithTimers
{
    /// <summary>Asks where to read a partition; answered with an <see cref="ILocateAnswer"/>.</summary>
    public sealed record Locate(DataPartition Partition) : INoSerializationVerificationNeeded;

    /// <summary>An answer to <see cref="Locate"/>.</summary>
    public interface ILocateAnswer;

    /// <summary>Read the copy at <paramref name="CopyPath"/>, or the partition's own path when it is null.</summary>
    public sealed record Located(string? CopyPath) : ILocateAnswer, INoSerializationVerificationNeeded;

    /// <summary>The partition cannot be had here.</summary>
    public sealed record LocateFailed(string Reason, bool IsBadInput) : ILocateAnswer, INoSerializationVerificationNeeded;

    private sealed record Stalled(string TransferId, int Generation) : INoSerializationVerificationNeeded;

    /// <summary>How long a transfer may go without a message before it is given up.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private sealed class Transfer(string id, string key, DataPartition partition)
    {
        public string Id { get; } = id;
        public string Key { get; } = key;
        public DataPartition Partition { get; } = partition;
        public List<IActorRef> Waiters { get; } = new();
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public string? TemporaryPath { get; set; }
        public FileStream? File { get; set; }
        public long Bytes { get; set; }
        public int Chunks { get; set; }
        public int Next { get; set; }
        public int Generation { get; set; }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ShippedPartitionCache _cache;
    private readonly string _worker;
    private readonly Dictionary<string, Transfer> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Transfer> _byId = new(StringComparer.Ordinal);
    private IActorRef _self = ActorRefs.Nobody;

    /// <summary>Bytes received into the cache since the node started (logs; tests).</summary>
    public static long BytesReceived => Interlocked.Read(ref _bytesReceived);

    private static long _bytesReceived;

    public ShippedPartitionsActor(ShippedPartitionCache cache)
    {
        _cache = cache;
        _worker = WorkerNames.Of(Context.System);
        Receive<Locate>(OnLocate);
        Receive<PartitionNotShipped>(m => Finish(m.TransferId, new Located(null)));
        Receive<PartitionShipment>(OnShipment);
        ReceiveAsync<TransferChunk>(c => _byId.ContainsKey(c.RequestId), OnChunk);
        ReceiveAsync<ShipmentSealed>(OnSealed);
        Receive<ShipmentFailed>(m => Finish(m.TransferId, new LocateFailed(m.Reason, m.IsBadInput)));
        Receive<Stalled>(m =>
        {
            if (_byId.TryGetValue(m.TransferId, out var t) && t.Generation == m.Generation)
                Finish(t.Id, new LocateFailed($"the shipment of {t.Partition.Name} to worker {_worker} stalled (nothing for {StallTimeout.TotalSeconds:0} s)", false));
        });
    }

    protected override void PreStart() => _self = Self;

    protected override void PostStop()
    {
        foreach (var t in _byId.Values.ToList()) Finish(t.Id, new LocateFailed($"worker {_worker} is stopping", false));
    }

    private void OnLocate(Locate m)
    {
        string key = ShippedUnit.KeyOf(m.Partition);
        if (_cache.TryGet(key) is { } path)
        {
            Sender.Tell(new Located(path));
            return;
        }
        if (_byKey.TryGetValue(key, out var running))
        {
            running.Waiters.Add(Sender);
            return;
        }
        // No coordinator known (not a cluster member yet): nothing can ship it; read the path.
        if (Relay() is not { } relay)
        {
            Sender.Tell(new Located(null));
            return;
        }
        var t = new Transfer($"{_worker}/{Guid.NewGuid():N}", key, m.Partition);
        t.Waiters.Add(Sender);
        _byKey[key] = t;
        _byId[t.Id] = t;
        relay.Tell(new RequestPartition(t.Id, m.Partition), Self);
        Touch(t);
    }

    private void OnShipment(PartitionShipment m)
    {
        if (!_byId.TryGetValue(m.TransferId, out var t)) return;
        try
        {
            t.TemporaryPath = _cache.NewTemporaryPath(t.Key);
            t.File = new FileStream(t.TemporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Finish(t.Id, new LocateFailed($"worker {_worker} cannot write its cache {_cache.Directory}: {e.Message}", false));
            return;
        }
        t.Bytes = m.Bytes;
        t.Chunks = m.Chunks;
        Touch(t);
    }

    private async Task OnChunk(TransferChunk c)
    {
        var t = _byId[c.RequestId];
        var sender = Sender;
        if (t.File is null || c.Index != t.Next)
        {
            Finish(t.Id, new LocateFailed($"the shipment of {t.Partition.Name} broke: chunk {c.Index} arrived, {t.Next} expected", false));
            return;
        }
        try
        {
            await t.File.WriteAsync(c.Data);
        }
        catch (IOException e)
        {
            Finish(t.Id, new LocateFailed($"worker {_worker} cannot write its cache {_cache.Directory}: {e.Message}", false));
            return;
        }
        t.Hash.AppendData(c.Data);
        t.Next++;
        sender.Tell(new TransferAck(c.RequestId, c.Index), _self);
        Touch(t);
    }

    private async Task OnSealed(ShipmentSealed m)
    {
        if (!_byId.TryGetValue(m.TransferId, out var t)) return;
        try
        {
            if (t.File is null) throw new InvalidDataException("sealed before it was announced");
            long length = t.File.Length;
            await t.File.DisposeAsync();
            t.File = null;
            string hash = Convert.ToHexStringLower(t.Hash.GetHashAndReset());
            if (t.Next != t.Chunks || length != t.Bytes) throw new InvalidDataException($"{length} bytes in {t.Next} chunks arrived, {t.Bytes} in {t.Chunks} were announced");
            if (hash != m.Sha256) throw new InvalidDataException("its SHA-256 differs from the client's");
            string temporary = t.TemporaryPath!;
            var copy = await Task.Run(() => FileFingerprint.Of(temporary));
            if (ShippedUnit.Mismatch(t.Partition, copy) is { } mismatch) throw new InvalidDataException(mismatch);
            string path = _cache.Commit(t.Key, temporary);
            t.TemporaryPath = null;
            Interlocked.Add(ref _bytesReceived, length);
            _log.Info("received {0} ({1} bytes) into the cache; the cache holds {2} copies, {3} bytes", t.Partition.Name, length, _cache.Count, _cache.TotalBytes);
            Finish(t.Id, new Located(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or NtkCluster.Numerics.Errors.InvalidInputException)
        {
            Finish(t.Id, new LocateFailed($"the shipment of {t.Partition.Name} to worker {_worker} is unusable: {e.Message}", false));
        }
    }

    private void Finish(string transferId, ILocateAnswer answer)
    {
        if (!_byId.Remove(transferId, out var t)) return;
        _byKey.Remove(t.Key);
        Timers.Cancel(t.Id);
        t.File?.Dispose();
        if (t.TemporaryPath is not null) ShippedPartitionCache.Discard(t.TemporaryPath);
        t.Hash.Dispose();
        foreach (var waiter in t.Waiters) waiter.Tell(answer, _self);
    }

    private void Touch(Transfer t) => Timers.StartSingleTimer(t.Id, new Stalled(t.Id, ++t.Generation), StallTimeout);

    /// <summary>The coordinator node's relay; null when no coordinator is Up.</summary>
    private ActorSelection? Relay()
    {
        var cluster = Cluster.Get(Context.System);
        var coordinator = cluster.State.Members.FirstOrDefault(m => m.HasRole(BlockSharding.CoordinatorRole) && m.Status == MemberStatus.Up);
        return coordinator is null ? null : Context.ActorSelection(new RootActorPath(coordinator.Address) / "user" / ShippingPaths.Relay);
    }

    public static Props Props(ShippedPartitionCache cache) => Akka.Actor.Props.Create(() => new ShippedPartitionsActor(cache));
}

using System.Globalization;
using Akka.Actor;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// A job session's prediction parts on their way back to the client (<c>ntk predict --out-delivery</c>): which worker
/// streams each transfer, so that its chunks go on to the client and the client's acknowledgements back to the worker
/// as they arrive. Nothing is held: each worker's window of unacknowledged chunks, times the round's window of
/// partitions, bounds what crosses this node at once.
/// </summary>
public sealed class PredictionStreamRelay
{
    private readonly Dictionary<string, IActorRef> _workers = new(StringComparer.Ordinal);

    /// <summary>Parts the client stored, and their bytes (a part streamed twice, after a worker loss, counts twice).</summary>
    public int Parts { get; private set; }

    public long Bytes { get; private set; }

    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"predictions streamed back to the client: {Parts} part(s), {Bytes} bytes");

    public bool Has(string transferId) => _workers.ContainsKey(transferId);

    /// <summary>A worker announces a part: relayed to the client, or failed at once when there is no client to take it.</summary>
    public void Announced(PredictionPartStream m, IActorRef worker, IActorRef client, bool clientGone, IActorRef self)
    {
        if (clientGone)
        {
            worker.Tell(new PredictionPartFailed(m.TransferId, "the client went away"), self);
            return;
        }
        _workers[m.TransferId] = worker;
        _sizes[m.TransferId] = m.Bytes;
        client.Tell(m, self);
    }

    public void Chunk(TransferChunk c, IActorRef client, IActorRef self) => client.Tell(c, self);

    public void Ack(TransferAck a, IActorRef self) => _workers[a.RequestId].Tell(a, self);

    public void Sealed(PredictionPartSealed m, IActorRef client, IActorRef self)
    {
        if (Has(m.TransferId)) client.Tell(m, self);
    }

    public void Stored(PredictionPartStored m, IActorRef self)
    {
        if (!_workers.Remove(m.TransferId, out var worker)) return;
        worker.Tell(m, self);
        Parts++;
        Bytes += _sizes.Remove(m.TransferId, out long bytes) ? bytes : 0;
    }

    /// <summary>From the client (it cannot write the part): told to the worker; from the worker (it gave the transfer
    /// up): told to the client, which drops what it received.</summary>
    public void Failed(PredictionPartFailed m, IActorRef sender, IActorRef client, IActorRef self)
    {
        _sizes.Remove(m.TransferId);
        if (!_workers.Remove(m.TransferId, out var worker)) return;
        (sender.Equals(worker) ? client : worker).Tell(m, self);
    }

    /// <summary>The client went away: every part on its way fails (the job's result is dropped anyway).</summary>
    public void ClientGone(IActorRef self)
    {
        foreach (var (id, worker) in _workers) worker.Tell(new PredictionPartFailed(id, "the client went away"), self);
        _workers.Clear();
        _sizes.Clear();
    }
}

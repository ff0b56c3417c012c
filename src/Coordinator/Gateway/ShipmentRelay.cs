using System.Globalization;
using Akka.Actor;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// A job session's shipments in flight: which worker asked for each transfer and which client actor sends it, so that
/// chunks go on to the worker and acknowledgements back to the client as they arrive. Nothing is held: the client's
/// window of unacknowledged chunks bounds what crosses this node at once.
/// </summary>
public sealed class ShipmentRelay
{
    private sealed class Shipment(IActorRef worker)
    {
        public IActorRef Worker { get; } = worker;
        public IActorRef? Client { get; set; }
        public long Bytes { get; set; }
    }

    private readonly Dictionary<string, Shipment> _shipments = new(StringComparer.Ordinal);

    /// <summary>Units shipped to the end, and their bytes.</summary>
    public int Units { get; private set; }

    public long Bytes { get; private set; }

    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"rows shipped by the client: {Units} unit(s), {Bytes} bytes (partitions the workers held in their caches were not sent)");

    public bool Has(string transferId) => _shipments.ContainsKey(transferId);

    public void Requested(string transferId, IActorRef worker) => _shipments[transferId] = new Shipment(worker);

    public void Announced(PartitionShipment m, IActorRef client, IActorRef self)
    {
        if (!_shipments.TryGetValue(m.TransferId, out var s)) return;
        s.Client = client;
        s.Bytes = m.Bytes;
        s.Worker.Tell(m, self);
    }

    public void Chunk(TransferChunk c, IActorRef self) => _shipments[c.RequestId].Worker.Tell(c, self);

    public void Ack(TransferAck a, IActorRef self) => _shipments[a.RequestId].Client?.Tell(a, self);

    public void Sealed(ShipmentSealed m, IActorRef self)
    {
        if (!_shipments.Remove(m.TransferId, out var s)) return;
        s.Worker.Tell(m, self);
        Units++;
        Bytes += s.Bytes;
    }

    public void Failed(ShipmentFailed m, IActorRef self)
    {
        if (_shipments.Remove(m.TransferId, out var s)) s.Worker.Tell(m, self);
    }
}

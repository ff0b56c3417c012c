using Akka.Actor;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// The client's side of one shipment (a child of the client's job actor): reads a partition's unit
/// (<see cref="ShippedUnit"/>) from the client's file and sends it to the job's session, which relays it to the worker
/// that asked, through a <see cref="ChunkedFileSender"/> — so the client holds a few chunks, never the partition. Ends
/// with the unit's SHA-256 (<see cref="ShipmentSealed"/>), which the worker checks before caching it.
/// </summary>
public sealed class PartitionShipper : ReceiveActor
{
    /// <summary>A shipment whose worker stops acknowledging for this long is dropped (the worker is gone; its
    /// partitions are asked for again by the entities that replace it).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    private sealed record Begin : INoSerializationVerificationNeeded;

    private readonly IActorRef _session;
    private readonly ShipPartition _request;
    private readonly ShippingTally _tally;
    private IActorRef _self = ActorRefs.Nobody;
    private ChunkedFileSender? _sender;

    public PartitionShipper(IActorRef session, ShipPartition request, ShippingTally tally)
    {
        _session = session;
        _request = request;
        _tally = tally;
        ReceiveAsync<Begin>(async _ => await Guarded(async () =>
        {
            var unit = ShippedUnit.Open(_request.Partition);
            _sender = new ChunkedFileSender(_request.TransferId, unit.Length, b => unit.ReadAsync(b), unit,
                $"{_request.Partition.Path}: the file ended early (it changed since the job started); restart the job");
            _session.Tell(new PartitionShipment(_request.TransferId, _sender.Length, _sender.Chunks), _self);
            await Fill();
        }));
        ReceiveAsync<TransferAck>(ack => ack.RequestId == _request.TransferId, async ack => await Guarded(async () =>
        {
            if (!_sender!.Acknowledge(ack.Index))
                throw new InvalidInputException($"the shipment of {_request.Partition.Name} broke: acknowledgement of chunk {ack.Index} out of order");
            await Fill();
        }));
        Receive<ReceiveTimeout>(_ => Context.Stop(Self));
    }

    protected override void PreStart()
    {
        _self = Self;
        Context.SetReceiveTimeout(IdleTimeout);
        Self.Tell(new Begin());
    }

    protected override void PostStop() => _sender?.Dispose();

    private async Task Fill()
    {
        if (await _sender!.FillAsync(c => _session.Tell(c, _self)) is not { } sha256) return;
        _session.Tell(new ShipmentSealed(_request.TransferId, sha256), _self);
        _tally.Add(_sender.Length);
        Context.Stop(_self);
    }
    private async Task Guarded(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (InvalidInputException e)
        {
            _session.Tell(new ShipmentFailed(_request.TransferId, e.Message, true), _self);
            Context.Stop(_self);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _session.Tell(new ShipmentFailed(_request.TransferId, $"the client cannot read {_request.Partition.Path}: {e.Message}", true), _self);
            Context.Stop(_self);
        }
    }

    public static Props Props(IActorRef session, ShipPartition request, ShippingTally tally) =>
        Akka.Actor.Props.Create(() => new PartitionShipper(session, request, tally));
}

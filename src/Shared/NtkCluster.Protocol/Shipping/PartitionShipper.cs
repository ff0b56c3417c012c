using System.Security.Cryptography;
using Akka.Actor;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// The client's side of one shipment (a child of the client's job actor): reads a partition's unit
/// (<see cref="ShippedUnit"/>) from the client's file and sends it to the job's session, which relays it to the worker
/// that asked, in chunks of <see cref="ChunkBytes"/> with at most <see cref="Window"/> unacknowledged — so the client
/// holds a few chunks, never the partition. Ends with the unit's SHA-256, which the worker checks before caching it.
/// </summary>
public sealed class PartitionShipper : ReceiveActor
{
    /// <summary>Bytes per chunk: well under the remote frame size (4 MiB) and the client protocol's chunk limit.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>Chunks sent and not yet acknowledged by the worker, at most.</summary>
    public const int Window = 4;

    /// <summary>A shipment whose worker stops acknowledging for this long is dropped (the worker is gone; its
    /// partitions are asked for again by the entities that replace it).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    private sealed record Begin : INoSerializationVerificationNeeded;

    private readonly IActorRef _session;
    private readonly ShipPartition _request;
    private readonly ShippingTally _tally;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private IActorRef _self = ActorRefs.Nobody;
    private ShippedUnit.Reader? _unit;
    private int _chunks;
    private int _sent;
    private int _acked;

    public PartitionShipper(IActorRef session, ShipPartition request, ShippingTally tally)
    {
        _session = session;
        _request = request;
        _tally = tally;
        ReceiveAsync<Begin>(async _ => await Guarded(async () =>
        {
            _unit = ShippedUnit.Open(_request.Partition);
            _chunks = (int)Math.Max(1, (_unit.Length + ChunkBytes - 1) / ChunkBytes);
            _session.Tell(new PartitionShipment(_request.TransferId, _unit.Length, _chunks), _self);
            await Fill();
        }));
        ReceiveAsync<TransferAck>(ack => ack.RequestId == _request.TransferId, async ack => await Guarded(async () =>
        {
            _acked++;
            if (_acked < _chunks)
            {
                await Fill();
                return;
            }
            _session.Tell(new ShipmentSealed(_request.TransferId, Convert.ToHexStringLower(_hash.GetHashAndReset())), _self);
            _tally.Add(_unit!.Length);
            Context.Stop(_self);
        }));
        Receive<ReceiveTimeout>(_ => Context.Stop(Self));
    }

    protected override void PreStart()
    {
        _self = Self;
        Context.SetReceiveTimeout(IdleTimeout);
        Self.Tell(new Begin());
    }

    protected override void PostStop()
    {
        _unit?.Dispose();
        _hash.Dispose();
    }

    private async Task Fill()
    {
        while (_sent < _chunks && _sent - _acked < Window)
        {
            var buffer = new byte[(int)Math.Min(ChunkBytes, _unit!.Length - (long)_sent * ChunkBytes)];
            int n = await _unit.ReadAsync(buffer);
            if (n != buffer.Length) throw new InvalidInputException($"{_request.Partition.Path}: the file ended early (it changed since the job started); restart the job");
            _hash.AppendData(buffer);
            _session.Tell(new TransferChunk(_request.TransferId, _sent, buffer), _self);
            _sent++;
        }
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

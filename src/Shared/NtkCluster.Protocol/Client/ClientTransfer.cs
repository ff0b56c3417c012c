using Akka.Actor;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// How a submission or an outcome crosses between client and coordinator: as <see cref="TransferChunk"/>s of at most
/// <see cref="ChunkBytes"/> bytes (well under the transport's frame limit, and small enough that cluster heartbeats
/// on the same connection are never stuck behind one), at most <see cref="Window"/> of them unacknowledged.
/// </summary>
public static class ClientTransfer
{
    /// <summary>512 KiB: a chunk plus its header fits the 4 MiB frame many times over, and the 1 MiB budget.</summary>
    public const int ChunkBytes = 512 * 1024;

    /// <summary>Chunks in flight before the sender waits for an acknowledgement (2 MiB buffered at most).</summary>
    public const int Window = 4;

    /// <summary>The largest transfer: one .NET array.</summary>
    public static long MaxPayloadBytes => Array.MaxLength;

    public static int ChunkCount(long bytes) => checked((int)((bytes + ChunkBytes - 1) / ChunkBytes));
}

/// <summary>Sends one payload as chunks to <paramref name="target"/>, keeping at most <see cref="ClientTransfer.Window"/> unacknowledged.
/// Driven by the actor that owns it: <see cref="Start"/>, then <see cref="OnAck"/> for every <see cref="TransferAck"/>.</summary>
public sealed class ChunkSender
{
    private readonly string _requestId;
    private readonly byte[] _payload;
    private readonly IActorRef _target;
    private readonly IActorRef _self;
    private int _next, _acked;

    public ChunkSender(string requestId, byte[] payload, IActorRef target, IActorRef self)
    {
        _requestId = requestId;
        _payload = payload;
        _target = target;
        _self = self;
        Chunks = ClientTransfer.ChunkCount(payload.LongLength);
    }

    public int Chunks { get; }

    /// <summary>The transfer's name: the request id its chunks and acknowledgements carry.</summary>
    public string RequestId => _requestId;

    public long Bytes => _payload.LongLength;

    /// <summary>Every chunk was acknowledged.</summary>
    public bool Done => _acked == Chunks;

    public void Start() => Fill();

    /// <summary>Acknowledgements arrive in order (remoting keeps the order between two actors).</summary>
    /// <returns>True when every chunk has been acknowledged.</returns>
    /// <exception cref="InvalidOperationException">An acknowledgement out of order or for a chunk never sent.</exception>
    public bool OnAck(TransferAck ack)
    {
        if (ack.Index != _acked || ack.Index >= _next)
            throw new InvalidOperationException($"transfer {_requestId}: acknowledgement of chunk {ack.Index}, expected {_acked}");
        _acked++;
        Fill();
        return Done;
    }

    private void Fill()
    {
        while (_next < Chunks && _next - _acked < ClientTransfer.Window)
        {
            int start = _next * ClientTransfer.ChunkBytes;
            int length = (int)Math.Min(ClientTransfer.ChunkBytes, _payload.LongLength - start);
            _target.Tell(new TransferChunk(_requestId, _next, _payload.AsSpan(start, length).ToArray()), _self);
            _next++;
        }
    }
}

/// <summary>Reassembles one payload from its chunks, checking count, order and sizes.</summary>
public sealed class ChunkReceiver
{
    private readonly string _requestId;
    private readonly byte[] _payload;
    private int _received;

    /// <exception cref="InvalidOperationException">A size that is negative, too large, or does not match the chunk count.</exception>
    public ChunkReceiver(string requestId, long bytes, int chunks)
    {
        if (bytes < 0 || bytes > ClientTransfer.MaxPayloadBytes)
            throw new InvalidOperationException($"transfer {requestId}: {bytes} bytes is more than one transfer can carry ({ClientTransfer.MaxPayloadBytes})");
        if (chunks != ClientTransfer.ChunkCount(bytes))
            throw new InvalidOperationException($"transfer {requestId}: {chunks} chunks for {bytes} bytes, expected {ClientTransfer.ChunkCount(bytes)}");
        _requestId = requestId;
        _payload = GC.AllocateUninitializedArray<byte>((int)bytes);
        Chunks = chunks;
    }

    public int Chunks { get; }

    public bool Complete => _received == Chunks;

    /// <summary>The whole payload, once <see cref="Complete"/>.</summary>
    public byte[] Payload => Complete ? _payload : throw new InvalidOperationException($"transfer {_requestId}: {_received} of {Chunks} chunks so far");

    /// <returns>True when the last chunk arrived.</returns>
    /// <exception cref="InvalidOperationException">A chunk out of order, of the wrong size, or beyond the last.</exception>
    public bool Add(TransferChunk chunk)
    {
        if (chunk.Index != _received)
            throw new InvalidOperationException($"transfer {_requestId}: chunk {chunk.Index} arrived, expected {_received} of {Chunks}");
        long start = (long)_received * ClientTransfer.ChunkBytes;
        long expected = Math.Min(ClientTransfer.ChunkBytes, _payload.LongLength - start);
        if (chunk.Data.Length != expected)
            throw new InvalidOperationException($"transfer {_requestId}: chunk {chunk.Index} has {chunk.Data.Length} bytes, expected {expected}");
        chunk.Data.CopyTo(_payload, start);
        _received++;
        return Complete;
    }
}

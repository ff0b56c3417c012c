using System.Diagnostics;
using Akka.Actor;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The one chunked-transfer mechanism: a payload too large for one remote frame is cut into pieces
/// (<see cref="ChunkCount"/>, <see cref="Piece"/>), sent by a <see cref="ChunkSender"/> and put back together by a
/// <see cref="ChunkAssembly"/> — bitwise what was sent. It carries two kinds of transfer, which differ only in their
/// settings and in the message a piece travels in:
/// <list type="bullet">
/// <item>block commands and replies between coordinator and workers (<see cref="BlockCommandChunk"/>,
/// <see cref="BlockReplyChunk"/>): pieces of <see cref="DefaultChunkBytes"/>, all sent at once and not acknowledged
/// (what is in flight is bounded by the round's window of commands), received in any order and more than once; a
/// transfer idle for <see cref="PartialTimeout"/> is dropped. Only messages that cross the network are cut: in one
/// process nothing is serialized, and nothing is copied.</item>
/// <item>client↔coordinator submissions, outcomes and checkpoints (<see cref="TransferChunk"/>): pieces of
/// <see cref="ClientChunkBytes"/>, at most <see cref="ClientWindow"/> unacknowledged (each answered by a
/// <see cref="TransferAck"/>), received in order into a buffer of the size announced beforehand.</item>
/// </list>
/// </summary>
public static class ChunkedTransfer
{
    /// <summary>
    /// Block pieces are at most 1 MiB, and messages up to that size travel whole: a quarter of the frame, so a piece with
    /// its envelope (paths, manifest) is always far from the limit, and one large transfer does not hold the
    /// connection — and the heartbeats behind it — for long.
    /// </summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>512 KiB client pieces: a chunk plus its header fits the 4 MiB frame many times over, and the 1 MiB budget.</summary>
    public const int ClientChunkBytes = 512 * 1024;

    /// <summary>Client chunks in flight before the sender waits for an acknowledgement (2 MiB buffered at most).</summary>
    public const int ClientWindow = 4;

    /// <summary>The window of a transfer whose pieces all go at once and are not acknowledged (block transfers).</summary>
    public const int Unacknowledged = int.MaxValue;

    /// <summary>The largest transfer: one .NET array.</summary>
    public static long MaxPayloadBytes => Array.MaxLength;

    /// <summary>A block transfer that has received no piece for this long is given up and its buffers freed.</summary>
    public static readonly TimeSpan PartialTimeout = TimeSpan.FromSeconds(60);

    // Seeded from the clock so ids also increase across restarts of a coordinator process.
    private static long _lastTransfer = DateTime.UtcNow.Ticks;

    /// <summary>A new transfer id, larger than every id this process handed out before.</summary>
    public static long NextTransferId() => Interlocked.Increment(ref _lastTransfer);

    /// <summary>How many pieces of at most <paramref name="chunkBytes"/> a payload of <paramref name="length"/> bytes needs.</summary>
    public static int ChunkCount(long length, int chunkBytes)
    {
        if (chunkBytes < 1) throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "a chunk holds at least one byte");
        return checked((int)((length + chunkBytes - 1) / chunkBytes));
    }

    /// <summary>The length of piece <paramref name="index"/> of a payload of <paramref name="length"/> bytes.</summary>
    public static int PieceLength(long length, int index, int chunkBytes) => (int)Math.Min(chunkBytes, length - (long)index * chunkBytes);

    /// <summary>Piece <paramref name="index"/> of a payload (a copy: a message owns its bytes).</summary>
    public static byte[] Piece(byte[] payload, int index, int chunkBytes) =>
        payload.AsSpan(checked(index * chunkBytes), PieceLength(payload.LongLength, index, chunkBytes)).ToArray();

    /// <summary>The pieces of a serialized command, all of one transfer.</summary>
    public static ChunkSender.PieceMessage CommandPieces(string entityId, long transferId, string manifest) =>
        (index, count, bytes) => new BlockCommandChunk(entityId, transferId, index, count, manifest, bytes);

    /// <summary>The pieces of a serialized reply, all of one transfer.</summary>
    public static ChunkSender.PieceMessage ReplyPieces(long transferId, string manifest) =>
        (index, count, bytes) => new BlockReplyChunk(transferId, index, count, manifest, bytes);

    /// <summary>The pieces of a client transfer named <paramref name="requestId"/>.</summary>
    public static ChunkSender.PieceMessage ClientPieces(string requestId) => (index, _, bytes) => new TransferChunk(requestId, index, bytes);

    /// <summary>Every piece of a payload, in order, as <paramref name="message"/> makes them.</summary>
    public static IEnumerable<object> Pieces(byte[] payload, int chunkBytes, ChunkSender.PieceMessage message)
    {
        int count = ChunkCount(payload.LongLength, chunkBytes);
        for (int i = 0; i < count; i++) yield return message(i, count, Piece(payload, i, chunkBytes));
    }

    /// <summary>Sends every piece of a block transfer at once (they are not acknowledged).</summary>
    public static void SendAll(byte[] payload, int chunkBytes, ChunkSender.PieceMessage message, IActorRef target, IActorRef self) =>
        new ChunkSender("", payload, chunkBytes, Unacknowledged, message, target, self).Start();
}

/// <summary>
/// Sends one payload as pieces to a target, keeping at most its window unacknowledged (an unacknowledged transfer's
/// window is all of it). Driven by the actor that owns it: <see cref="Start"/>, then <see cref="OnAck(int)"/> for every
/// acknowledgement.
/// </summary>
public sealed class ChunkSender
{
    /// <summary>The message that carries piece <c>index</c> of <c>count</c>.</summary>
    public delegate object PieceMessage(int index, int count, byte[] bytes);

    private readonly byte[] _payload;
    private readonly int _chunkBytes;
    private readonly int _window;
    private readonly PieceMessage _message;
    private readonly IActorRef _target;
    private readonly IActorRef _self;
    private int _next, _acked;

    public ChunkSender(string name, byte[] payload, int chunkBytes, int window, PieceMessage message, IActorRef target, IActorRef self)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "a window holds at least one piece");
        Name = name;
        _payload = payload;
        _chunkBytes = chunkBytes;
        _window = window;
        _message = message;
        _target = target;
        _self = self;
        Chunks = ChunkedTransfer.ChunkCount(payload.LongLength, chunkBytes);
    }

    /// <summary>A client transfer: <see cref="TransferChunk"/>s named <paramref name="requestId"/>, acknowledged by <see cref="TransferAck"/>s.</summary>
    public static ChunkSender ToClient(string requestId, byte[] payload, IActorRef target, IActorRef self) =>
        new(requestId, payload, ChunkedTransfer.ClientChunkBytes, ChunkedTransfer.ClientWindow, ChunkedTransfer.ClientPieces(requestId), target, self);

    public int Chunks { get; }

    /// <summary>The transfer's name: for a client transfer, the request id its chunks and acknowledgements carry.</summary>
    public string Name { get; }

    public long Bytes => _payload.LongLength;

    /// <summary>Every chunk was acknowledged.</summary>
    public bool Done => _acked == Chunks;

    public void Start() => Fill();

    /// <inheritdoc cref="OnAck(int)"/>
    public bool OnAck(TransferAck ack) => OnAck(ack.Index);

    /// <summary>Acknowledgements arrive in order (remoting keeps the order between two actors).</summary>
    /// <returns>True when every chunk has been acknowledged.</returns>
    /// <exception cref="InvalidOperationException">An acknowledgement out of order or for a chunk never sent.</exception>
    public bool OnAck(int index)
    {
        if (index != _acked || index >= _next)
            throw new InvalidOperationException($"transfer {Name}: acknowledgement of chunk {index}, expected {_acked}");
        _acked++;
        Fill();
        return Done;
    }

    private void Fill()
    {
        while (_next < Chunks && _next - _acked < _window)
        {
            _target.Tell(_message(_next, Chunks, ChunkedTransfer.Piece(_payload, _next, _chunkBytes)), _self);
            _next++;
        }
    }
}

/// <summary>
/// The pieces of one transfer received so far. Two ways in, one per kind of transfer:
/// <list type="bullet">
/// <item><see cref="ChunkAssembly(long, int, string)"/> (block transfers): the count and manifest come with the first
/// piece; pieces may come in any order and more than once (a duplicate is ignored); a piece that disagrees with the
/// first on the count or the manifest means the transfer is corrupt (<see cref="Add(int, int, string, byte[])"/> says
/// false). Pieces are kept by index, so a corrupt count cannot make it allocate more than what actually arrived.</item>
/// <item><see cref="Announced"/> (client transfers): the size and count were announced, checked, and allocated once;
/// pieces must come in order and each fill exactly its part (<see cref="Add(int, byte[])"/> throws otherwise).</item>
/// </list>
/// </summary>
public sealed class ChunkAssembly
{
    private readonly string _name;
    private readonly Dictionary<int, byte[]>? _pieces;
    private readonly byte[]? _announced;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _received;

    public ChunkAssembly(long transferId, int count, string manifest)
    {
        _name = transferId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _pieces = new Dictionary<int, byte[]>();
        TransferId = transferId;
        Count = count;
        Manifest = manifest;
    }

    private ChunkAssembly(string name, byte[] buffer, int count)
    {
        _name = name;
        _announced = buffer;
        Count = count;
        Manifest = "";
    }

    /// <summary>A client transfer of <paramref name="bytes"/> bytes in <paramref name="chunks"/> chunks of <see cref="ChunkedTransfer.ClientChunkBytes"/>.</summary>
    /// <exception cref="InvalidOperationException">A size that is negative, too large, or does not match the chunk count.</exception>
    public static ChunkAssembly Announced(string requestId, long bytes, int chunks)
    {
        if (bytes < 0 || bytes > ChunkedTransfer.MaxPayloadBytes)
            throw new InvalidOperationException($"transfer {requestId}: {bytes} bytes is more than one transfer can carry ({ChunkedTransfer.MaxPayloadBytes})");
        int expected = ChunkedTransfer.ChunkCount(bytes, ChunkedTransfer.ClientChunkBytes);
        if (chunks != expected)
            throw new InvalidOperationException($"transfer {requestId}: {chunks} chunks for {bytes} bytes, expected {expected}");
        return new ChunkAssembly(requestId, GC.AllocateUninitializedArray<byte>((int)bytes), chunks);
    }

    public long TransferId { get; }
    public int Count { get; }
    public string Manifest { get; }

    /// <summary>Bytes held so far.</summary>
    public long Bytes { get; private set; }

    public int Received => _received;

    public bool IsComplete => _received == Count;

    /// <summary>Time since the last piece arrived (or since the transfer started).</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(_lastActivity);

    /// <summary>Adds a piece of a block transfer; false when it contradicts the transfer (another count or manifest, an
    /// index out of range).</summary>
    public bool Add(int index, int count, string manifest, byte[] bytes)
    {
        if (_pieces is null) throw new InvalidOperationException($"transfer {_name} was announced: its pieces come in order");
        if (count != Count || manifest != Manifest || index < 0 || index >= Count) return false;
        _lastActivity = Stopwatch.GetTimestamp();
        if (_pieces.TryAdd(index, bytes))
        {
            Bytes += bytes.Length;
            _received++;
        }
        return true;
    }

    /// <inheritdoc cref="Add(int, byte[])"/>
    public bool Add(TransferChunk chunk) => Add(chunk.Index, chunk.Data);

    /// <summary>Adds the next piece of an announced transfer.</summary>
    /// <returns>True when the last piece arrived.</returns>
    /// <exception cref="InvalidOperationException">A piece out of order, of the wrong size, or beyond the last.</exception>
    public bool Add(int index, byte[] bytes)
    {
        if (_announced is null) throw new InvalidOperationException($"transfer {_name} was not announced: its pieces say what they belong to");
        if (index != _received)
            throw new InvalidOperationException($"transfer {_name}: chunk {index} arrived, expected {_received} of {Count}");
        long start = (long)_received * ChunkedTransfer.ClientChunkBytes;
        long expected = Math.Min(ChunkedTransfer.ClientChunkBytes, _announced.LongLength - start);
        if (bytes.Length != expected)
            throw new InvalidOperationException($"transfer {_name}: chunk {index} has {bytes.Length} bytes, expected {expected}");
        bytes.CopyTo(_announced, start);
        _lastActivity = Stopwatch.GetTimestamp();
        Bytes += bytes.Length;
        _received++;
        return IsComplete;
    }

    /// <summary>The payload, pieces in index order; only when <see cref="IsComplete"/>.</summary>
    public byte[] Join()
    {
        if (_announced is not null)
            return IsComplete ? _announced : throw new InvalidOperationException($"transfer {_name}: {Received} of {Count} chunks so far");
        if (!IsComplete) throw new InvalidOperationException($"transfer {_name} has {Received} of {Count} pieces");
        if (Bytes > Array.MaxLength) throw new InvalidOperationException($"transfer {_name} is {Bytes} bytes, more than one array holds");
        var payload = GC.AllocateUninitializedArray<byte>((int)Bytes);
        int at = 0;
        for (int i = 0; i < Count; i++)
        {
            var piece = _pieces![i];
            piece.CopyTo(payload, at);
            at += piece.Length;
        }
        return payload;
    }
}

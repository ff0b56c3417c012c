using System.Diagnostics;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// Messages larger than one remote frame (<c>maximum-frame-size</c>, 4 MiB) travel as pieces: the sender serializes the
/// message once with <see cref="NtkMessageSerializer.Serialize"/>, cuts the payload into pieces of at most
/// <see cref="DefaultChunkBytes"/> (<see cref="BlockCommandChunk"/>, <see cref="BlockReplyChunk"/>), and sends them all
/// at once; the receiver collects them in a <see cref="ChunkAssembly"/> and reads the message back from the joined
/// payload — bitwise what was sent. Only messages that cross the network are cut: in one process nothing is
/// serialized, and nothing is copied.
/// </summary>
public static class ChunkedTransfer
{
    /// <summary>
    /// Pieces are at most 1 MiB, and messages up to that size travel whole: a quarter of the frame, so a piece with
    /// its envelope (paths, manifest) is always far from the limit, and one large transfer does not hold the
    /// connection — and the heartbeats behind it — for long.
    /// </summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>A transfer that has received no piece for this long is given up and its buffers freed.</summary>
    public static readonly TimeSpan PartialTimeout = TimeSpan.FromSeconds(60);

    // Seeded from the clock so ids also increase across restarts of a coordinator process.
    private static long _lastTransfer = DateTime.UtcNow.Ticks;

    /// <summary>A new transfer id, larger than every id this process handed out before.</summary>
    public static long NextTransferId() => Interlocked.Increment(ref _lastTransfer);

    /// <summary>How many pieces of at most <paramref name="chunkBytes"/> a payload of <paramref name="length"/> bytes needs.</summary>
    public static int ChunkCount(int length, int chunkBytes)
    {
        if (chunkBytes < 1) throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "a chunk holds at least one byte");
        return Math.Max(1, (int)(((long)length + chunkBytes - 1) / chunkBytes));
    }

    /// <summary>Piece <paramref name="index"/> of a payload (a copy: a message owns its bytes).</summary>
    public static byte[] Piece(byte[] payload, int index, int chunkBytes)
    {
        long start = (long)index * chunkBytes;
        int length = (int)Math.Min(chunkBytes, payload.Length - start);
        return payload.AsSpan((int)start, length).ToArray();
    }

    /// <summary>The pieces of a serialized command, all of one transfer.</summary>
    public static IEnumerable<BlockCommandChunk> CommandChunks(string entityId, long transferId, string manifest, byte[] payload, int chunkBytes)
    {
        int count = ChunkCount(payload.Length, chunkBytes);
        for (int i = 0; i < count; i++) yield return new BlockCommandChunk(entityId, transferId, i, count, manifest, Piece(payload, i, chunkBytes));
    }

    /// <summary>The pieces of a serialized reply, all of one transfer.</summary>
    public static IEnumerable<BlockReplyChunk> ReplyChunks(long transferId, string manifest, byte[] payload, int chunkBytes)
    {
        int count = ChunkCount(payload.Length, chunkBytes);
        for (int i = 0; i < count; i++) yield return new BlockReplyChunk(transferId, i, count, manifest, Piece(payload, i, chunkBytes));
    }
}

/// <summary>
/// The pieces of one transfer received so far. Pieces may come in any order and more than once (a duplicate is
/// ignored); a piece that disagrees with the first on the count or the manifest means the transfer is corrupt.
/// Pieces are kept in a dictionary, so a corrupt count cannot make it allocate more than what actually arrived.
/// </summary>
public sealed class ChunkAssembly
{
    private readonly Dictionary<int, byte[]> _pieces = new();
    private long _lastActivity = Stopwatch.GetTimestamp();

    public ChunkAssembly(long transferId, int count, string manifest)
    {
        TransferId = transferId;
        Count = count;
        Manifest = manifest;
    }

    public long TransferId { get; }
    public int Count { get; }
    public string Manifest { get; }

    /// <summary>Bytes held so far.</summary>
    public long Bytes { get; private set; }

    public int Received => _pieces.Count;

    public bool IsComplete => _pieces.Count == Count;

    /// <summary>Time since the last piece arrived (or since the transfer started).</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(_lastActivity);

    /// <summary>Adds a piece; false when it contradicts the transfer (another count or manifest, an index out of range).</summary>
    public bool Add(int index, int count, string manifest, byte[] bytes)
    {
        if (count != Count || manifest != Manifest || index < 0 || index >= Count) return false;
        _lastActivity = Stopwatch.GetTimestamp();
        if (_pieces.TryAdd(index, bytes)) Bytes += bytes.Length;
        return true;
    }

    /// <summary>The payload, pieces in index order; only when <see cref="IsComplete"/>.</summary>
    public byte[] Join()
    {
        if (!IsComplete) throw new InvalidOperationException($"transfer {TransferId} has {Received} of {Count} pieces");
        if (Bytes > Array.MaxLength) throw new InvalidOperationException($"transfer {TransferId} is {Bytes} bytes, more than one array holds");
        var payload = GC.AllocateUninitializedArray<byte>((int)Bytes);
        int at = 0;
        for (int i = 0; i < Count; i++)
        {
            var piece = _pieces[i];
            piece.CopyTo(payload, at);
            at += piece.Length;
        }
        return payload;
    }
}

using System.Security.Cryptography;
using NtkCluster.Numerics.Errors;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// The sending half of one file transfer between the client and a worker, in either direction — partitions to a worker
/// (<see cref="PartitionShipper"/>), prediction parts back to the client (the worker's <c>PredictionPartStreamer</c>):
/// the file in <see cref="TransferChunk"/>s of <see cref="ChunkBytes"/>, at most <see cref="Window"/> of them
/// unacknowledged — so a sender holds a few chunks, never the file — then, once every chunk is acknowledged, the
/// SHA-256 of the bytes, which the receiver checks before it keeps the file. The owning actor announces the transfer and
/// sends the seal in its own message types; this holds the file, the counts and the hash.
/// </summary>
public sealed class ChunkedFileSender : IDisposable
{
    /// <summary>Bytes per chunk: well under the remote frame size (4 MiB) and the client protocol's chunk limit.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>Chunks sent and not yet acknowledged, at most.</summary>
    public const int Window = 4;

    private readonly Func<Memory<byte>, ValueTask<int>> _read;
    private readonly IDisposable _source;
    private readonly string _endedEarly;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _sent, _acked;
    private bool _sealed;

    /// <param name="transferId">The id every chunk carries.</param>
    /// <param name="length">The bytes to send.</param>
    /// <param name="read">Fills a buffer as far as the source allows (0 at its end).</param>
    /// <param name="source">Disposed with this sender.</param>
    /// <param name="endedEarly">The one line when the source ends before <paramref name="length"/> bytes.</param>
    public ChunkedFileSender(string transferId, long length, Func<Memory<byte>, ValueTask<int>> read, IDisposable source, string endedEarly)
    {
        TransferId = transferId;
        Length = length;
        Chunks = ChunkedTransfer.ChunkCount(length, ChunkBytes);
        _read = read;
        _source = source;
        _endedEarly = endedEarly;
    }

    /// <summary>A sender of the whole file at <paramref name="path"/>.</summary>
    public static ChunkedFileSender OfFile(string transferId, string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return new ChunkedFileSender(transferId, stream.Length, b => stream.ReadAtLeastAsync(b, b.Length, throwOnEndOfStream: false), stream,
            $"{path}: the file ended early (it changed while it was sent)");
    }

    public string TransferId { get; }

    public long Length { get; }

    /// <summary>How many chunks the transfer has (announced to the receiver beforehand).</summary>
    public int Chunks { get; }

    /// <summary>
    /// Sends the next chunks the window allows; once every chunk is acknowledged, returns the file's SHA-256 (lowercase
    /// hex) for the owner's seal, once — null before and after.
    /// </summary>
    /// <exception cref="InvalidInputException">The file ended early.</exception>
    public async Task<string?> FillAsync(Action<TransferChunk> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        while (_sent < Chunks && _sent - _acked < Window)
        {
            var buffer = new byte[ChunkedTransfer.PieceLength(Length, _sent, ChunkBytes)];
            if (await _read(buffer) != buffer.Length) throw new InvalidInputException(_endedEarly);
            _hash.AppendData(buffer);
            send(new TransferChunk(TransferId, _sent, buffer));
            _sent++;
        }
        if (_sealed || _acked < Chunks) return null;
        _sealed = true;
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <summary>Takes the receiver's acknowledgement of chunk <paramref name="index"/>; false when it is not the next chunk
    /// sent (the transfer broke).</summary>
    public bool Acknowledge(int index)
    {
        if (index != _acked || index >= _sent) return false;
        _acked++;
        return true;
    }

    public void Dispose()
    {
        _source.Dispose();
        _hash.Dispose();
    }
}

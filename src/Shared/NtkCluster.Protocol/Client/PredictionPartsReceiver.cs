using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// The client's side of predictions streamed back (<c>ntk predict --out-delivery</c>): each part arriving from a worker
/// is written, chunk by chunk as it comes, to a temporary file in the output's staging directory, and — once complete
/// with the announced size and SHA-256 — renamed to its part name there. The client holds one chunk at a time per part
/// in flight, never a part.
/// </summary>
/// <remarks>
/// A part announced again under a new transfer (its partition asked again, after its worker died mid-stream) replaces
/// the unfinished one, whose temporary file is deleted and whose later chunks are ignored, unacknowledged: a part is
/// always one transfer's bytes from the first, never a mix. <see cref="Dispose"/> (the job ended, either way) deletes
/// every unfinished temporary file; finished parts stay for the output's commit.
/// </remarks>
public sealed partial class PredictionPartsReceiver(string directory) : IDisposable
{
    private sealed class Part(string transferId, string name, string temporary, FileStream file, long bytes, int chunks)
    {
        public string TransferId { get; } = transferId;
        public string Name { get; } = name;
        public string Temporary { get; } = temporary;
        public FileStream File { get; } = file;
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public long Bytes { get; } = bytes;
        public int Chunks { get; } = chunks;
        public int Next { get; set; }
        public long Written { get; set; }
    }

    private readonly Dictionary<string, Part> _byTransfer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Part> _byName = new(StringComparer.Ordinal);
    private int _temporaries;

    /// <summary>The staging directory the parts are written into.</summary>
    public string Directory { get; } = directory;

    /// <summary>Parts stored, and their bytes.</summary>
    public int Stored { get; private set; }

    public long StoredBytes { get; private set; }

    /// <summary>Transfers replaced by a newer one of the same part.</summary>
    public int Replaced { get; private set; }

    [GeneratedRegex(@"^part-[0-9]+\.csv$")]
    private static partial Regex PartName();

    /// <summary>Whether a transfer is being received.</summary>
    public bool Has(string transferId) => _byTransfer.ContainsKey(transferId);

    /// <summary>A part is announced: its temporary file is made (replacing an unfinished transfer of the same part).</summary>
    /// <returns>Null, or the failure to send back.</returns>
    public PredictionPartFailed? Begin(PredictionPartStream m)
    {
        ArgumentNullException.ThrowIfNull(m);
        // The name comes from the cluster: only a plain part name, never a path, is written.
        if (!PartName().IsMatch(m.PartName)) return new PredictionPartFailed(m.TransferId, $"'{m.PartName}' is not a part's name");
        if (m.Bytes < 0 || m.Chunks != Serialization.ChunkedTransfer.ChunkCount(m.Bytes, ChunkedFileSender.ChunkBytes))
            return new PredictionPartFailed(m.TransferId, $"{m.Chunks} chunks for {m.Bytes} bytes");
        if (_byName.TryGetValue(m.PartName, out var older))
        {
            Abandon(older);
            Replaced++;
        }
        string temporary = Path.Combine(Directory, $".{m.PartName}.{++_temporaries}.streaming");
        FileStream file;
        try
        {
            file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PredictionPartFailed(m.TransferId, $"the client cannot write {temporary}: {e.Message}");
        }
        var part = new Part(m.TransferId, m.PartName, temporary, file, m.Bytes, m.Chunks);
        _byTransfer[m.TransferId] = part;
        _byName[m.PartName] = part;
        return null;
    }

    /// <summary>Writes the next chunk of a part.</summary>
    /// <returns>Its acknowledgement, or the failure to send back (the transfer is dropped then).</returns>
    public async Task<object> ChunkAsync(TransferChunk c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var part = _byTransfer[c.RequestId];
        if (c.Index != part.Next || part.Written + c.Data.Length > part.Bytes || c.Data.Length > ChunkedFileSender.ChunkBytes)
            return Drop(part, $"chunk {c.Index} of {c.Data.Length} bytes arrived, chunk {part.Next} expected ({part.Written} of {part.Bytes} bytes so far)");
        try
        {
            await part.File.WriteAsync(c.Data);
        }
        catch (IOException e)
        {
            return Drop(part, $"the client cannot write {part.Temporary}: {e.Message}");
        }
        // A newer transfer may have replaced this one while the write was under way: no acknowledgement then.
        if (!_byTransfer.ContainsKey(c.RequestId)) return new PredictionPartFailed(c.RequestId, $"{part.Name} was replaced by a newer transfer");
        part.Hash.AppendData(c.Data);
        part.Written += c.Data.Length;
        part.Next++;
        return new TransferAck(c.RequestId, c.Index);
    }

    /// <summary>The last chunk of a part was sent: checked, then renamed into place.</summary>
    /// <returns><see cref="PredictionPartStored"/>, or the failure to send back.</returns>
    public async Task<object> SealAsync(PredictionPartSealed m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (!_byTransfer.TryGetValue(m.TransferId, out var part)) return new PredictionPartFailed(m.TransferId, "no such transfer at the client");
        string hash = Convert.ToHexStringLower(part.Hash.GetHashAndReset());
        if (part.Next != part.Chunks || part.Written != part.Bytes)
            return Drop(part, $"{part.Written} bytes in {part.Next} chunks arrived, {part.Bytes} in {part.Chunks} were announced");
        if (hash != m.Sha256) return Drop(part, "its SHA-256 differs from the worker's");
        try
        {
            await part.File.FlushAsync();
            await part.File.DisposeAsync();
            // A part stored twice (asked again while the first answer was on its way) has the same bytes both times.
            File.Move(part.Temporary, Path.Combine(Directory, part.Name), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Drop(part, $"the client cannot write {part.Name} in {Directory}: {e.Message}");
        }
        Forget(part);
        Stored++;
        StoredBytes += part.Bytes;
        return new PredictionPartStored(m.TransferId);
    }

    /// <summary>The worker gave the transfer up: what arrived is deleted.</summary>
    public void Failed(PredictionPartFailed m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (_byTransfer.TryGetValue(m.TransferId, out var part)) Abandon(part);
    }

    /// <summary>Deletes every unfinished part's temporary file.</summary>
    public void Dispose()
    {
        foreach (var part in _byTransfer.Values.ToList()) Abandon(part);
    }

    private PredictionPartFailed Drop(Part part, string reason)
    {
        Abandon(part);
        return new PredictionPartFailed(part.TransferId, $"{part.Name}: {reason}");
    }

    private void Abandon(Part part)
    {
        Forget(part);
        part.File.Dispose();
        try
        {
            File.Delete(part.Temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the staging directory, whose commit removes anything that is not a part.
        }
    }

    private void Forget(Part part)
    {
        _byTransfer.Remove(part.TransferId);
        if (_byName.TryGetValue(part.Name, out var current) && ReferenceEquals(current, part)) _byName.Remove(part.Name);
        part.Hash.Dispose();
    }
}

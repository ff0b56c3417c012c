using System.Buffers.Binary;
using System.Security.Cryptography;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// What a data file looked like when a dataset was resolved: its size, its last write time and a hash of sampled
/// pieces of its content. Used to tell that a file is the same on another machine (a shared path seen by a worker,
/// a shipped partition in a cache) and that it has not changed since a job started.
/// </summary>
/// <remarks>
/// <para>
/// The hash is SHA-256 (truncated to 128 bits, in hex) of the size and of <see cref="SampleCount"/> pieces of
/// <see cref="PieceBytes"/> bytes spread evenly over the file — the first and the last included, which for Parquet
/// are the magic and the footer, which changes with any rewrite. A file of up to SampleCount · PieceBytes (1 MiB) is
/// hashed whole. So taking a fingerprint reads at most 1 MiB, whatever the file's size: cheap enough to do for every
/// file of a dataset, and on every worker, at the start of a job.
/// </para>
/// <para>
/// What it cannot see: an edit that keeps the size and touches no sampled piece. The last write time is kept for that
/// reason, but outside the content identity (<see cref="ContentKey"/>, <see cref="SameContent"/>): two copies of one
/// file on two machines have different times and the same content, and must be recognised as the same data. On one
/// machine, <see cref="EnsureUnchanged"/> takes an unchanged size and write time as proof enough (no read at all) and
/// re-hashes only when the time moved, so that a file merely copied or touched is not refused.
/// </para>
/// </remarks>
/// <param name="Size">The file's length in bytes.</param>
/// <param name="LastWriteUtc">Its last write time (UTC), as this machine sees it.</param>
/// <param name="SampleHash">The hash of its size and sampled content (32 hex digits).</param>
public sealed record FileFingerprint(long Size, DateTime LastWriteUtc, string SampleHash)
{
    /// <summary>Pieces hashed from a file larger than <see cref="SampleCount"/> · <see cref="PieceBytes"/>.</summary>
    public const int SampleCount = 16;

    /// <summary>Bytes in one sampled piece.</summary>
    public const int PieceBytes = 64 * 1024;

    /// <summary>The content's identity, the same on any machine holding the same bytes: a content-addressed cache key.</summary>
    public string ContentKey => $"{Size}-{SampleHash}";

    /// <summary>Whether <paramref name="other"/> describes the same content (size and sampled hash), whatever its write time.</summary>
    public bool SameContent(FileFingerprint other) => other is not null && Size == other.Size && SampleHash == other.SampleHash;

    /// <summary>Takes a file's fingerprint.</summary>
    /// <exception cref="InvalidInputException">The file is missing or cannot be read.</exception>
    public static FileFingerprint Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = Target(path);
            if (!info.Exists) throw new InvalidInputException($"file not found: {path}");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            long size = stream.Length;
            return new FileFingerprint(size, info.LastWriteTimeUtc, HashSamples(stream, size));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Refuses a file that is no longer what this fingerprint describes, with one line: a job never mixes rows of
    /// a file read before and after a change. Costs a file-system lookup, and a 1 MiB read only if the write time moved.
    /// </summary>
    /// <exception cref="InvalidInputException">The file changed, is gone, or cannot be read.</exception>
    public void EnsureUnchanged(string path)
    {
        FileInfo info;
        try
        {
            info = Target(path);
            if (!info.Exists) throw new InvalidInputException($"{path}: the file is gone since the job started");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
        if (info.Length != Size)
            throw new InvalidInputException($"{path}: the file changed since the job started (its size was {Size} bytes, now {info.Length}); restart the job");
        if (info.LastWriteTimeUtc == LastWriteUtc) return;
        if (!SameContent(Of(path)))
            throw new InvalidInputException($"{path}: the file changed since the job started (its content differs); restart the job");
    }

    /// <summary>
    /// The file a path names, through symbolic links: a link's own size and write time are not its content's (a
    /// directory of links to the real files is a common way to assemble a dataset), while the stream reads the target.
    /// </summary>
    private static FileInfo Target(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
    }

    private static string HashSamples(FileStream stream, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> sizeBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(sizeBytes, size);
        hash.AppendData(sizeBytes);
        var buffer = new byte[PieceBytes];
        if (size <= (long)SampleCount * PieceBytes)
        {
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        else
        {
            for (int i = 0; i < SampleCount; i++)
            {
                // Evenly spread, the first at 0 and the last ending at the file's end.
                long offset = (long)((decimal)(size - PieceBytes) * i / (SampleCount - 1));
                stream.Seek(offset, SeekOrigin.Begin);
                stream.ReadExactly(buffer);
                hash.AppendData(buffer);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}

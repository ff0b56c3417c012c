using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// What a client ships to a worker for one partition, and how the worker reads the copy: a small file that holds the
/// partition's rows and can be read alone.
/// </summary>
/// <remarks>
/// <para>CSV: the partition's byte range, prefixed with the file's header line when the range does not start the file —
/// a self-contained CSV file of about the split size (64 MiB). The copy is read as the range after its header
/// (<see cref="Local"/>) with the original's count of lines before the range, so an error names the line the row has
/// in the original file (and the cached copy's path).</para>
/// <para>Parquet: the whole file, since a row group cannot be read without the file's footer. It is keyed by the file's
/// content (<see cref="FileFingerprint.ContentKey"/>), so the row groups of one file share one copy: a file of k row
/// groups crosses the network once per worker that owns one of them, at most k times.</para>
/// </remarks>
public static class ShippedUnit
{
    /// <summary>The cache key of what is shipped for <paramref name="partition"/>: Parquet, the file's content key (row
    /// groups share it); CSV, the partition's content key (file and byte range).</summary>
    public static string KeyOf(DataPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return partition.Format == DataFormat.Parquet ? "parquet/" + partition.Fingerprint.ContentKey : "csv/" + partition.ContentKey;
    }

    /// <summary>
    /// Opens the unit of <paramref name="partition"/> for sending, after checking the file is the one the job started
    /// with (a changed file fails the job, never mixes rows).
    /// </summary>
    /// <exception cref="InvalidInputException">The file changed, is gone, or cannot be read.</exception>
    public static Reader Open(DataPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        try
        {
            var file = new FileStream(partition.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            try
            {
                if (partition.Format == DataFormat.Parquet) return new Reader(file, [], 0, file.Length);
                byte[] header = [];
                if (partition.ByteStart > 0)
                {
                    long headerEnd = CsvLayout.HeaderEnd(file);
                    header = new byte[headerEnd];
                    file.Seek(0, SeekOrigin.Begin);
                    file.ReadExactly(header);
                }
                return new Reader(file, header, partition.ByteStart, partition.ByteEnd);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {partition.Path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The descriptor that reads <paramref name="partition"/>'s rows from its shipped copy at <paramref name="path"/>,
    /// whose fingerprint is <paramref name="copy"/>: the same index, rows and first row; a CSV copy's range is what
    /// follows its header, with the original's lines before it, so line numbers in errors stay the original's.
    /// </summary>
    public static DataPartition Local(DataPartition partition, string path, FileFingerprint copy)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(copy);
        if (partition.Format == DataFormat.Parquet) return partition with { Path = path, Fingerprint = copy };
        long rangeBytes = partition.ByteEnd - partition.ByteStart;
        long start = partition.ByteStart == 0 ? 0 : copy.Size - rangeBytes;
        if (start < 0) throw new InvalidInputException($"the shipped copy {path} of {partition.Name} is shorter than its range");
        return partition with { Path = path, Fingerprint = copy, ByteStart = start, ByteEnd = copy.Size };
    }

    /// <summary>
    /// Whether a received copy is what the key promises: a Parquet copy must have the original file's size and
    /// content fingerprint; a CSV copy must hold the range's bytes after at most a header line.
    /// </summary>
    public static string? Mismatch(DataPartition partition, FileFingerprint copy)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(copy);
        if (partition.Format == DataFormat.Parquet)
            return copy.SameContent(partition.Fingerprint) ? null
                : string.Create(CultureInfo.InvariantCulture, $"the shipped copy of {partition.Path} has size {copy.Size} and fingerprint {copy.SampleHash}, the file {partition.Fingerprint.Size} and {partition.Fingerprint.SampleHash}");
        long rangeBytes = partition.ByteEnd - partition.ByteStart;
        bool fits = partition.ByteStart == 0 ? copy.Size == rangeBytes : copy.Size > rangeBytes;
        return fits ? null : string.Create(CultureInfo.InvariantCulture, $"the shipped copy of {partition.Name} has {copy.Size} bytes for a range of {rangeBytes}");
    }

    /// <summary>The bytes of one unit, in order: the header (CSV ranges after the first), then the range or the file.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly FileStream _file;
        private readonly byte[] _header;
        private readonly long _end;
        private long _headerAt;
        private long _position;

        internal Reader(FileStream file, byte[] header, long start, long end)
        {
            _file = file;
            _header = header;
            _position = start;
            _end = end;
            Length = header.LongLength + (end - start);
        }

        /// <summary>The unit's size in bytes.</summary>
        public long Length { get; }

        /// <summary>Fills <paramref name="buffer"/> as far as the unit allows; 0 at its end.</summary>
        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            int filled = 0;
            if (_headerAt < _header.Length)
            {
                int n = (int)Math.Min(buffer.Length, _header.Length - _headerAt);
                _header.AsMemory((int)_headerAt, n).CopyTo(buffer);
                _headerAt += n;
                filled = n;
            }
            while (filled < buffer.Length && _position < _end)
            {
                int want = (int)Math.Min(buffer.Length - filled, _end - _position);
                _file.Seek(_position, SeekOrigin.Begin);
                int n = await _file.ReadAsync(buffer.Slice(filled, want), ct).ConfigureAwait(false);
                if (n == 0) throw new InvalidInputException($"{_file.Name}: the file ended early (it changed since the job started); restart the job");
                _position += n;
                filled += n;
            }
            return filled;
        }

        public void Dispose() => _file.Dispose();
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A worker's content-addressed on-disk cache of shipped partitions (<see cref="ShippedUnit"/>): one file per key,
/// named by a hash of the key, written atomically (a temporary file renamed into place once its content is verified),
/// with a size limit enforced by evicting the least recently used copies. A second job on the same data finds its
/// partitions here and ships nothing.
/// </summary>
/// <remarks>
/// A copy used within <see cref="ProtectFor"/> is never evicted: a reader locates a copy, then opens it, and a copy
/// located a moment ago may be being read (on Unix a deleted file stays readable through handles already open, so
/// only that gap matters). When every copy is protected, the cache stays above its limit until one ages out.
/// Not thread-safe: one owner (the worker's shipping actor) calls it.
/// </remarks>
public sealed class ShippedPartitionCache
{
    private const string UnitExtension = ".unit";
    private const string TemporaryExtension = ".tmp";

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Func<DateTime> _clock;

    private sealed class Entry(string path, long bytes, DateTime lastUse)
    {
        public string Path { get; } = path;
        public long Bytes { get; } = bytes;
        public DateTime LastUse { get; set; } = lastUse;
    }

    /// <param name="directory">Copies left there by an earlier run are kept, temporary files removed; made when the first
    /// copy arrives if it does not exist.</param>
    /// <param name="capacityBytes">The size limit of the copies together.</param>
    /// <param name="protectFor">How long after its last use a copy may not be evicted (default 10 minutes).</param>
    /// <param name="clock">The time (UTC), for tests.</param>
    public ShippedPartitionCache(string directory, long capacityBytes, TimeSpan? protectFor = null, Func<DateTime>? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Directory = System.IO.Path.GetFullPath(directory);
        CapacityBytes = capacityBytes;
        ProtectFor = protectFor ?? TimeSpan.FromMinutes(10);
        _clock = clock ?? (() => DateTime.UtcNow);
        // Not created here: a worker that is never shipped a partition (most are, with shared storage) leaves no empty
        // directory behind; the first copy received makes it (NewTemporaryPath).
        var existing = new DirectoryInfo(Directory);
        foreach (var file in existing.Exists ? existing.EnumerateFiles() : [])
        {
            if (file.Name.EndsWith(TemporaryExtension, StringComparison.Ordinal)) TryDelete(file.FullName);
            else if (file.Name.EndsWith(UnitExtension, StringComparison.Ordinal))
                _entries[file.Name] = new Entry(file.FullName, file.Length, file.LastWriteTimeUtc);
        }
        TotalBytes = _entries.Values.Sum(e => e.Bytes);
    }

    public string Directory { get; }

    public long CapacityBytes { get; }

    public TimeSpan ProtectFor { get; }

    /// <summary>Bytes of the copies held now.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Copies held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The copy of <paramref name="key"/>, marked as used now; null if it is not held.</summary>
    public string? TryGet(string key)
    {
        string name = FileName(key);
        if (!_entries.TryGetValue(name, out var entry)) return null;
        if (!File.Exists(entry.Path))
        {
            // Removed behind our back (a cleaned temp directory): forget it, ship it again.
            _entries.Remove(name);
            TotalBytes -= entry.Bytes;
            return null;
        }
        entry.LastUse = _clock();
        return entry.Path;
    }

    /// <summary>
    /// A new temporary file in the cache's directory, for a copy of <paramref name="key"/> being received. The directory
    /// is made again if it was removed while the worker runs (a temp-directory cleaner, an operator clearing the cache):
    /// its copies are gone (<see cref="TryGet"/> finds them missing), but the worker can still take new ones.
    /// </summary>
    public string NewTemporaryPath(string key)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return System.IO.Path.Combine(Directory, $"{System.IO.Path.GetFileNameWithoutExtension(FileName(key))}.{Guid.NewGuid():N}{TemporaryExtension}");
    }

    /// <summary>
    /// Moves a received, verified copy into place (an atomic rename), then evicts least recently used copies beyond the
    /// limit. Returns the copy's path.
    /// </summary>
    public string Commit(string key, string temporaryPath)
    {
        string name = FileName(key);
        string path = System.IO.Path.Combine(Directory, name);
        long bytes = new FileInfo(temporaryPath).Length;
        File.Move(temporaryPath, path, overwrite: true);
        if (_entries.Remove(name, out var old)) TotalBytes -= old.Bytes;
        _entries[name] = new Entry(path, bytes, _clock());
        TotalBytes += bytes;
        Evict();
        return path;
    }

    /// <summary>Removes a temporary file (a transfer that failed or could not be verified).</summary>
    public static void Discard(string temporaryPath) => TryDelete(temporaryPath);

    /// <summary>Evicts the least recently used copies not used within <see cref="ProtectFor"/> until the copies fit the limit.</summary>
    public void Evict()
    {
        if (TotalBytes <= CapacityBytes) return;
        var cutoff = _clock() - ProtectFor;
        foreach (var (name, entry) in _entries.OrderBy(e => e.Value.LastUse).ToList())
        {
            if (TotalBytes <= CapacityBytes) return;
            if (entry.LastUse > cutoff) continue;
            TryDelete(entry.Path);
            _entries.Remove(name);
            TotalBytes -= entry.Bytes;
        }
    }

    /// <summary>The file name of a key's copy: a hash, so any key (paths, slashes) names one plain file.</summary>
    public static string FileName(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)) + UnitExtension;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start-up to remove.
        }
    }
}

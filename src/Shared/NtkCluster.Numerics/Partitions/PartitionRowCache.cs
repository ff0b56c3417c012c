using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A process-wide cache of partitions' parsed rows within a byte budget: a partition read through it once, for a
/// choice of columns, keeps its features and targets as two dense matrices, and later rounds and jobs on the same data
/// slice their row blocks from memory instead of parsing the file again. Whole partitions are evicted, least recently
/// used first, when the budget is exceeded; a partition larger than the budget is never kept: it streams from its file
/// on every pass. Thread-safe.
/// </summary>
/// <remarks>
/// The key is the partition's <see cref="DataPartition.ContentKey"/> (its file's content and its row group or byte
/// range, whatever the path) and the columns. A block sliced from the cache holds the very doubles the file's reader
/// gave (copied, never recomputed), cut at the same rows (<see cref="RowBlock.Split"/> cuts where the readers cut:
/// every block full but the last), so a partition's partial is bitwise the same from the cache or from the file. A hit
/// still checks the file's fingerprint (a stat), so a file changed since the job started fails the job as it would
/// without the cache. Only the kept rows count against the budget; a partition being read in for keeping holds up to
/// its own size besides, until it is in.
/// </remarks>
public sealed class PartitionRowCache : IPartitionRows
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _bytes, _fileReads, _hits, _evictions;

    /// <param name="budgetBytes">The most bytes of rows kept at once; 0 keeps none (every pass streams).</param>
    public PartitionRowCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    /// <summary>The default budget: a quarter of the memory this process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>:
    /// the machine's, or the container's limit), leaving the rest to a round's m×m partials and blocks.</summary>
    public static long DefaultBudget => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>The most bytes of rows kept at once.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes of rows kept now.</summary>
    public long CachedBytes
    {
        get { lock (_gate) return _bytes; }
    }

    /// <summary>Partitions (for a choice of columns) kept now.</summary>
    public int CachedPartitions
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>Passes that read a partition from its file (to keep it, or streaming one that does not fit).</summary>
    public long FileReads => Interlocked.Read(ref _fileReads);

    /// <summary>Passes served from memory.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Partitions dropped to make room for others.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The bytes a partition of <paramref name="rows"/> rows of these columns takes in the cache.</summary>
    public static long BytesOf(long rows, PartitionColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return checked(rows * (columns.FeatureNames.Length + columns.TargetCount) * sizeof(double));
    }

    /// <summary>Whether the partition's rows for these columns are kept now.</summary>
    public bool Contains(DataPartition partition, PartitionColumns columns)
    {
        string key = KeyOf(partition, columns);
        lock (_gate) return _entries.ContainsKey(key);
    }

    /// <summary>Drops every kept partition.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }

    public IEnumerable<RowBlock> Blocks(DataPartition partition, PartitionColumns columns, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return Pass(partition, columns, blockSize);
    }

    /// <summary>One pass: from memory when the partition is kept (looked up when the pass starts), else from the file.</summary>
    private IEnumerable<RowBlock> Pass(DataPartition partition, PartitionColumns columns, int blockSize)
    {
        string key = KeyOf(partition, columns);
        if (Find(key) is { } kept)
        {
            partition.Fingerprint.EnsureUnchanged(partition.Path);
            Interlocked.Increment(ref _hits);
            // Fresh copies of the kept rows, block by block: a caller may keep or change its blocks.
            foreach (var block in RowBlock.Split(kept.X, kept.Y, blockSize)) yield return block;
            yield break;
        }
        Interlocked.Increment(ref _fileReads);
        var builder = PartitionRowsBuilder.For(partition, columns, BudgetBytes);
        using (var reader = columns.Open(partition, blockSize))
        {
            while (reader.ReadBlock() is { } block)
            {
                // Copied before the caller sees the block, so what is kept is what the file held.
                if (builder is not null && !builder.Add(block)) builder = null; // larger than the budget: it streams
                yield return block;
            }
        }
        if (builder?.Build() is { } rows) Keep(key, rows.X, rows.Y);
    }

    private Entry? Find(string key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node)) return null;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
        }
    }

    private void Keep(string key, Matrix<double> x, Matrix<double> y)
    {
        long bytes = (long)(x.ColumnCount + y.ColumnCount) * x.RowCount * sizeof(double);
        lock (_gate)
        {
            if (bytes > BudgetBytes || _entries.ContainsKey(key)) return; // another pass kept it meanwhile: same rows
            while (_bytes + bytes > BudgetBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Bytes;
                _evictions++;
            }
            _entries.Add(key, _recency.AddFirst(new Entry(key, x, y, bytes)));
            _bytes += bytes;
        }
    }

    /// <summary>The partition's content and the columns read from it: names joined with a separator no name holds.</summary>
    private static string KeyOf(DataPartition partition, PartitionColumns columns)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        const char unit = '\u001f', group = '\u001e';
        string key = string.Join(group, partition.ContentKey, string.Join(unit, columns.FeatureNames), string.Join(unit, columns.TargetNames),
            // A classifier's blocks carry ±1 targets, one column per class (PartitionColumns.Classes): other rows than raw labels.
            string.Join(unit, columns.FittedTargetNames), columns.Columns is null ? "*" : "=" + string.Join(unit, columns.Columns),
            // Read with missing cells as NaN (--missing, any policy: the cache keeps the cells as read), and with a forced separator.
            columns.Missing is null ? "strict" : "nan", columns.Separator is { } separator ? ((int)separator).ToString(System.Globalization.CultureInfo.InvariantCulture) : "auto");
        // Text labels read as codes of these classes (PartitionColumns.LabelNames): other rows than labels read as numbers.
        if (columns.LabelNames is not null) key += group + "L" + string.Join(unit, columns.LabelNames);
        // Categorical features read one-hot encoded (PartitionColumns.Categorical): the fills and the kinds change the rows too.
        if (columns.Categorical is { } encoding)
            key += group + "C" + string.Join(unit, encoding.Select(e => $"{e.Name}{unit}{e.Codes}{unit}{e.Fill ?? "\u0000"}{unit}{string.Join(unit, e.Categories)}"))
                   + (columns.UnknownCategoryIsError ? "!" : "");
        return key;
    }

    private sealed record Entry(string Key, Matrix<double> X, Matrix<double> Y, long Bytes);
}

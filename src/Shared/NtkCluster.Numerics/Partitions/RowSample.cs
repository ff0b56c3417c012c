using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A seeded row sample of a partitioned dataset that needs no shuffle and no row in one place: the sample of size k is
/// the k rows with the smallest keys (<see cref="RowSampleKey"/>: a hash of (seed, the row's global index), then the
/// index), on one side of a split if given. Each partition finds its own smallest keys from its row range alone
/// (<see cref="SmallestKeys"/>, no file read); merged, they give the k smallest overall (<see cref="MergeSmallest"/>);
/// the chosen rows are then read by the partitions that hold them (<see cref="Requests"/>) and returned in global row
/// order, which is partition order. The sample depends on the seed and the rows' global indices only — not on the
/// partitioning, the workers or the order of answers — and holds every row when there are at most k.
/// </summary>
/// <remarks>
/// Each row is in the sample with the same probability, and every set of k rows is equally likely (the k smallest of
/// n i.i.d. uniform keys): a simple random sample without replacement, what a subsample lower bound on ε
/// (<see cref="Spectral.SpectralApproximation.MeasureOnSubsample"/>) and subsample estimates want. The purpose
/// <see cref="DrawPurpose.HashedRowSample"/> keeps it apart from the hashed split and folds of the same seed.
/// </remarks>
public static class RowSample
{
    /// <summary>How many keys, per key wanted, a first cut lets through in expectation (<see cref="HashBound"/>).</summary>
    public const double BoundSlack = 2.0;

    /// <summary>The 64 uniform bits that order row <paramref name="row"/> in the sample of seed <paramref name="seed"/>.</summary>
    public static ulong Hash(ulong seed, long row) => RowHash.Bits(seed, DrawPurpose.HashedRowSample, row);

    /// <summary>
    /// A cut on hashes that about <see cref="BoundSlack"/>·<paramref name="count"/>·<paramref name="widen"/> of
    /// <paramref name="population"/> rows pass: what each partition sends is then O(k) in all, not O(k) per partition.
    /// <see cref="ulong.MaxValue"/> (every row) when that is all of them.
    /// </summary>
    /// <param name="widen">1 at first; doubled each time a cut let fewer than k keys through (rare: the expected
    /// number is twice k).</param>
    public static ulong HashBound(long population, int count, double widen = 1)
    {
        double fraction = BoundSlack * widen * count / Math.Max(1, population);
        // 2⁶⁴·fraction, kept below 2⁶⁴ (a double's 1.8446744073709552E19 would overflow the conversion).
        return fraction >= 0.5 ? ulong.MaxValue : (ulong)(fraction * 18446744073709551616.0);
    }

    /// <summary>
    /// The <paramref name="count"/> smallest keys of a partition's rows (those on <paramref name="split"/>'s side, and
    /// with a hash at most <paramref name="maxHash"/>), ascending: computed from the partition's row range alone.
    /// </summary>
    /// <exception cref="InvalidOperationException">The partition's rows are not counted yet (no first row or row count).</exception>
    public static RowSampleKey[] SmallestKeys(DataPartition partition, RowSplit? split, ulong seed, int count, ulong maxHash = ulong.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long first = partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before sampling them");
        long rows = partition.RowCount ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no row count yet: count the rows before sampling them");
        if (count == 0) return [];
        // A max-heap of the smallest keys so far: its top is the one to drop when a smaller key comes.
        var heap = new PriorityQueue<RowSampleKey, RowSampleKey>(Comparer<RowSampleKey>.Create((a, b) => b.CompareTo(a)));
        for (long row = first; row < first + rows; row++)
        {
            if (split is not null && !split.Keeps(row)) continue;
            ulong hash = Hash(seed, row);
            if (hash > maxHash) continue;
            var key = new RowSampleKey(hash, row);
            if (heap.Count < count) heap.Enqueue(key, key);
            else if (key < heap.Peek()) heap.DequeueEnqueue(key, key);
        }
        var keys = heap.UnorderedItems.Select(e => e.Element).ToArray();
        Array.Sort(keys);
        return keys;
    }

    /// <summary>The <paramref name="count"/> smallest of two ascending key lists (of different partitions, so of
    /// different rows), ascending.</summary>
    public static RowSampleKey[] MergeSmallest(IReadOnlyList<RowSampleKey> a, IReadOnlyList<RowSampleKey> b, int count)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var merged = new List<RowSampleKey>(Math.Min(count, a.Count + b.Count));
        int i = 0, j = 0;
        while (merged.Count < count && (i < a.Count || j < b.Count))
        {
            merged.Add(j >= b.Count || (i < a.Count && a[i] <= b[j]) ? a[i++] : b[j++]);
        }
        return [.. merged];
    }

    /// <summary>The rows of some keys, in global row order (which is partition order).</summary>
    public static long[] Rows(IEnumerable<RowSampleKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rows = keys.Select(k => k.Row).ToArray();
        Array.Sort(rows);
        return rows;
    }

    /// <summary>
    /// Who reads which chosen rows: for each partition in partition order, its rows among <paramref name="rows"/>
    /// (ascending global indices), cut into requests of at most <paramref name="maxRows"/> rows so no answer outgrows a
    /// message. Partitions holding none of them are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">A row is in no partition, or the rows are not strictly ascending.</exception>
    public static IReadOnlyList<(DataPartition Partition, long[] Rows)> Requests(IReadOnlyList<DataPartition> partitions, IReadOnlyList<long> rows,
        int maxRows)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        for (int i = 1; i < rows.Count; i++)
            if (rows[i] <= rows[i - 1]) throw new ArgumentException($"rows must be strictly ascending: {rows[i - 1]} then {rows[i]}", nameof(rows));
        var requests = new List<(DataPartition, long[])>();
        int next = 0;
        foreach (var p in partitions)
        {
            long first = p.FirstRow ?? throw new InvalidOperationException($"partition {p.Index} ({p.Name}) has no first row yet");
            long end = first + (p.RowCount ?? throw new InvalidOperationException($"partition {p.Index} ({p.Name}) has no row count yet"));
            if (next < rows.Count && rows[next] < first)
                throw new ArgumentException($"row {rows[next]} is in no partition", nameof(rows));
            int start = next;
            while (next < rows.Count && rows[next] < end) next++;
            for (int at = start; at < next; at += maxRows)
                requests.Add((p, rows.Skip(at).Take(Math.Min(maxRows, next - at)).ToArray()));
        }
        if (next < rows.Count) throw new ArgumentException($"row {rows[next]} is in no partition", nameof(rows));
        return requests;
    }

    /// <summary>Rows per request so that one answer (features and targets, 8 bytes a value) stays within
    /// <paramref name="bytes"/>.</summary>
    public static int RowsPerRequest(int features, int targets, int bytes = 1 << 20) =>
        Math.Max(1, bytes / (8 * Math.Max(1, features + targets)));
}

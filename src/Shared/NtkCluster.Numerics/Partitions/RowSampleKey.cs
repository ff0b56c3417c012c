namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A row's place in a hashed row sample (<see cref="RowSample"/>): its hash for the sample's seed and its index in the
/// whole dataset. Keys are ordered by hash, then by row, a total order, so "the k smallest keys" names one set of rows
/// whoever computes it and in whatever order the partitions answer.
/// </summary>
/// <param name="Hash">64 uniform bits of (seed, row) (<see cref="RowSample.Hash"/>).</param>
/// <param name="Row">The row's 0-based index in the whole dataset.</param>
public readonly record struct RowSampleKey(ulong Hash, long Row) : IComparable<RowSampleKey>
{
    public int CompareTo(RowSampleKey other)
    {
        int byHash = Hash.CompareTo(other.Hash);
        return byHash != 0 ? byHash : Row.CompareTo(other.Row);
    }

    public static bool operator <(RowSampleKey left, RowSampleKey right) => left.CompareTo(right) < 0;

    public static bool operator >(RowSampleKey left, RowSampleKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(RowSampleKey left, RowSampleKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RowSampleKey left, RowSampleKey right) => left.CompareTo(right) >= 0;
}

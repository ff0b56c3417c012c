using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A bounded sample of a partitioned dataset's rows chosen by hash, with no shuffle and no global pass: the
/// <see cref="Count"/> rows whose hash of (seed, global row index) is smallest (bottom-k sampling, ties to the lower
/// index). Each partition keeps its own bottom-k; the bottom-k of the union of those is the dataset's, whatever the
/// order they are merged in, so the sample depends on the data alone. Every row is equally likely to be in it; with
/// fewer rows than <see cref="Count"/> it is all of them.
/// </summary>
/// <param name="Seed">The sample's seed.</param>
/// <param name="Count">At most this many rows.</param>
public sealed record RowSample(ulong Seed, int Count)
{
    /// <summary>The row's sort key: its hash, then its index.</summary>
    public (ulong Hash, long Row) KeyOf(long row) => (RowHash.Bits(Seed, DrawPurpose.HashedSubsample, row), row);
}

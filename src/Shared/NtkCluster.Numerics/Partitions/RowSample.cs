using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A seeded subsample of a partitioned dataset's rows that needs no shuffle: the <see cref="Size"/> rows with the
/// smallest hash <see cref="RowHash.Bits"/>(seed, global row index), ties broken by the index. Each partition keeps its
/// own smallest <see cref="Size"/> and the reduction keeps the smallest of those, so the sample is the same whatever
/// the partitions ran on — and, being a function of global row indices, whatever the partitioning.
/// </summary>
/// <param name="Seed">The job's seed.</param>
/// <param name="Size">How many rows (all of them when the dataset has fewer).</param>
public sealed record RowSample(ulong Seed, int Size)
{
    /// <summary>The hash that orders the rows. The purpose is the in-memory spectral subsample's, whose role this plays.</summary>
    public ulong Key(long row) => RowHash.Bits(Seed, DrawPurpose.SpectralSubsample, row);
}

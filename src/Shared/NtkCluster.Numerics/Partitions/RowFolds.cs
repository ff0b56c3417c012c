using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The cross-validation folds of a partitioned dataset: the fold of a row is a hash of (seed, its global row index)
/// (<see cref="RowHash.Fold"/>), so every partition cuts its own rows into folds without a shuffle and the folds do not
/// depend on how the data is partitioned. It needs every partition's <see cref="DataPartition.FirstRow"/> (after a
/// counting pass). Fold sizes are multinomial (mean n/k), unlike the permutation folds of in-memory data, which are
/// within one row of n/k and choose different rows for the same seed.
/// </summary>
/// <param name="Seed">The fold seed (<c>--cv-seed</c>).</param>
/// <param name="Count">k, the number of folds (at least 2).</param>
public sealed record RowFolds(ulong Seed, int Count)
{
    /// <summary>The fold of the row of global index <paramref name="row"/>.</summary>
    public int Of(long row) => RowHash.Fold(Seed, row, Count);

    /// <summary>
    /// A block's rows (read from <paramref name="partition"/>) cut by fold: entry f holds the rows of fold f in their
    /// order, or null when the block has none. With <paramref name="split"/>, only the rows on its side: the block must be
    /// the partition's unfiltered block, whose row i is global row FirstRow + i (a block the split has already compacted
    /// would give its rows the wrong folds).
    /// </summary>
    public RowBlock?[] Split(DataPartition partition, RowBlock block, RowSplit? split = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(block);
        long first = (partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before cutting them into folds")) + block.FirstRow;
        var rows = new List<int>[Count];
        for (int i = 0; i < block.Rows; i++)
        {
            if (split is not null && !split.Keeps(first + i)) continue;
            int f = Of(first + i);
            (rows[f] ??= new List<int>(block.Rows / Count + 1)).Add(i);
        }
        var pieces = new RowBlock?[Count];
        for (int f = 0; f < Count; f++)
        {
            if (rows[f] is not { } kept) continue;
            pieces[f] = kept.Count == block.Rows ? block : block with { X = MatrixRows.Pick(block.X, kept), Y = MatrixRows.Pick(block.Y, kept) };
        }
        return pieces;
    }
}

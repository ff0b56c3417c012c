namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// One side of one cross-validation fold of a partitioned dataset (<see cref="RowFolds"/>): the rows of fold
/// <paramref name="Fold"/> (held out) or the rows of every other fold (its training rows). As a restriction of a
/// <see cref="RowSplit"/> (<see cref="RowSplit.Fold"/>) it lets any partition round — moments, Grams, leverage scores,
/// gathered rows, labels, errors — run on one fold's training rows, so a fold's fit is an ordinary partitioned fit that
/// never sees its held-out rows.
/// </summary>
/// <param name="Folds">The fold seed and count.</param>
/// <param name="Fold">The fold, 0 … k−1.</param>
/// <param name="Held">True keeps the fold's own (held-out) rows, false the other folds' (training) rows.</param>
public sealed record RowFoldSide(RowFolds Folds, int Fold, bool Held)
{
    /// <summary>Whether the row of global index <paramref name="row"/> is on this side of the fold.</summary>
    public bool Keeps(long row) => (Folds.Of(row) == Fold) == Held;

    /// <summary>The fold's other side.</summary>
    public RowFoldSide OtherSide() => this with { Held = !Held };
}

using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Raw rows of a partitioned dataset with their global row indices: one partition's rows (all of them, or its part of
/// a <see cref="RowSample"/>), or the reduction of several in partition order. What a fit that needs rows in one place
/// gathers — exact KRR, the dual form, exact leverage scores, the first stage's ε₁ subsample.
/// </summary>
/// <param name="RowIndices">Each row's index in the whole dataset, increasing.</param>
/// <param name="X">The feature columns, one row per index.</param>
/// <param name="Y">The target columns.</param>
public sealed record PartitionRowSet(long[] RowIndices, Matrix<double> X, Matrix<double> Y)
{
    public int Rows => RowIndices.Length;

    /// <summary>No rows, with the given numbers of columns.</summary>
    public static PartitionRowSet Empty(int features, int targets) =>
        new([], Matrix<double>.Build.Dense(0, features), Matrix<double>.Build.Dense(0, targets));

    /// <summary>These rows followed by <paramref name="next"/>'s (the next partition's): a gather in partition order.</summary>
    public PartitionRowSet Concat(PartitionRowSet next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.Rows == 0) return this;
        if (Rows == 0) return next;
        return new PartitionRowSet([.. RowIndices, .. next.RowIndices], Stack(X, next.X), Stack(Y, next.Y));
    }

    /// <summary>
    /// The rows of <paramref name="sample"/> among these and <paramref name="other"/>'s: the <see cref="RowSample.Size"/>
    /// smallest keys, in increasing row index. Folding the partitions' samples in partition order gives the sample of
    /// the whole dataset, which is also what any other order would give.
    /// </summary>
    public PartitionRowSet MergeSample(PartitionRowSet other, RowSample sample)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(sample);
        var all = RowIndices.Select((row, i) => (Row: row, From: this, At: i))
            .Concat(other.RowIndices.Select((row, i) => (Row: row, From: other, At: i)));
        var kept = all.OrderBy(r => sample.Key(r.Row)).ThenBy(r => r.Row).Take(sample.Size).OrderBy(r => r.Row).ToArray();
        return new PartitionRowSet(kept.Select(r => r.Row).ToArray(),
            Matrix<double>.Build.Dense(kept.Length, X.ColumnCount, (i, j) => kept[i].From.X[kept[i].At, j]),
            Matrix<double>.Build.Dense(kept.Length, Y.ColumnCount, (i, j) => kept[i].From.Y[kept[i].At, j]));
    }

    private static Matrix<double> Stack(Matrix<double> top, Matrix<double> bottom)
    {
        var m = Matrix<double>.Build.Dense(top.RowCount + bottom.RowCount, top.ColumnCount);
        m.SetSubMatrix(0, 0, top);
        m.SetSubMatrix(top.RowCount, 0, bottom);
        return m;
    }
}

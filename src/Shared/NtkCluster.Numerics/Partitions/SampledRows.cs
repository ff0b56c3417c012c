using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>Rows of a <see cref="RowSample"/> in global row order: their indices, raw features and targets.</summary>
public sealed record SampledRows(long[] Rows, Matrix<double> X, Matrix<double> Y)
{
    /// <summary>No rows, of these widths: what a merge starts from.</summary>
    public static SampledRows Empty(int features, int targets) =>
        new([], Matrix<double>.Build.Dense(0, features), Matrix<double>.Build.Dense(0, targets));

    /// <summary>The sample's rows among these and <paramref name="other"/>'s (the <paramref name="sample"/>.Count smallest keys), in row order.</summary>
    public SampledRows Merge(SampledRows other, RowSample sample)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(sample);
        var all = Rows.Select((row, i) => (Key: sample.KeyOf(row), From: this, At: i))
            .Concat(other.Rows.Select((row, i) => (Key: sample.KeyOf(row), From: other, At: i)))
            .OrderBy(e => e.Key).Take(sample.Count).OrderBy(e => e.Key.Row).ToArray();
        return Pick(all.Select(e => (e.From, e.At)).ToArray(), X.ColumnCount, Y.ColumnCount);
    }

    /// <summary>Rows picked from sources, in the given order.</summary>
    internal static SampledRows Pick(IReadOnlyList<(SampledRows From, int At)> picks, int features, int targets)
    {
        var x = Matrix<double>.Build.Dense(picks.Count, features);
        var y = Matrix<double>.Build.Dense(picks.Count, targets);
        var rows = new long[picks.Count];
        for (int i = 0; i < picks.Count; i++)
        {
            var (from, at) = picks[i];
            rows[i] = from.Rows[at];
            for (int j = 0; j < features; j++) x[i, j] = from.X[at, j];
            for (int j = 0; j < targets; j++) y[i, j] = from.Y[at, j];
        }
        return new SampledRows(rows, x, y);
    }
}

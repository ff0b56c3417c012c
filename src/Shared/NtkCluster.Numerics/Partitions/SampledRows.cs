using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Rows of a partitioned dataset gathered into memory by their global indices: a <see cref="RowSample"/>, or one
/// partition's share of it. Raw values (no preprocessing), in the order of <see cref="Rows"/> (ascending).
/// </summary>
/// <param name="Rows">The rows' 0-based indices in the whole dataset, ascending.</param>
/// <param name="X">Their feature columns (rows × d).</param>
/// <param name="Y">Their target columns (rows × t).</param>
public sealed record SampledRows(long[] Rows, Matrix<double> X, Matrix<double> Y)
{
    /// <summary>Pieces one after another, in the order given (partition order): no row is copied twice.</summary>
    public static SampledRows Concat(IReadOnlyList<SampledRows> pieces, int features, int targets)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        int n = pieces.Sum(p => p.Rows.Length);
        var rows = new long[n];
        var x = Matrix<double>.Build.Dense(n, features);
        var y = Matrix<double>.Build.Dense(n, targets);
        int at = 0;
        foreach (var piece in pieces)
        {
            if (piece.Rows.Length == 0) continue;
            piece.Rows.CopyTo(rows, at);
            x.SetSubMatrix(at, 0, piece.X);
            y.SetSubMatrix(at, 0, piece.Y);
            at += piece.Rows.Length;
        }
        return new SampledRows(rows, x, y);
    }
}

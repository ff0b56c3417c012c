using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>Copies of chosen rows of a matrix: a subset of a dataset, the rows a split or a fold keeps, a subsample.</summary>
internal static class MatrixRows
{
    /// <summary>The rows <paramref name="rows"/> of <paramref name="source"/>, in that order, as a new dense matrix.</summary>
    public static Matrix<double> Pick(Matrix<double> source, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Count, cols = source.ColumnCount, sourceRows = source.RowCount;
        var data = new double[(long)n * cols];
        // Dense matrices expose their column-major storage; going through it avoids a bounds-checked call per cell.
        double[]? storage = source.AsColumnMajorArray();
        for (int c = 0; c < cols; c++)
        {
            long offset = (long)c * n;
            if (storage != null)
            {
                long sourceOffset = (long)c * sourceRows;
                for (int i = 0; i < n; i++) data[offset + i] = storage[sourceOffset + rows[i]];
            }
            else
            {
                for (int i = 0; i < n; i++) data[offset + i] = source[rows[i], c];
            }
        }
        return Matrix<double>.Build.Dense(n, cols, data);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Consecutive rows of a dataset: features <see cref="X"/> (rows × d) and targets <see cref="Y"/> (rows × t), both
/// dense, with the block's place in the data. The unit in which data too large to hold is read, preprocessed and
/// sent to workers; in-memory data is cut into the same blocks, so both give the same partial sums.
/// </summary>
/// <param name="Index">0-based position of the block in the data: block b holds rows [b·size, b·size + rows).</param>
/// <param name="FirstRow">0-based index of the block's first row in the whole data.</param>
public sealed record RowBlock(int Index, int FirstRow, Matrix<double> X, Matrix<double> Y)
{
    /// <summary>Rows in this block (the last block of a file may be shorter than the others).</summary>
    public int Rows => X.RowCount;

    /// <summary>
    /// In-memory data cut into blocks of <paramref name="blockSize"/> rows, copied one block at a time as the
    /// sequence is enumerated — the same blocks a <see cref="CsvRowBlockReader"/> reads from the data's file.
    /// </summary>
    public static IEnumerable<RowBlock> Split(Matrix<double> x, Matrix<double> y, int blockSize = BlockPlan.DefaultRowBlock)
    {
        if (x.RowCount != y.RowCount) throw new ArgumentException($"features have {x.RowCount} rows but targets have {y.RowCount}", nameof(y));
        var plan = new BlockPlan(x.RowCount, blockSize);
        for (int b = 0; b < plan.Count; b++)
        {
            int start = plan.Start(b), length = plan.Length(b);
            yield return new RowBlock(b, start, x.SubMatrix(start, length, 0, x.ColumnCount), y.SubMatrix(start, length, 0, y.ColumnCount));
        }
    }

    /// <summary>
    /// An n × cols matrix from a column-major buffer whose columns are <paramref name="stride"/> long: a block that
    /// a streaming reader filled up to n of its <paramref name="stride"/> rows (the buffer itself when it is full).
    /// </summary>
    internal static Matrix<double> ColumnMajor(double[] buffer, int stride, int n, int cols)
    {
        if (n == stride) return Matrix<double>.Build.Dense(n, cols, buffer);
        var data = new double[(long)n * cols];
        for (int k = 0; k < cols; k++) Array.Copy(buffer, (long)k * stride, data, (long)k * n, n);
        return Matrix<double>.Build.Dense(n, cols, data);
    }
}

using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// K(X, X) put together from its lower triangle: block b of rows X_b is evaluated only against the rows up to its own
/// last one, K(X_b, X[0, end_b)), and the upper triangle is mirrored from the lower once all blocks are in. Half the
/// kernel evaluations of full row blocks, half the block memory in flight (each block's answer is dead once copied
/// in), half the rows shipped to a worker, and K comes out exactly symmetric. Both round implementations
/// (in-process and sharded) cut and fold the same blocks through this type, so K is bitwise the same everywhere.
/// </summary>
public sealed class KernelMatrixAssembly
{
    private readonly double[] _values;

    public KernelMatrixAssembly(int rows)
    {
        N = rows;
        Plan = new BlockPlan(rows, BlockPlan.KernelRowBlock(rows));
        Matrix = Matrix<double>.Build.Dense(rows, rows);
        _values = ((DenseMatrix)Matrix).Values;
    }

    public int N { get; }

    /// <summary>The row blocks.</summary>
    public BlockPlan Plan { get; }

    /// <summary>K; complete only after <see cref="Complete"/>.</summary>
    public Matrix<double> Matrix { get; }

    /// <summary>How many rows of X block <paramref name="block"/> is evaluated against: those up to its own last row.</summary>
    public int ColumnsOf(int block) => Plan.Start(block) + Plan.Length(block);

    /// <summary>The rows X_b of block <paramref name="block"/>.</summary>
    public Matrix<double> RowsOf(Matrix<double> x, int block) => x.SubMatrix(Plan.Start(block), Plan.Length(block), 0, x.ColumnCount);

    /// <summary>The rows block <paramref name="block"/> is evaluated against, X[0, end_b).</summary>
    public Matrix<double> ColumnsFor(Matrix<double> x, int block) =>
        ColumnsOf(block) == x.RowCount ? x : x.SubMatrix(0, ColumnsOf(block), 0, x.ColumnCount);

    /// <summary>Copies block <paramref name="block"/>'s answer K(X_b, X[0, end_b)) into place.</summary>
    public KernelMatrixAssembly Add(int block, Matrix<double> rows)
    {
        int start = Plan.Start(block), length = Plan.Length(block), columns = ColumnsOf(block);
        if (rows.RowCount != length || rows.ColumnCount != columns)
            throw new ArgumentException($"block {block} answered {rows.RowCount}×{rows.ColumnCount} kernel values, expected {length}×{columns}");
        var source = rows is DenseMatrix dense ? dense.Values : rows.ToColumnMajorArray();
        for (int j = 0; j < columns; j++)
            source.AsSpan(j * length, length).CopyTo(_values.AsSpan(j * N + start, length));
        return this;
    }

    /// <summary>Mirrors the lower triangle onto the upper, in 64×64 tiles (element by element, the strided writes cost more than the copy).</summary>
    public Matrix<double> Complete()
    {
        const int tile = 64;
        int n = N;
        for (int ib = 0; ib < n; ib += tile)
        {
            int iEnd = Math.Min(n, ib + tile);
            for (int jb = ib; jb < n; jb += tile)
            {
                int jEnd = Math.Min(n, jb + tile);
                // Upper entries (i, j), i < j, of this tile pair come from the lower entries (j, i).
                for (int j = jb; j < jEnd; j++)
                {
                    long column = (long)j * n;
                    for (int i = ib; i < Math.Min(iEnd, j); i++)
                        _values[column + i] = _values[(long)i * n + j];
                }
            }
        }
        return Matrix;
    }
}

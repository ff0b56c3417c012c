using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Spectral;

/// <summary>
/// Forward substitution L·X = B for a dense lower-triangular L and many right-hand sides, blocked so that almost
/// all of the n²·m flops are GEMMs through <see cref="DenseBackend"/>.
/// </summary>
/// <remarks>
/// MathNet has no triangular matrix type and no public triangular solve (its Cholesky <c>Solve</c> does forward and
/// back substitution together, unblocked). Left-looking block rows: for block I,
/// X_I = L_II⁻¹·(B_I − L_{I,&lt;I}·X_{&lt;I}); the product is one GEMM, the small diagonal solve is column-oriented
/// forward substitution on the contiguous column-major storage. Forward substitution is backward stable: the
/// computed X solves (L + ΔL)·X = B with |ΔL| ≤ c·n·u·|L|.
/// </remarks>
internal static class LowerTriangularSolver
{
    /// <summary>Rows per block: large enough for an efficient GEMM, small enough that the scalar part stays minor.</summary>
    internal const int BlockSize = 96;

    /// <summary>
    /// X with L·X = B. Only the lower triangle of <paramref name="l"/> (with the diagonal) is read; neither input is
    /// modified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Matrix<double> Solve(Matrix<double> l, Matrix<double> b)
    {
        int n = l.RowCount, m = b.ColumnCount;
        if (l.ColumnCount != n || b.RowCount != n)
            throw new ArgumentException($"L is {l.RowCount}×{l.ColumnCount}, B is {b.RowCount}×{b.ColumnCount}");
        var x = Matrix<double>.Build.DenseOfMatrix(b);
        double[] xs = x.AsColumnMajorArray()!;
        double[] ls = l.AsColumnMajorArray() ?? l.ToColumnMajorArray();

        for (int r0 = 0; r0 < n; r0 += BlockSize)
        {
            int rb = Math.Min(BlockSize, n - r0);
            if (r0 > 0)
            {
                // B_I −= L_{I,<I}·X_{<I}: the rows above are final.
                var product = DenseBackend.Current.Multiply(l.SubMatrix(r0, rb, 0, r0), x.SubMatrix(0, r0, 0, m));
                double[] ps = product.AsColumnMajorArray() ?? product.ToColumnMajorArray();
                for (int c = 0; c < m; c++)
                {
                    int xo = c * n + r0, po = c * rb;
                    for (int i = 0; i < rb; i++) xs[xo + i] -= ps[po + i];
                }
            }
            for (int c = 0; c < m; c++)
            {
                int xo = c * n;
                for (int j = r0; j < r0 + rb; j++)
                {
                    double xj = xs[xo + j] / ls[j * n + j];
                    xs[xo + j] = xj;
                    if (xj == 0) continue;
                    int lo = j * n;
                    for (int i = j + 1; i < r0 + rb; i++) xs[xo + i] -= xj * ls[lo + i];
                }
            }
        }
        return x;
    }
}

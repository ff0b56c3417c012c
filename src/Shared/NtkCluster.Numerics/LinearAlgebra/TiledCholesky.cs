using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// The Cholesky factorization and SPD solve of an n×n matrix in place, in fixed square tiles on single-threaded
/// OpenBLAS calls: dpotrf on each diagonal tile, dtrsm on the panel below it, dsyrk and dgemm on the trailing
/// columns of tiles. What it is for: an exact fit's K + λI is its largest object (5000 rows: 200 MB), and
/// LAPACK's dpotrf on the matrix itself would round differently depending on where .NET placed the array (see
/// <see cref="AlignedBuffer"/>), while factoring an aligned copy doubles the memory.
/// </summary>
/// <remarks>
/// <para>Only the diagonal tiles go through LAPACK, each on an aligned copy of <see cref="Tile"/>² values; every other
/// call is level 3, which packs its operands, so its bits do not depend on alignment (tested) and it runs on the
/// managed array in place.</para>
/// <para>Threads: the tiles of a panel and the columns of a trailing update are independent, and run on up to
/// <c>parallelism</c> .NET threads, each call on one BLAS thread. The tiling is fixed and every tile sees the same
/// updates in the same order (k = 0, 1, …), so the factor is bitwise the same for any degree of parallelism — which is
/// why this, and not OpenBLAS's own threading (whose partition of the work follows the thread count), uses the cores.</para>
/// </remarks>
internal static unsafe class TiledCholesky
{
    /// <summary>Tile order: large enough for dgemm to run near its peak, small enough to give two cores work to share.</summary>
    public const int Tile = 256;

    /// <summary>
    /// Overwrites the lower triangle of the n×n column-major <paramref name="a"/> (lower triangle read; the strict upper
    /// triangle is neither read nor changed) with its Cholesky factor L.
    /// </summary>
    /// <exception cref="NotPositiveDefiniteException">A pivot is not positive at working precision.</exception>
    public static void Factor(double[] a, int n, int parallelism)
    {
        if (n == 0) return;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) };
        using var diagonal = new AlignedBuffer((long)Tile * Tile);
        fixed (double* pa = a)
        {
            double* p = pa; // a fixed local cannot be captured by the lambdas below
            for (int k = 0; k < n; k += Tile)
            {
                int kb = Math.Min(Tile, n - k);
                FactorDiagonal(p, n, k, kb, diagonal.Pointer);
                int below = n - k - kb;
                if (below == 0) break;
                int tiles = (below + Tile - 1) / Tile;
                // L_ik = A_ik·L_kk⁻ᵀ for each tile of rows below the diagonal one: every row on its own, so tiles are independent.
                Parallel.For(0, tiles, options, t =>
                {
                    int i = k + kb + t * Tile, rows = Math.Min(Tile, n - i);
                    OpenBlasNative.cblas_dtrsm(OpenBlasNative.ColMajor, OpenBlasNative.Right, OpenBlasNative.Lower, OpenBlasNative.Trans,
                        OpenBlasNative.NonUnit, rows, kb, 1.0, At(p, n, k, k), n, At(p, n, i, k), n);
                });
                // A_jj ← A_jj − L_jk·L_jkᵀ (dsyrk) and the tiles below it in column j ← − L_ik·L_jkᵀ (one dgemm) for each
                // column of tiles j right of k.
                Parallel.For(0, tiles, options, t =>
                {
                    int j = k + kb + t * Tile, jb = Math.Min(Tile, n - j), rest = n - j - jb;
                    OpenBlasNative.cblas_dsyrk(OpenBlasNative.ColMajor, OpenBlasNative.Lower, OpenBlasNative.NoTrans, jb, kb,
                        -1.0, At(p, n, j, k), n, 1.0, At(p, n, j, j), n);
                    if (rest > 0)
                        OpenBlasNative.cblas_dgemm(OpenBlasNative.ColMajor, OpenBlasNative.NoTrans, OpenBlasNative.Trans, rest, jb, kb,
                            -1.0, At(p, n, j + jb, k), n, At(p, n, j, k), n, 1.0, At(p, n, j + jb, j), n);
                });
            }
        }
    }

    /// <summary>
    /// Solves (LLᵀ)·X = B in place for the factor <see cref="Factor"/> left in <paramref name="l"/>: B is n×columns
    /// column-major. Two dtrsm calls, as LAPACK's dpotrs makes.
    /// </summary>
    public static void Solve(double[] l, int n, double[] b, int columns)
    {
        if (n == 0 || columns == 0) return;
        fixed (double* pl = l)
        fixed (double* pb = b)
        {
            OpenBlasNative.cblas_dtrsm(OpenBlasNative.ColMajor, OpenBlasNative.Left, OpenBlasNative.Lower, OpenBlasNative.NoTrans,
                OpenBlasNative.NonUnit, n, columns, 1.0, pl, n, pb, n);
            OpenBlasNative.cblas_dtrsm(OpenBlasNative.ColMajor, OpenBlasNative.Left, OpenBlasNative.Lower, OpenBlasNative.Trans,
                OpenBlasNative.NonUnit, n, columns, 1.0, pl, n, pb, n);
        }
    }

    /// <summary>dpotrf on the kb×kb diagonal tile at (k, k), through the aligned scratch tile.</summary>
    private static void FactorDiagonal(double* a, int n, int k, int kb, double* scratch)
    {
        for (int j = 0; j < kb; j++)
            new ReadOnlySpan<double>(At(a, n, k, k + j), kb).CopyTo(new Span<double>(scratch + (long)j * kb, kb));
        int info, order = kb;
        byte lower = (byte)'L';
        OpenBlasNative.dpotrf(&lower, &order, scratch, &order, &info);
        if (info > 0)
            throw new NotPositiveDefiniteException($"the {n}×{n} system is not positive definite at working precision (pivot {k + info})");
        if (info < 0) throw new NumericalFailureException($"dpotrf rejected argument {-info}");
        // Only the lower triangle (with the diagonal): the strict upper triangle of the matrix stays as it was.
        for (int j = 0; j < kb; j++)
            new ReadOnlySpan<double>(scratch + (long)j * kb + j, kb - j).CopyTo(new Span<double>(At(a, n, k + j, k + j), kb - j));
    }

    private static double* At(double* a, int n, int row, int column) => a + (long)column * n + row;
}

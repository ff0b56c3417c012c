using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// The system OpenBLAS through P/Invoke: dsyrk for Gram matrices, dgemm for products, dpotrf/dpotrs for SPD solves,
/// dsyevd for eigenvalues. On two cores it runs the Gram accumulation 20–25× faster than the managed provider.
/// </summary>
/// <remarks>
/// <para>
/// Threads: every call of a job runs on one BLAS thread. Parallelism comes from blocks instead — a node runs one
/// block per compute thread — which keeps BLAS threads × compute threads at the core count, and keeps results
/// independent of threading: OpenBLAS's multi-threaded dgemm partitions the output differently with the thread
/// count and then rounds differently (a test shows it), so a model would depend on the machine's cores.
/// Only the whole-matrix measurement of <c>ntk bench gram</c> raises <see cref="Threads"/>.
/// </para>
/// </remarks>
public sealed unsafe class OpenBlasBackend : IDenseBackend
{
    private static readonly object ThreadsLock = new();
    private int _threads = 1;

    private OpenBlasBackend(string configuration)
    {
        Configuration = configuration;
        OpenBlasNative.openblas_set_num_threads(1);
    }

    public string Name => "openblas";

    /// <summary>OpenBLAS's own description of its build (version, threading, target core).</summary>
    public string Configuration { get; }

    /// <summary>BLAS threads per call. OpenBLAS keeps this process-wide, so it is a property of the one backend.</summary>
    public int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), "at least one BLAS thread");
            lock (ThreadsLock)
            {
                _threads = value;
                OpenBlasNative.openblas_set_num_threads(value);
            }
        }
    }

    /// <summary>The backend when <c>libopenblas.so.0</c> loads, else null with the reason.</summary>
    public static OpenBlasBackend? TryCreate(out string reason)
    {
        try
        {
            if (!OpenBlasNative.TryProbe(out reason)) return null;
            return new OpenBlasBackend(reason);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            reason = e.Message;
            return null;
        }
    }

    public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b)
    {
        Require(a.ColumnCount == b.RowCount, a, b, "A·B");
        return Gemm(a, false, b, false, a.RowCount, b.ColumnCount, a.ColumnCount);
    }

    public Matrix<double> MultiplyByTranspose(Matrix<double> a, Matrix<double> b)
    {
        Require(a.ColumnCount == b.ColumnCount, a, b, "A·Bᵀ");
        return Gemm(a, false, b, true, a.RowCount, b.RowCount, a.ColumnCount);
    }

    public Matrix<double> TransposeAndMultiply(Matrix<double> a, Matrix<double> b)
    {
        Require(a.RowCount == b.RowCount, a, b, "Aᵀ·B");
        return Gemm(a, true, b, false, a.ColumnCount, b.ColumnCount, a.RowCount);
    }

    public Matrix<double> Gram(Matrix<double> a) => Syrk(a, transpose: true);

    public Matrix<double> OuterGram(Matrix<double> a) => Syrk(a, transpose: false);

    public Matrix<double> SolveSymmetricPositiveDefinite(Matrix<double> s, Matrix<double> b)
    {
        if (s.RowCount != s.ColumnCount || b.RowCount != s.RowCount)
            throw new ArgumentException($"cannot solve a {s.RowCount}×{s.ColumnCount} system for {b.RowCount}×{b.ColumnCount} right-hand sides");
        int n = s.RowCount, nrhs = b.ColumnCount;
        if (n == 0) return DenseMatrix.Create(0, nrhs, 0);
        using var factor = AlignedBuffer.CopyOf(ColumnMajor(s));
        using var x = AlignedBuffer.CopyOf(ColumnMajor(b));
        FactorLower(factor.Pointer, n);
        if (nrhs > 0)
        {
            int info, ldb = n;
            byte lower = (byte)'L';
            OpenBlasNative.dpotrs(&lower, &n, &nrhs, factor.Pointer, &n, x.Pointer, &ldb, &info);
            if (info != 0) throw new NumericalFailureException($"dpotrs rejected argument {-info}");
        }
        return new DenseMatrix(n, nrhs, x.ToArray());
    }

    /// <summary>
    /// The tiled factorization on the caller's arrays (<see cref="TiledCholesky"/>: no n×n copy, bits independent of
    /// the array's alignment and of the number of cores, which it uses), then two triangular solves.
    /// </summary>
    public void SolveSymmetricPositiveDefiniteInPlace(double[] s, int n, double[] b, int columns) =>
        SolveSymmetricPositiveDefiniteInPlace(s, n, b, columns, Environment.ProcessorCount);

    /// <summary>The same on up to <paramref name="parallelism"/> threads: the bits do not depend on it (tests compare 1, 2 and 3).</summary>
    public void SolveSymmetricPositiveDefiniteInPlace(double[] s, int n, double[] b, int columns, int parallelism)
    {
        IDenseBackend.CheckInPlaceShapes(s, n, b, columns);
        TiledCholesky.Factor(s, n, parallelism);
        TiledCholesky.Solve(s, n, b, columns);
    }

    public Matrix<double> CholeskyLower(Matrix<double> s)
    {
        if (s.RowCount != s.ColumnCount) throw new ArgumentException($"matrix is {s.RowCount}×{s.ColumnCount}, not square");
        int n = s.RowCount;
        double[] factor;
        using (var aligned = AlignedBuffer.CopyOf(ColumnMajor(s)))
        {
            if (n > 0) FactorLower(aligned.Pointer, n);
            factor = aligned.ToArray();
        }
        // dpotrf leaves the strict upper triangle untouched: clear it so the result is the factor L alone.
        for (int j = 1; j < n; j++)
            Array.Clear(factor, j * n, j);
        return new DenseMatrix(n, n, factor);
    }

    /// <summary>dpotrf on the lower triangle of the n×n column-major matrix at <paramref name="a"/>, in place.</summary>
    private static void FactorLower(double* a, int n)
    {
        int info;
        byte lower = (byte)'L';
        OpenBlasNative.dpotrf(&lower, &n, a, &n, &info);
        if (info > 0)
            throw new NotPositiveDefiniteException($"the {n}×{n} system is not positive definite at working precision (pivot {info})");
        if (info < 0) throw new NumericalFailureException($"dpotrf rejected argument {-info}");
    }

    public double[] SymmetricEigenvalues(Matrix<double> a)
    {
        if (a.RowCount != a.ColumnCount) throw new ArgumentException($"matrix is {a.RowCount}×{a.ColumnCount}, not square");
        int n = a.RowCount;
        var w = new double[n];
        if (n == 0) return w;
        double[] values = ColumnMajor(a);
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new ArgumentException("matrix has non-finite entries");
        byte jobz = (byte)'N', uplo = (byte)'L';
        int info, lwork = -1, liwork = -1, iworkQuery;
        double workQuery;
        using var work = AlignedBuffer.CopyOf(values);
        using var eigenvalues = AlignedBuffer.Zeroed(n);
        double* pa = work.Pointer, pw = eigenvalues.Pointer;
        OpenBlasNative.dsyevd(&jobz, &uplo, &n, pa, &n, pw, &workQuery, &lwork, &iworkQuery, &liwork, &info);
        lwork = Math.Max(1, (int)workQuery);
        liwork = Math.Max(1, iworkQuery);
        using (var scratch = AlignedBuffer.Zeroed(lwork))
        {
            var iscratch = new int[liwork];
            fixed (int* pi = iscratch)
                OpenBlasNative.dsyevd(&jobz, &uplo, &n, pa, &n, pw, scratch.Pointer, &lwork, pi, &liwork, &info);
        }
        new ReadOnlySpan<double>(pw, n).CopyTo(w);
        if (info != 0) throw new NumericalFailureException($"dsyevd failed on a {n}×{n} matrix (info {info})");
        return w; // ascending, as LAPACK returns them
    }

    private static Matrix<double> Gemm(Matrix<double> a, bool ta, Matrix<double> b, bool tb, int m, int n, int k)
    {
        // Level-3 calls read the managed arrays in place: OpenBLAS packs operands into its own aligned buffers and
        // sums each element in the same order wherever the arrays sit (checked by a test), so no copies.
        var c = new double[(long)m * n];
        if (m > 0 && n > 0 && k > 0)
        {
            fixed (double* pa = ColumnMajor(a))
            fixed (double* pb = ColumnMajor(b))
            fixed (double* pc = c)
                OpenBlasNative.cblas_dgemm(OpenBlasNative.ColMajor, ta ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
                    tb ? OpenBlasNative.Trans : OpenBlasNative.NoTrans, m, n, k, 1.0,
                    pa, Math.Max(1, a.RowCount), pb, Math.Max(1, b.RowCount), 0.0, pc, Math.Max(1, m));
        }
        return new DenseMatrix(m, n, c);
    }

    /// <summary>dgemm on the arrays in place (see <see cref="IDenseBackend.MultiplyInto"/>); one BLAS thread, as every call.</summary>
    public void MultiplyInto(bool transposeA, bool transposeB, double alpha, double[] a, int rowsA, int columnsA,
        double[] b, int rowsB, int columnsB, double beta, double[] c)
    {
        int m = transposeA ? columnsA : rowsA, k = transposeA ? rowsA : columnsA, n = transposeB ? rowsB : columnsB;
        if ((transposeB ? columnsB : rowsB) != k)
            throw new ArgumentException($"op(A) is {m}×{k} and op(B) is {(transposeB ? columnsB : rowsB)}×{n}: they do not multiply");
        if ((long)rowsA * columnsA > a.Length || (long)rowsB * columnsB > b.Length || (long)m * n > c.Length)
            throw new ArgumentException("an array is shorter than its matrix");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            // BLAS scales C by β when there is nothing to add; β = 0 must not read C.
            if (beta == 0) Array.Clear(c, 0, m * n);
            else for (int i = 0; i < m * n; i++) c[i] *= beta;
            return;
        }
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
            OpenBlasNative.cblas_dgemm(OpenBlasNative.ColMajor, transposeA ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
                transposeB ? OpenBlasNative.Trans : OpenBlasNative.NoTrans, m, n, k, alpha,
                pa, Math.Max(1, rowsA), pb, Math.Max(1, rowsB), beta, pc, Math.Max(1, m));
    }

    /// <summary>AᵀA (transpose) or AAᵀ by dsyrk on the upper triangle, mirrored so the result is exactly symmetric.</summary>
    private static Matrix<double> Syrk(Matrix<double> a, bool transpose)
    {
        int n = transpose ? a.ColumnCount : a.RowCount;
        int k = transpose ? a.RowCount : a.ColumnCount;
        var c = new double[(long)n * n];
        if (n > 0 && k > 0)
        {
            fixed (double* pa = ColumnMajor(a))
            fixed (double* pc = c)
                OpenBlasNative.cblas_dsyrk(OpenBlasNative.ColMajor, OpenBlasNative.Upper,
                    transpose ? OpenBlasNative.Trans : OpenBlasNative.NoTrans, n, k, 1.0, pa, Math.Max(1, a.RowCount), 0.0, pc, n);
            MirrorUpper(c, n);
        }
        return new DenseMatrix(n, n, c);
    }

    /// <summary>
    /// Copies the upper triangle onto the lower in 64×64 tiles: element by element, the strided reads of a 2048-wide
    /// Gram cost as much as the dsyrk of a 1024-row block.
    /// </summary>
    private static void MirrorUpper(double[] c, int n)
    {
        const int tile = 64;
        for (int jb = 0; jb < n; jb += tile)
        {
            int jEnd = Math.Min(n, jb + tile);
            for (int ib = jb; ib < n; ib += tile)
            {
                int iEnd = Math.Min(n, ib + tile);
                for (int j = jb; j < jEnd; j++)
                {
                    long column = (long)j * n;
                    for (int i = Math.Max(ib, j + 1); i < iEnd; i++)
                        c[column + i] = c[(long)i * n + j];
                }
            }
        }
    }

    /// <summary>The column-major storage of a dense matrix without a copy; other storages are copied once.</summary>
    private static double[] ColumnMajor(Matrix<double> a) =>
        a is DenseMatrix dense ? dense.Values : a.ToColumnMajorArray();

    private static void Require(bool ok, Matrix<double> a, Matrix<double> b, string what)
    {
        if (!ok) throw new ArgumentException($"{what}: shapes {a.RowCount}×{a.ColumnCount} and {b.RowCount}×{b.ColumnCount} do not match");
    }
}

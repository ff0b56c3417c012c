using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Benchmarks;
using NtkCluster.Numerics.LinearAlgebra;
using Xunit;

namespace NtkCluster.Numerics.Tests.LinearAlgebra;

/// <summary>
/// The native backend against the managed one, operation by operation. CI installs libopenblas0, so a machine
/// without it fails here on purpose rather than silently testing only the fallback.
/// </summary>
public sealed class OpenBlasBackendTests
{
    private static readonly ManagedDenseBackend Managed = new();

    private static OpenBlasBackend Native =>
        DenseBackend.OpenBlas ?? throw new InvalidOperationException("libopenblas.so.0 is not installed (apt-get install libopenblas0)");

    private static Matrix<double> Random(int rows, int cols, ulong seed) => GramBenchmark.RandomBlock(rows, cols, seed);

    private static void Close(Matrix<double> expected, Matrix<double> actual, double tolerance = 1e-13)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double scale = Math.Max(expected.FrobeniusNorm(), 1e-300);
        Assert.True((expected - actual).FrobeniusNorm() / scale <= tolerance, $"relative difference {(expected - actual).FrobeniusNorm() / scale:G3}");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 5, 11)]
    [InlineData(300, 129, 64)]
    public void Products_agree_with_managed(int m, int k, int n)
    {
        var a = Random(m, k, 1);
        var b = Random(k, n, 2);
        var bt = Random(n, k, 3);
        var c = Random(m, n, 4);
        Close(Managed.Multiply(a, b), Native.Multiply(a, b));
        Close(Managed.MultiplyByTranspose(a, bt), Native.MultiplyByTranspose(a, bt));
        Close(Managed.TransposeAndMultiply(a, c), Native.TransposeAndMultiply(a, c));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Products_in_place_agree_with_managed_and_with_matrix_products(bool transposeA, bool transposeB)
    {
        const int m = 67, k = 130, n = 45;
        var a = transposeA ? Random(k, m, 21) : Random(m, k, 21);
        var b = transposeB ? Random(n, k, 22) : Random(k, n, 22);
        var opA = transposeA ? a.Transpose() : a;
        var opB = transposeB ? b.Transpose() : b;
        var c0 = Random(m, n, 23);
        foreach (IDenseBackend backend in new IDenseBackend[] { Native, Managed })
        {
            // β = 0: the old contents are never read, not even a NaN.
            var c = Enumerable.Repeat(double.NaN, m * n).ToArray();
            backend.MultiplyInto(transposeA, transposeB, 1.0, a.ToColumnMajorArray(), a.RowCount, a.ColumnCount,
                b.ToColumnMajorArray(), b.RowCount, b.ColumnCount, 0.0, c);
            Close(opA * opB, Matrix<double>.Build.DenseOfColumnMajor(m, n, c));
            // α and β: C ← 0.5·op(A)op(B) + 2·C.
            var update = c0.ToColumnMajorArray();
            backend.MultiplyInto(transposeA, transposeB, 0.5, a.ToColumnMajorArray(), a.RowCount, a.ColumnCount,
                b.ToColumnMajorArray(), b.RowCount, b.ColumnCount, 2.0, update);
            Close(opA * opB * 0.5 + c0 * 2.0, Matrix<double>.Build.DenseOfColumnMajor(m, n, update));
        }
        Assert.Throws<ArgumentException>(() => Native.MultiplyInto(transposeA, transposeB, 1.0, a.ToColumnMajorArray(), a.RowCount, a.ColumnCount,
            new double[3], 1, 3, 0.0, new double[m * n]));
    }

    [Fact]
    public void Grams_are_exactly_symmetric_and_agree()
    {
        var a = Random(1500, 70, 5);
        var g = Native.Gram(a);
        var o = Native.OuterGram(a.SubMatrix(0, 90, 0, 70));
        Close(Managed.Gram(a), g);
        Close(Managed.OuterGram(a.SubMatrix(0, 90, 0, 70)), o);
        Assert.Equal(g, g.Transpose());
        Assert.Equal(o, o.Transpose());
    }

    [Fact]
    public void Empty_shapes_give_empty_or_zero_results()
    {
        var empty = Matrix<double>.Build.Dense(0, 4);
        Assert.Equal(0, Native.Multiply(Matrix<double>.Build.Dense(0, 3), Random(3, 2, 1)).RowCount);
        Assert.Equal(Matrix<double>.Build.Dense(4, 4), Native.Gram(empty)); // sum over no rows is zero
        Assert.Empty(Native.SymmetricEigenvalues(Matrix<double>.Build.Dense(0, 0)));
    }

    [Fact]
    public void Cholesky_solve_and_factor_agree_and_refuse_indefinite()
    {
        var a = Random(200, 60, 6);
        var s = Managed.Gram(a) + Matrix<double>.Build.DenseIdentity(60) * 0.5;
        var rhs = Random(60, 3, 7);
        Close(Managed.SolveSymmetricPositiveDefinite(s, rhs), Native.SolveSymmetricPositiveDefinite(s, rhs), 1e-11);
        var l = Native.CholeskyLower(s);
        Close(s, l * l.Transpose(), 1e-14);
        Assert.Equal(0.0, l[0, 1]);
        var indefinite = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 2, 1 } });
        Assert.Throws<NotPositiveDefiniteException>(() => Native.SolveSymmetricPositiveDefinite(indefinite, Random(2, 1, 1)));
        Assert.Throws<NotPositiveDefiniteException>(() => Native.CholeskyLower(indefinite));
    }

    [Fact]
    public void Eigenvalues_match_a_known_spectrum()
    {
        // Q·diag(λ)·Qᵀ with Q orthogonal from a QR factorization: the eigenvalues are exactly λ up to rounding.
        var q = Random(80, 80, 8).QR().Q;
        double[] lambda = Enumerable.Range(0, 80).Select(i => Math.Pow(10, -3 + 6.0 * i / 79)).ToArray();
        var s = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda) * q.Transpose();
        s = (s + s.Transpose()) * 0.5;
        double[] native = Native.SymmetricEigenvalues(s), managed = Managed.SymmetricEigenvalues(s);
        for (int i = 0; i < 80; i++)
        {
            Assert.InRange(native[i], lambda[i] - 1e-11 * lambda[^1], lambda[i] + 1e-11 * lambda[^1]);
            Assert.InRange(managed[i] - native[i], -1e-11 * lambda[^1], 1e-11 * lambda[^1]);
        }
    }

    [Fact]
    public void Jobs_run_one_BLAS_thread_so_results_do_not_depend_on_concurrency()
    {
        // Multi-threaded dgemm rounds differently with the thread count, so the backend keeps one BLAS thread per
        // call; blocks computed concurrently must then be bitwise what they are alone.
        Assert.Equal(1, Native.Threads);
        var a = Random(3000, 300, 9);
        var b = Random(300, 257, 10);
        var alone = (Native.Gram(a), Native.Multiply(a, b));
        var results = new (Matrix<double>, Matrix<double>)[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = (Native.Gram(a), Native.Multiply(a, b)));
        foreach (var (g, p) in results)
        {
            Assert.True(alone.Item1.Equals(g), "a concurrent Gram differs from the one computed alone");
            Assert.True(alone.Item2.Equals(p), "a concurrent product differs from the one computed alone");
        }
    }

    [Fact]
    public void Results_do_not_depend_on_where_the_arrays_sit()
    {
        // OpenBLAS's level-2 and LAPACK paths round differently for differently aligned arrays; .NET places arrays
        // at 8- or 16-byte boundaries at random. Fresh copies behind junk allocations of varied sizes must all agree.
        var a = Random(300, 120, 12);
        var s = Managed.Gram(a) + Matrix<double>.Build.DenseIdentity(120);
        var rhs = Random(120, 2, 13);
        double[] eig = Native.SymmetricEigenvalues(s);
        var chol = Native.CholeskyLower(s);
        var solved = Native.SolveSymmetricPositiveDefinite(s, rhs);
        var gram = Native.Gram(a);
        var product = Native.TransposeAndMultiply(a, a.SubMatrix(0, 300, 0, 7));
        var junk = new List<double[]>();
        for (int i = 0; i < 16; i++)
        {
            junk.Add(new double[1 + i]);
            var copy = Matrix<double>.Build.DenseOfColumnMajor(120, 120, s.ToColumnMajorArray());
            Assert.Equal(eig, Native.SymmetricEigenvalues(copy));
            Assert.True(chol.Equals(Native.CholeskyLower(copy)), $"Cholesky differs on copy {i}");
            var aCopy = Matrix<double>.Build.DenseOfColumnMajor(300, 120, a.ToColumnMajorArray());
            Assert.True(gram.Equals(Native.Gram(aCopy)), $"Gram differs on copy {i}");
            Assert.True(product.Equals(Native.TransposeAndMultiply(aCopy, aCopy.SubMatrix(0, 300, 0, 7))), $"product differs on copy {i}");
            Assert.True(solved.Equals(Native.SolveSymmetricPositiveDefinite(copy, Matrix<double>.Build.DenseOfColumnMajor(120, 2, rhs.ToColumnMajorArray()))), $"solve differs on copy {i}");
        }
        GC.KeepAlive(junk);
    }

    [Fact]
    public void Blocked_accumulation_matches_the_whole_matrix_Gram()
    {
        var a = Random(2500, 33, 11);
        var (blocked, _) = GramBenchmark.Blocked(a, 2);
        Close(Managed.Gram(a), blocked, 1e-13);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Benchmarks;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Solvers;
using Xunit;

namespace NtkCluster.Numerics.Tests.LinearAlgebra;

/// <summary>
/// The in-place SPD solve of exact fits (issue 18): the native tiled Cholesky and the managed fallback against the
/// copying solves and against the definition S·X = B; its bits independent of threads and of array alignment.
/// </summary>
public sealed class InPlaceSolveTests
{
    private static readonly ManagedDenseBackend Managed = new();

    private static OpenBlasBackend Native =>
        DenseBackend.OpenBlas ?? throw new InvalidOperationException("libopenblas.so.0 is not installed (apt-get install libopenblas0)");

    /// <summary>A well-conditioned SPD n×n matrix: AᵀA/rows + I from a random rows×n block.</summary>
    private static Matrix<double> Spd(int n, ulong seed)
    {
        var a = GramBenchmark.RandomBlock(n + 40, n, seed);
        return a.TransposeThisAndMultiply(a) / (n + 40) + Matrix<double>.Build.DenseIdentity(n);
    }

    private static double[] Values(Matrix<double> m) => m.ToColumnMajorArray();

    private static double RelativeResidual(Matrix<double> s, Matrix<double> x, Matrix<double> b) =>
        (s * x - b).FrobeniusNorm() / b.FrobeniusNorm();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(255, 2)]
    [InlineData(256, 1)]
    [InlineData(700, 3)]   // three tiles, the last one partial
    public void Native_tiled_solve_solves_the_system_and_matches_the_managed_solve(int n, int columns)
    {
        var s = Spd(n, 1);
        var b = GramBenchmark.RandomBlock(n, columns, 2);
        var factor = Values(s);
        var x = Values(b);
        Native.SolveSymmetricPositiveDefiniteInPlace(factor, n, x, columns);
        var solution = Matrix<double>.Build.Dense(n, columns, x);
        Assert.True(RelativeResidual(s, solution, b) < 1e-13, $"residual {RelativeResidual(s, solution, b):G3}");
        var reference = Managed.SolveSymmetricPositiveDefinite(s, b);
        Assert.True((reference - solution).FrobeniusNorm() / reference.FrobeniusNorm() < 1e-12);
        // The lower triangle holds L with LLᵀ = S.
        var l = Matrix<double>.Build.Dense(n, n, factor).LowerTriangle();
        Assert.True((l.TransposeAndMultiply(l) - s).FrobeniusNorm() / s.FrobeniusNorm() < 1e-14);
    }

    [Fact]
    public void Native_tiled_solve_reads_only_the_lower_triangle()
    {
        const int n = 600;
        var s = Spd(n, 3);
        var b = GramBenchmark.RandomBlock(n, 1, 4);
        var clean = Values(s);
        var dirty = Values(s);
        for (int j = 1; j < n; j++)
            for (int i = 0; i < j; i++) dirty[j * n + i] = double.NaN;
        var x1 = Values(b);
        var x2 = Values(b);
        Native.SolveSymmetricPositiveDefiniteInPlace(clean, n, x1, 1);
        Native.SolveSymmetricPositiveDefiniteInPlace(dirty, n, x2, 1);
        Assert.Equal(x1, x2);
    }

    [Fact]
    public void Native_tiled_solve_is_bitwise_the_same_for_any_number_of_threads_and_any_array_placement()
    {
        const int n = 900;
        var s = Spd(n, 5);
        var b = GramBenchmark.RandomBlock(n, 2, 6);
        var factor = Values(s);
        var x = Values(b);
        Native.SolveSymmetricPositiveDefiniteInPlace(factor, n, x, 2, parallelism: 1);
        var junk = new List<double[]>();
        for (int i = 0; i < 6; i++)
        {
            // Fresh arrays behind junk of varied sizes land at different alignments; LAPACK on them in place would round differently.
            junk.Add(new double[1 + i]);
            var f = Values(s);
            var y = Values(b);
            Native.SolveSymmetricPositiveDefiniteInPlace(f, n, y, 2, parallelism: 1 + i % 3);
            Assert.True(x.AsSpan().SequenceEqual(y), $"solution differs on copy {i} ({1 + i % 3} threads)");
            for (int j = 0; j < n; j++)
                Assert.True(factor.AsSpan(j * n + j, n - j).SequenceEqual(f.AsSpan(j * n + j, n - j)), $"factor column {j} differs on copy {i}");
        }
        GC.KeepAlive(junk);
    }

    [Fact]
    public void Managed_in_place_solve_is_bitwise_the_copying_managed_solve()
    {
        const int n = 300;
        var s = Spd(n, 7);
        var b = GramBenchmark.RandomBlock(n, 3, 8);
        var factor = Values(s);
        var x = Values(b);
        ((IDenseBackend)Managed).SolveSymmetricPositiveDefiniteInPlace(factor, n, x, 3);
        Assert.Equal(Values(Managed.SolveSymmetricPositiveDefinite(s, b)), x);
        Assert.Equal(Values(Managed.CholeskyLower(s)), Values(Matrix<double>.Build.Dense(n, n, factor).LowerTriangle()));
    }

    [Fact]
    public void Both_in_place_solves_refuse_an_indefinite_system()
    {
        var indefinite = new double[] { 1, 2, 2, 1 };
        Assert.Throws<NotPositiveDefiniteException>(() => Native.SolveSymmetricPositiveDefiniteInPlace((double[])indefinite.Clone(), 2, new double[2], 1));
        Assert.Throws<NotPositiveDefiniteException>(() => ((IDenseBackend)Managed).SolveSymmetricPositiveDefiniteInPlace((double[])indefinite.Clone(), 2, new double[2], 1));
        // Past the first tile: the pivot is counted in the whole matrix.
        const int n = 300;
        var s = Values(Spd(n, 9));
        s[280 * n + 280] = -1;
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Native.SolveSymmetricPositiveDefiniteInPlace(s, n, new double[n], 1));
        Assert.Contains("pivot 281", e.Message);
        Assert.Throws<ArgumentException>(() => Native.SolveSymmetricPositiveDefiniteInPlace(new double[8], 3, new double[3], 1));
    }

    [Fact]
    public void Ridge_solve_in_place_is_bitwise_the_copying_solve_and_consumes_its_matrix()
    {
        // On the process's backend (never switched here: other tests run in parallel on it); the managed in-place solve
        // is compared with the copying one above.
        const int n = 520;
        var k = Spd(n, 11);
        var y = GramBenchmark.RandomBlock(n, 2, 12);
        var copied = RidgeSolver.Solve(k, 0.3, y);
        var consumed = k.Clone();
        var inPlace = RidgeSolver.SolveInPlace(consumed, 0.3, y);
        Assert.Equal(Values(copied), Values(inPlace));
        Assert.False(consumed.Equals(k)); // its storage now holds the factor
        var shifted = k + 0.3 * Matrix<double>.Build.DenseIdentity(n);
        Assert.True(RelativeResidual(shifted, inPlace, y) < 1e-13);
        Assert.Throws<NumericalFailureException>(() => RidgeSolver.SolveInPlace(Matrix<double>.Build.Dense(2, 2, new double[] { 1, 3, 3, 1 }), 0.1,
            Matrix<double>.Build.Dense(2, 1, 1.0)));
    }

    [Fact]
    public async Task Kernel_matrix_from_its_lower_triangle_is_the_kernel_and_exactly_symmetric()
    {
        // 2100 rows: blocks of 998 rows (16 MiB of kernel values each), three of them.
        const int n = 2100;
        var x = GramBenchmark.RandomBlock(n, 3, 13);
        var kernel = new RbfKernel(0.5);
        Assert.Equal(998, NtkCluster.Numerics.Features.BlockPlan.KernelRowBlock(n));
        var k = await new InProcessBlockRounds(parallelism: 2).KernelMatrixAsync("k", kernel, x);
        Assert.True(k.Equals(k.Transpose()), "K is not exactly symmetric");
        var direct = kernel.Evaluate(x, x);
        Assert.True((k - direct).FrobeniusNorm() / direct.FrobeniusNorm() < 1e-15);
        for (int i = 0; i < n; i += 97)
            for (int j = 0; j < n; j += 89)
                Assert.True(Math.Abs(kernel.Evaluate(x.Row(i).ToArray(), x.Row(j).ToArray()) - k[i, j]) < 1e-14, $"K[{i}, {j}]");
    }
}

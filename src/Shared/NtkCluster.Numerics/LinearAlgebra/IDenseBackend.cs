using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// The one seam through which all dense linear algebra of NtkCluster goes: the Gram accumulation, the GEMMs that
/// build features and kernel blocks, and the SPD solves. A native BLAS/LAPACK backend replaces the managed one by
/// implementing this interface; nothing else in the code base needs to change.
/// </summary>
/// <remarks>
/// Implementations must be deterministic: the same inputs give bitwise the same outputs whatever the number of
/// threads, so that models do not depend on how many workers computed them.
/// </remarks>
public interface IDenseBackend
{
    /// <summary>Short name reported in <c>--json</c> as <c>backend</c>.</summary>
    string Name { get; }

    /// <summary>A·B.</summary>
    Matrix<double> Multiply(Matrix<double> a, Matrix<double> b);

    /// <summary>A·Bᵀ.</summary>
    Matrix<double> MultiplyByTranspose(Matrix<double> a, Matrix<double> b);

    /// <summary>Aᵀ·B.</summary>
    Matrix<double> TransposeAndMultiply(Matrix<double> a, Matrix<double> b);

    /// <summary>
    /// C ← α·op(A)·op(B) + β·C in place, on contiguous column-major arrays: A is stored <paramref name="rowsA"/> ×
    /// <paramref name="columnsA"/> before op, likewise B, and C holds op(A)'s rows × op(B)'s columns exactly. For loops
    /// that run the same products thousands of times (a neuron block's gradient steps): no matrix objects, no allocation.
    /// </summary>
    /// <remarks>The default is MathNet's managed provider; with β = 0 the old contents of C are never read (a NaN in a
    /// reused buffer cannot leak into the product).</remarks>
    void MultiplyInto(bool transposeA, bool transposeB, double alpha, double[] a, int rowsA, int columnsA,
        double[] b, int rowsB, int columnsB, double beta, double[] c)
    {
        int m = transposeA ? columnsA : rowsA, n = transposeB ? rowsB : columnsB;
        if (beta == 0) Array.Clear(c, 0, m * n);
        MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(
            transposeA ? MathNet.Numerics.Providers.LinearAlgebra.Transpose.Transpose : MathNet.Numerics.Providers.LinearAlgebra.Transpose.DontTranspose,
            transposeB ? MathNet.Numerics.Providers.LinearAlgebra.Transpose.Transpose : MathNet.Numerics.Providers.LinearAlgebra.Transpose.DontTranspose,
            alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta == 0 ? 0.0 : beta, c);
    }

    /// <summary>AᵀA, the symmetric rank-k update at the heart of every primal random-feature fit.</summary>
    Matrix<double> Gram(Matrix<double> a);

    /// <summary>A·Aᵀ, used for dual fits and kernel blocks.</summary>
    Matrix<double> OuterGram(Matrix<double> a);

    /// <summary>Solves S·X = B for symmetric positive definite S by Cholesky.</summary>
    /// <exception cref="NotPositiveDefiniteException">S is not positive definite at working precision.</exception>
    Matrix<double> SolveSymmetricPositiveDefinite(Matrix<double> s, Matrix<double> b);

    /// <summary>
    /// Solves S·X = B in place, for the n×n systems that are the largest objects of an exact fit: on return
    /// <paramref name="s"/> (n×n column-major, symmetric positive definite; only its lower triangle is read) holds the
    /// lower Cholesky factor L in its lower triangle, and <paramref name="b"/> (n × <paramref name="columns"/>
    /// column-major) holds X. No n×n copy is made, so a solve needs the one matrix the caller already holds.
    /// </summary>
    /// <remarks>The default is MathNet's managed provider, factoring in place exactly as <c>Matrix.Cholesky()</c> does on
    /// its copy (so the same bits as <see cref="SolveSymmetricPositiveDefinite"/> on the managed backend).</remarks>
    /// <exception cref="NotPositiveDefiniteException">S is not positive definite at working precision.</exception>
    void SolveSymmetricPositiveDefiniteInPlace(double[] s, int n, double[] b, int columns)
    {
        CheckInPlaceShapes(s, n, b, columns);
        if (n == 0) return;
        // MathNet's managed factorization reads the lower triangle only, as dpotrf does, and zeroes the strict upper one.
        var provider = MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider;
        try
        {
            provider.CholeskyFactor(s, n);
        }
        catch (ArgumentException)
        {
            throw new NotPositiveDefiniteException($"the {n}×{n} system is not positive definite at working precision");
        }
        if (columns > 0) provider.CholeskySolveFactored(s, n, b, columns);
    }

    /// <summary>The argument checks of <see cref="SolveSymmetricPositiveDefiniteInPlace"/>.</summary>
    internal static void CheckInPlaceShapes(double[] s, int n, double[] b, int columns)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(b);
        if (n < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(n), "negative dimension");
        if (s.LongLength != (long)n * n) throw new ArgumentException($"the system holds {s.LongLength} values, not {n}×{n}", nameof(s));
        if (b.LongLength != (long)n * columns) throw new ArgumentException($"the right-hand side holds {b.LongLength} values, not {n}×{columns}", nameof(b));
    }

    /// <summary>The lower Cholesky factor L of S = LLᵀ (strict upper triangle zero).</summary>
    /// <exception cref="NotPositiveDefiniteException">S is not positive definite at working precision.</exception>
    Matrix<double> CholeskyLower(Matrix<double> s);

    /// <summary>All eigenvalues of the symmetric matrix A, ascending, without eigenvectors. A is not modified.</summary>
    double[] SymmetricEigenvalues(Matrix<double> a);
}

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

    /// <summary>AᵀA, the symmetric rank-k update at the heart of every primal random-feature fit.</summary>
    Matrix<double> Gram(Matrix<double> a);

    /// <summary>A·Aᵀ, used for dual fits and kernel blocks.</summary>
    Matrix<double> OuterGram(Matrix<double> a);

    /// <summary>Solves S·X = B for symmetric positive definite S by Cholesky.</summary>
    /// <exception cref="NotPositiveDefiniteException">S is not positive definite at working precision.</exception>
    Matrix<double> SolveSymmetricPositiveDefinite(Matrix<double> s, Matrix<double> b);

    /// <summary>The lower Cholesky factor L of S = LLᵀ (strict upper triangle zero).</summary>
    /// <exception cref="NotPositiveDefiniteException">S is not positive definite at working precision.</exception>
    Matrix<double> CholeskyLower(Matrix<double> s);

    /// <summary>All eigenvalues of the symmetric matrix A, ascending, without eigenvectors. A is not modified.</summary>
    double[] SymmetricEigenvalues(Matrix<double> a);
}

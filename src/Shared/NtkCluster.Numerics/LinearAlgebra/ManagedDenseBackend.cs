using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// MathNet.Numerics' fully managed provider: portable and always available, about 3 GFLOP/s on two cores.
/// Its blocked multiply computes each output element in a fixed order, so results do not depend on threads.
/// </summary>
public sealed class ManagedDenseBackend : IDenseBackend
{
    public string Name => "managed";

    public Matrix<double> Multiply(Matrix<double> a, Matrix<double> b) => a.Multiply(b);

    public Matrix<double> MultiplyByTranspose(Matrix<double> a, Matrix<double> b) => a.TransposeAndMultiply(b);

    public Matrix<double> TransposeAndMultiply(Matrix<double> a, Matrix<double> b) => a.TransposeThisAndMultiply(b);

    public Matrix<double> Gram(Matrix<double> a)
    {
        var g = a.TransposeThisAndMultiply(a);
        Symmetrize(g);
        return g;
    }

    public Matrix<double> OuterGram(Matrix<double> a)
    {
        var g = a.TransposeAndMultiply(a);
        Symmetrize(g);
        return g;
    }

    public Matrix<double> SolveSymmetricPositiveDefinite(Matrix<double> s, Matrix<double> b)
    {
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> chol;
        try
        {
            chol = s.Cholesky();
        }
        catch (ArgumentException)
        {
            throw new NotPositiveDefiniteException(
                $"the {s.RowCount}×{s.RowCount} system is not positive definite at working precision");
        }
        return chol.Solve(b);
    }

    public Matrix<double> CholeskyLower(Matrix<double> s)
    {
        try
        {
            return s.Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            throw new NotPositiveDefiniteException(
                $"the {s.RowCount}×{s.RowCount} system is not positive definite at working precision");
        }
    }

    /// <summary>Our eigenvalues-only Householder + QL solver: MathNet's Evd always builds eigenvectors (10× slower).</summary>
    public double[] SymmetricEigenvalues(Matrix<double> a) => Spectral.SymmetricEigenvalues.Compute(a);

    /// <summary>Copies the upper triangle onto the lower, so the Gram matrix is exactly symmetric.</summary>
    private static void Symmetrize(Matrix<double> g)
    {
        for (int j = 0; j < g.ColumnCount; j++)
            for (int i = j + 1; i < g.RowCount; i++)
                g[i, j] = g[j, i];
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Solvers;

/// <summary>
/// Solves the ridge systems of eq. 1 and its random-feature form: (S + λI)·X = B for a symmetric positive
/// semi-definite S (K, ΨᵀΨ or ΨΨᵀ) by Cholesky.
/// </summary>
public static class RidgeSolver
{
    public static Matrix<double> Solve(Matrix<double> s, double lambda, Matrix<double> rhs)
    {
        if (!(lambda > 0)) throw new InvalidInputException("lambda must be > 0");
        if (s.RowCount != s.ColumnCount || s.RowCount != rhs.RowCount)
            throw new ArgumentException($"system {s.RowCount}×{s.ColumnCount} does not match right-hand side {rhs.RowCount}×{rhs.ColumnCount}");
        var shifted = s.Clone();
        for (int i = 0; i < shifted.RowCount; i++) shifted[i, i] += lambda;
        try
        {
            return DenseBackend.Current.SolveSymmetricPositiveDefinite(shifted, rhs);
        }
        catch (NotPositiveDefiniteException e)
        {
            throw new NumericalFailureException($"{e.Message} (λ={lambda:G4} is too small for this data's scale: try a larger --lambda)");
        }
    }
}

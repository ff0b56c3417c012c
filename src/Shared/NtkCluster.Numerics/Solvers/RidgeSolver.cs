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
        if (!double.IsFinite(lambda)) throw new InvalidInputException("lambda must be finite");
        if (s.RowCount != s.ColumnCount || s.RowCount != rhs.RowCount)
            throw new ArgumentException($"system {s.RowCount}×{s.ColumnCount} does not match right-hand side {rhs.RowCount}×{rhs.ColumnCount}");
        // Checked here, where every fit's system meets: a NaN in the Gram matrix passes Cholesky unnoticed and came out
        // as "train MSE NaN" with exit code 0 (issue 15, item 6). One pass over the matrix, small beside the solve.
        var shifted = s.Clone();
        NonFiniteValueException.ThrowIfNotFinite(Values(shifted), "the kernel matrix (K, or ΨᵀΨ of the features)");
        NonFiniteValueException.ThrowIfNotFinite(Values(rhs), "the right-hand side (the targets, or Ψᵀy)");
        for (int i = 0; i < shifted.RowCount; i++) shifted[i, i] += lambda;
        try
        {
            var solution = DenseBackend.Current.SolveSymmetricPositiveDefinite(shifted, rhs);
            NonFiniteValueException.ThrowIfNotFinite(Values(solution), "the ridge solution");
            return solution;
        }
        catch (NotPositiveDefiniteException e)
        {
            throw new NumericalFailureException($"{e.Message} (λ={lambda:G4} is too small for this data's scale: try a larger --lambda)");
        }
    }

    private static ReadOnlySpan<double> Values(Matrix<double> m) =>
        m.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> dense ? dense.Data : m.ToColumnMajorArray();
}

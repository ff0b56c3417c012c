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
    /// <summary>X with (S + λI)·X = B; S and B are left as they were (S is copied once).</summary>
    public static Matrix<double> Solve(Matrix<double> s, double lambda, Matrix<double> rhs)
    {
        CheckArguments(s, lambda, rhs);
        return SolveInPlace(Matrix<double>.Build.Dense(s.RowCount, s.ColumnCount, Values(s).ToArray()), lambda, rhs);
    }

    /// <summary>
    /// X with (S + λI)·X = B, consuming <paramref name="s"/>: its storage becomes the Cholesky factor, so the n×n
    /// system of an exact or dual fit is the only n×n matrix the solve holds (issue 18). Only S's lower triangle is
    /// read. The caller must not use <paramref name="s"/> afterwards; B is left as it was.
    /// </summary>
    public static Matrix<double> SolveInPlace(Matrix<double> s, double lambda, Matrix<double> rhs)
    {
        CheckArguments(s, lambda, rhs);
        if (s is not MathNet.Numerics.LinearAlgebra.Double.DenseMatrix dense)
            return Solve(s, lambda, rhs); // another storage: copied to a dense one by Solve
        // Checked here, where every fit's system meets: a NaN in the Gram matrix passes Cholesky unnoticed and came out
        // as "train MSE NaN" with exit code 0 (issue 15, item 6). One pass over the matrix, small beside the solve.
        double[] values = dense.Values;
        NonFiniteValueException.ThrowIfNotFinite(values, "the kernel matrix (K, or ΨᵀΨ of the features)");
        NonFiniteValueException.ThrowIfNotFinite(Values(rhs), "the right-hand side (the targets, or Ψᵀy)");
        int n = s.RowCount;
        for (int i = 0; i < n; i++) values[(long)i * n + i] += lambda;
        var solution = rhs.ToColumnMajorArray();
        try
        {
            DenseBackend.Current.SolveSymmetricPositiveDefiniteInPlace(values, n, solution, rhs.ColumnCount);
        }
        catch (NotPositiveDefiniteException e)
        {
            throw new NumericalFailureException($"{e.Message} (λ={lambda:G4} is too small for this data's scale: try a larger --lambda)");
        }
        NonFiniteValueException.ThrowIfNotFinite(solution, "the ridge solution");
        return Matrix<double>.Build.Dense(n, rhs.ColumnCount, solution);
    }

    private static void CheckArguments(Matrix<double> s, double lambda, Matrix<double> rhs)
    {
        if (!(lambda > 0)) throw new InvalidInputException("lambda must be > 0");
        if (!double.IsFinite(lambda)) throw new InvalidInputException("lambda must be finite");
        if (s.RowCount != s.ColumnCount || s.RowCount != rhs.RowCount)
            throw new ArgumentException($"system {s.RowCount}×{s.ColumnCount} does not match right-hand side {rhs.RowCount}×{rhs.ColumnCount}");
    }

    private static ReadOnlySpan<double> Values(Matrix<double> m) =>
        m.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<double> dense ? dense.Data : m.ToColumnMajorArray();
}

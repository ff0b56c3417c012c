using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Spectral;

/// <summary>Checks shared by the spectral measurements: a kernel matrix that is square, finite and symmetric; λ &gt; 0.</summary>
internal static class SymmetricInput
{
    /// <summary>
    /// Largest |K_ij − K_ji| accepted, relative to max |K|. Kernel blocks computed through a GEMM (‖x‖² + ‖z‖² − 2xᵀz)
    /// can differ from their transpose in the last bits; anything beyond this is a wrong matrix, not rounding.
    /// </summary>
    internal const double AsymmetryTolerance = 1e-10;

    /// <summary>(K + Kᵀ)/2 as a new dense matrix, after checking that K is square, finite and symmetric up to rounding.</summary>
    /// <exception cref="ArgumentException">K is not square, has a non-finite entry, or is not symmetric.</exception>
    public static Matrix<double> Symmetrized(Matrix<double> k, string name)
    {
        ArgumentNullException.ThrowIfNull(k, name);
        if (k.RowCount != k.ColumnCount)
            throw new ArgumentException($"{name} is {k.RowCount}×{k.ColumnCount}; a kernel matrix must be square", name);
        int n = k.RowCount;
        double[] a = k.ToColumnMajorArray();
        double largest = 0;
        foreach (double v in a)
        {
            if (!double.IsFinite(v)) throw new ArgumentException($"{name} has a non-finite entry", name);
            largest = Math.Max(largest, Math.Abs(v));
        }
        double worst = 0;
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++)
            {
                double lower = a[j * n + i], upper = a[i * n + j];
                worst = Math.Max(worst, Math.Abs(lower - upper));
                double mean = 0.5 * (lower + upper);
                a[j * n + i] = mean;
                a[i * n + j] = mean;
            }
        }
        if (worst > AsymmetryTolerance * largest)
            throw new ArgumentException(
                $"{name} is not symmetric: max |K_ij − K_ji| = {worst:G3} against max |K_ij| = {largest:G3}", name);
        return Matrix<double>.Build.Dense(n, n, a);
    }

    /// <summary>The ridge parameter of eq. 1: a positive finite number.</summary>
    /// <exception cref="InvalidInputException">λ is not positive and finite.</exception>
    public static void CheckLambda(double lambda)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new InvalidInputException($"lambda must be a positive finite number, got {lambda}");
    }
}

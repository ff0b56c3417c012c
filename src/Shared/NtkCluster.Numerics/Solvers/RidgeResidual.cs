using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Solvers;

/// <summary>
/// The training error of a primal ridge fit from its normal equations, without another pass over the rows:
/// ‖y − Ψβ‖² = yᵀy − 2βᵀ(Ψᵀy) + βᵀ(ΨᵀΨ)β per target, with ΨᵀΨ and Ψᵀy the sums the fit already accumulated.
/// </summary>
/// <remarks>
/// The identity subtracts numbers of the size of yᵀy to get the residual, so it loses about log₁₀(yᵀy/‖r‖²) digits:
/// nothing on noisy data (flights: yᵀy/‖r‖² ≈ 1.07), everything when the fit is nearly exact. It is used only when
/// that ratio is at most <see cref="MaxCancellation"/> — the answer then keeps about 10 of its 16 digits — and the
/// caller falls back to predicting the rows otherwise.
/// </remarks>
public static class RidgeResidual
{
    /// <summary>
    /// Adds Σ y² per target column to <paramref name="squares"/>, one running sum per column in row order: the same
    /// additions whether the rows come at once, block by block or partition by partition, which is what lets in-memory,
    /// streamed and one-partition fits agree bitwise on the training error.
    /// </summary>
    public static void AddSquares(double[] squares, Matrix<double> y)
    {
        for (int j = 0; j < squares.Length; j++)
            for (int i = 0; i < y.RowCount; i++) squares[j] += y[i, j] * y[i, j];
    }

    /// <summary>The largest yᵀy/‖r‖² accepted: at most 6 of the 16 digits cancel.</summary>
    public const double MaxCancellation = 1e6;

    /// <summary>
    /// The mean squared training error in original target units (residuals times <paramref name="targetScales"/>), over
    /// <paramref name="rows"/> rows and all targets; null when the identity cannot be trusted for some target.
    /// </summary>
    /// <param name="gram">ΨᵀΨ (m×m), symmetric.</param>
    /// <param name="cross">Ψᵀy (m×t).</param>
    /// <param name="beta">The solution (m×t).</param>
    /// <param name="targetSquares">yᵀy per target, of the (preprocessed) targets the fit used.</param>
    public static double? MeanSquaredError(Matrix<double> gram, Matrix<double> cross, Matrix<double> beta, IReadOnlyList<double> targetSquares,
        IReadOnlyList<double> targetScales, long rows)
    {
        int t = beta.ColumnCount;
        if (rows <= 0 || targetSquares.Count != t || targetScales.Count != t || cross.ColumnCount != t) return null;
        var gb = gram * beta;
        double total = 0;
        for (int j = 0; j < t; j++)
        {
            double bc = 0, bgb = 0;
            for (int i = 0; i < beta.RowCount; i++)
            {
                bc += beta[i, j] * cross[i, j];
                bgb += beta[i, j] * gb[i, j];
            }
            double yy = targetSquares[j];
            double rss = yy - 2 * bc + bgb;
            if (!(rss > 0) || !(yy / rss <= MaxCancellation)) return null;
            total += rss * targetScales[j] * targetScales[j];
        }
        return total / ((double)rows * t);
    }
}

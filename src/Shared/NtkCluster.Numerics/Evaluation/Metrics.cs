using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Evaluation;

/// <summary>Error measures reported by fits.</summary>
public static class Metrics
{
    /// <summary>Mean squared error over all rows and target columns.</summary>
    public static double MeanSquaredError(Matrix<double> truth, Matrix<double> predicted)
    {
        var sum = new SquaredErrorSum(truth.ColumnCount);
        sum.Add(truth, predicted);
        return sum.Mean;
    }

    /// <summary>
    /// The mean squared error of predicting each target column's own mean (over these rows): the baseline that a
    /// model must beat, and the denominator of <see cref="RSquared"/>. Over all rows and target columns, as
    /// <see cref="MeanSquaredError"/>.
    /// </summary>
    /// <summary>
    /// <see cref="MeanBaselineSquaredError(Matrix{double})"/> from the targets' moments (a partitioned dataset's,
    /// merged in partition order): the squared deviations from each column's mean, over all rows and columns.
    /// </summary>
    public static double MeanBaselineSquaredError(Data.ColumnMoments targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0 || targets.Columns == 0) return double.NaN;
        return targets.SquaredDeviations.Sum() / ((double)targets.Count * targets.Columns);
    }

    public static double MeanBaselineSquaredError(Matrix<double> truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        int n = truth.RowCount, t = truth.ColumnCount;
        if (n == 0 || t == 0) return double.NaN;
        double total = 0;
        for (int c = 0; c < t; c++)
        {
            double sum = 0;
            for (int r = 0; r < n; r++) sum += truth[r, c];
            double mean = sum / n, squares = 0;
            for (int r = 0; r < n; r++)
            {
                double d = truth[r, c] - mean;
                squares += d * d;
            }
            total += squares;
        }
        return total / ((double)n * t);
    }

    /// <summary>
    /// The coefficient of determination, 1 − MSE / baseline MSE (<see cref="MeanBaselineSquaredError"/> of the same
    /// rows): scikit-learn's <c>r2_score</c> for one target; for several, the squared errors are pooled over the
    /// columns (a variance-weighted average). Null when the targets are constant (no baseline to compare with).
    /// </summary>
    public static double? RSquared(double mse, double baseline) => baseline > 0 && double.IsFinite(baseline) ? 1 - mse / baseline : null;
}

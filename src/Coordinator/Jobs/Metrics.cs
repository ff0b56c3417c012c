using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>Error measures reported by fits.</summary>
public static class Metrics
{
    /// <summary>Mean squared error over all rows and target columns.</summary>
    public static double MeanSquaredError(Matrix<double> truth, Matrix<double> predicted)
    {
        double sum = 0;
        for (int j = 0; j < truth.ColumnCount; j++)
            for (int i = 0; i < truth.RowCount; i++) { double e = truth[i, j] - predicted[i, j]; sum += e * e; }
        return sum / ((double)truth.RowCount * truth.ColumnCount);
    }
}

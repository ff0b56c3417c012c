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
}

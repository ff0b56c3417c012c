using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Evaluation;

/// <summary>
/// Squared errors summed per target column over blocks of rows added in row order: the mean squared error of data
/// that is never held whole. <see cref="Metrics.MeanSquaredError"/> is this over one block, so a streamed error and
/// an in-memory one add the same numbers in the same order and agree bitwise.
/// </summary>
public sealed class SquaredErrorSum
{
    private readonly double[] _sums;

    public SquaredErrorSum(int targets) => _sums = new double[targets];

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    public void Add(Matrix<double> truth, Matrix<double> predicted)
    {
        if (truth.RowCount != predicted.RowCount || truth.ColumnCount != _sums.Length || predicted.ColumnCount != _sums.Length)
            throw new ArgumentException($"truth {truth.RowCount}×{truth.ColumnCount} and predictions {predicted.RowCount}×{predicted.ColumnCount} " +
                                        $"do not match {_sums.Length} target column(s)");
        for (int j = 0; j < _sums.Length; j++)
            for (int i = 0; i < truth.RowCount; i++) { double e = truth[i, j] - predicted[i, j]; _sums[j] += e * e; }
        Rows += truth.RowCount;
    }

    /// <summary>Mean over all rows and target columns.</summary>
    public double Mean
    {
        get
        {
            double total = 0;
            foreach (double s in _sums) total += s;
            return total / ((double)Rows * _sums.Length);
        }
    }
}

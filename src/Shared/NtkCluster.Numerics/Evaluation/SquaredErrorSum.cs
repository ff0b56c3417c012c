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

    /// <summary>The sum per target column (with <see cref="Rows"/>, the state a partition's partial carries).</summary>
    public IReadOnlyList<double> Sums => _sums;

    /// <summary>A sum rebuilt from its state (<see cref="Rows"/>, <see cref="Sums"/>), as a partial sent between processes is.</summary>
    public static SquaredErrorSum FromState(long rows, IReadOnlyList<double> sums)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentNullException.ThrowIfNull(sums);
        var sum = new SquaredErrorSum(sums.Count) { Rows = rows };
        for (int j = 0; j < sums.Count; j++) sum._sums[j] = sums[j];
        return sum;
    }

    /// <summary>
    /// Adds another sum's rows, as if they followed the rows added so far (per column, one addition of the other's
    /// sum): how per-partition partials are reduced in partition order. Merging one partial into an empty sum gives
    /// that partial exactly.
    /// </summary>
    public void Merge(SquaredErrorSum other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._sums.Length != _sums.Length) throw new ArgumentException($"expected {_sums.Length} target column(s), got {other._sums.Length}", nameof(other));
        for (int j = 0; j < _sums.Length; j++) _sums[j] += other._sums[j];
        Rows += other.Rows;
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

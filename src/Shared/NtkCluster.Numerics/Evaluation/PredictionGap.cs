namespace NtkCluster.Numerics.Evaluation;

/// <summary>
/// How far one model's predictions are from a reference model's over rows, in the preprocessed target units both share:
/// Σ‖a_i − b_i‖² and Σ‖b_i‖² (a the model, b the reference), added row by row, then partition by partition in
/// partition order. <see cref="Relative"/> is ‖a − b‖/‖b‖, the gap train-nn reports.
/// </summary>
public sealed record PredictionGap(double SquaredDifference, double SquaredReference, long Rows)
{
    public static readonly PredictionGap Zero = new(0, 0, 0);

    /// <summary>‖a − b‖/‖b‖ (NaN when the reference is zero on every row).</summary>
    public double Relative => Math.Sqrt(SquaredDifference / SquaredReference);

    /// <summary>This gap followed by <paramref name="next"/>'s rows.</summary>
    public PredictionGap Add(PredictionGap next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new(SquaredDifference + next.SquaredDifference, SquaredReference + next.SquaredReference, Rows + next.Rows);
    }

    /// <summary>The gap of predictions <paramref name="model"/> against <paramref name="reference"/>, row by row and column by column.</summary>
    public static PredictionGap Of(MathNet.Numerics.LinearAlgebra.Matrix<double> model, MathNet.Numerics.LinearAlgebra.Matrix<double> reference)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        if (model.RowCount != reference.RowCount || model.ColumnCount != reference.ColumnCount)
            throw new ArgumentException("the predictions differ in shape");
        double difference = 0, norm = 0;
        for (int i = 0; i < model.RowCount; i++)
        {
            for (int j = 0; j < model.ColumnCount; j++)
            {
                double b = reference[i, j], e = model[i, j] - b;
                difference += e * e;
                norm += b * b;
            }
        }
        return new(difference, norm, model.RowCount);
    }
}

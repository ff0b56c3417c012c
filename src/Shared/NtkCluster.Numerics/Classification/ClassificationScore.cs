using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// How many rows a classifier got right. Rows whose true label is not one of the classes (<see cref="Unseen"/>) are
/// counted as errors: the model cannot predict a class it never saw, and leaving them out would flatter it.
/// </summary>
public sealed record ClassificationScore(int Correct, int Rows, int Unseen, long[] UnseenLabels)
{
    /// <summary>Correct / Rows (NaN for no rows).</summary>
    public double Accuracy => Rows == 0 ? double.NaN : (double)Correct / Rows;

    /// <summary>The score of these rows and <paramref name="other"/>'s together (partitions merged in partition order).</summary>
    public ClassificationScore Plus(ClassificationScore other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ClassificationScore(Correct + other.Correct, Rows + other.Rows, Unseen + other.Unseen,
            UnseenLabels.Union(other.UnseenLabels).Order().ToArray());
    }

    /// <summary>No rows.</summary>
    public static ClassificationScore None { get; } = new(0, 0, 0, []);

    /// <summary>Scores predicted labels against the true labels (one column, integer-valued).</summary>
    public static ClassificationScore Of(ClassLabels classes, long[] predicted, Matrix<double> truth)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.ColumnCount != 1 || truth.RowCount != predicted.Length)
            throw new ArgumentException($"{predicted.Length} predictions for a {truth.RowCount}×{truth.ColumnCount} label matrix", nameof(truth));
        int correct = 0, unseen = 0;
        var unseenLabels = new SortedSet<long>();
        for (int i = 0; i < predicted.Length; i++)
        {
            long label = ClassLabels.ToLabel(truth[i, 0]);
            if (!classes.Contains(label))
            {
                unseen++;
                unseenLabels.Add(label);
            }
            else if (predicted[i] == label) correct++;
        }
        return new ClassificationScore(correct, predicted.Length, unseen, unseenLabels.ToArray());
    }
}

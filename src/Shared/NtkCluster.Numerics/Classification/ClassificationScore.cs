using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// How many rows a classifier got right, and which class it took each row of each class for (<see cref="Confusion"/>).
/// Rows whose true label is not one of the classes (<see cref="Unseen"/>) are counted as errors: the model cannot
/// predict a class it never saw, and leaving them out would flatter it. They are not in the confusion matrix, whose
/// rows are the classes.
/// </summary>
public sealed record ClassificationScore(int Correct, int Rows, int Unseen, long[] UnseenLabels)
{
    /// <summary>
    /// The confusion matrix, C × C row-major: entry (t, p) counts the rows of class t predicted as class p (classes in
    /// <see cref="ClassLabels"/> order; scikit-learn's <c>confusion_matrix</c> layout). Null for a score made without
    /// the classes (<see cref="None"/>), which adds to any other as zeros.
    /// </summary>
    public long[]? Confusion { get; init; }

    /// <summary>Correct / Rows (NaN for no rows).</summary>
    public double Accuracy => Rows == 0 ? double.NaN : (double)Correct / Rows;

    /// <summary>The score of these rows and <paramref name="other"/>'s together (partitions merged in partition order).</summary>
    public ClassificationScore Plus(ClassificationScore other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long[]? confusion = Confusion is null ? other.Confusion : other.Confusion is null ? Confusion
            : Confusion.Length != other.Confusion.Length ? throw new ArgumentException("confusion matrices of different class counts", nameof(other))
            : Confusion.Zip(other.Confusion, (a, b) => a + b).ToArray();
        return new ClassificationScore(Correct + other.Correct, Rows + other.Rows, Unseen + other.Unseen,
            UnseenLabels.Union(other.UnseenLabels).Order().ToArray())
        { Confusion = confusion };
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
        int correct = 0, unseen = 0, c = classes.Count;
        var confusion = new long[(long)c * c];
        var unseenLabels = new SortedSet<long>();
        for (int i = 0; i < predicted.Length; i++)
        {
            long label = ClassLabels.ToLabel(truth[i, 0]);
            int t = Array.BinarySearch(classes.Labels, label);
            if (t < 0)
            {
                unseen++;
                unseenLabels.Add(label);
                continue;
            }
            if (predicted[i] == label) correct++;
            int p = Array.BinarySearch(classes.Labels, predicted[i]);
            if (p >= 0) confusion[(long)t * c + p]++;
        }
        return new ClassificationScore(correct, predicted.Length, unseen, unseenLabels.ToArray()) { Confusion = confusion };
    }
}

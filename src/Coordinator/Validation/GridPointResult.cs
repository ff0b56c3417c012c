namespace NtkCluster.Coordinator.Validation;

/// <summary>A grid point's held-out score on every fold (fold order), with their mean and population sd.</summary>
public sealed record GridPointResult(GridPoint Point, double[] FoldScores)
{
    /// <summary>
    /// Classification: every fold's held-out rows scored together — the sum of the folds' confusion matrices, so each
    /// training row counts once, predicted by the fit that did not see it (scikit-learn's <c>cross_val_predict</c> then
    /// <c>confusion_matrix</c>). Per-class precision, recall and macro-F1 are computed from this pooled matrix, not
    /// averaged over folds: a fold may hold few rows of a class. Null for regression and partitioned data.
    /// </summary>
    public NtkCluster.Numerics.Classification.ClassificationScore? Pooled { get; init; }

    public double Mean => FoldScores.Sum() / FoldScores.Length;

    /// <summary>Population standard deviation over the folds (divisor k, as numpy's <c>std</c> and scikit-learn's <c>std_test_score</c>).</summary>
    public double Sd
    {
        get
        {
            double mean = Mean;
            return Math.Sqrt(FoldScores.Sum(s => (s - mean) * (s - mean)) / FoldScores.Length);
        }
    }
}

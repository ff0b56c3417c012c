namespace NtkCluster.Coordinator.Validation;

/// <summary>A grid point's held-out score on every fold (fold order), with their mean and population sd.</summary>
public sealed record GridPointResult(GridPoint Point, double[] FoldScores)
{
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

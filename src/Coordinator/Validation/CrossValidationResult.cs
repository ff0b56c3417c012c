namespace NtkCluster.Coordinator.Validation;

/// <summary>
/// Every grid point's fold scores and the chosen point: the best mean score (lowest test MSE for regression, highest
/// accuracy for classification), ties going to the earliest point in grid order.
/// </summary>
/// <param name="Metric"><c>mse</c> or <c>accuracy</c>.</param>
public sealed record CrossValidationResult(IReadOnlyList<GridPointResult> Points, GridPointResult Chosen, string Metric, int Folds, double Seconds)
{
    public bool HigherIsBetter => Metric == "accuracy";

    /// <summary>The best mean, ties to the earliest point (so a grid listed from simple to complex prefers the simpler).</summary>
    public static GridPointResult Choose(IReadOnlyList<GridPointResult> points, bool higherIsBetter)
    {
        if (points.Count == 0) throw new ArgumentException("an empty grid has no best point", nameof(points));
        var best = points[0];
        foreach (var p in points.Skip(1))
        {
            if (higherIsBetter ? p.Mean > best.Mean : p.Mean < best.Mean) best = p;
        }
        return best;
    }
}

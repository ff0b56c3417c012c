using NtkCluster.Numerics.Classification;

namespace NtkCluster.Validation;

/// <summary>
/// The held-out scores of a cross-validation on a partitioned dataset (<see cref="PartitionedCrossValidator"/>): the
/// test MSE (target units, mean over targets) of every grid point on every fold; for <c>--task classify</c>, its accuracy
/// (<see cref="Classes"/>).
/// </summary>
/// <param name="KernelSpecs">The kernels, in grid order.</param>
/// <param name="Lambdas">The λ of every kernel, in grid order.</param>
/// <param name="Scores">Per grid point g = kernel·λs + λ (kernels outer, λ inner), its test MSE (or accuracy) on each fold, in fold order.</param>
/// <param name="FoldRows">The rows of each fold (the hashed folds' sizes are multinomial, not equal).</param>
/// <param name="Seconds">Wall time of the whole cross-validation.</param>
public sealed record PartitionedCrossValidationOutcome(string[] KernelSpecs, double[] Lambdas, double[][] Scores, long[] FoldRows, double Seconds)
{
    /// <summary>For <c>--task classify</c>, the classes found in the cross-validated rows: the scores are then held-out
    /// accuracies (higher is better); null for regression's test MSE.</summary>
    public ClassLabels? Classes { get; init; }

    /// <summary>For <c>--task classify</c>, per grid point (in <see cref="Scores"/>' order) its folds' held-out scores
    /// pooled — every cross-validated row scored once, by the model of its fold — with their confusion matrix, as
    /// in-memory cross-validation pools them; null for regression.</summary>
    public ClassificationScore[]? Pooled { get; init; }

    /// <summary>For regression, the MSE of predicting each target's mean over all the cross-validated rows (the
    /// denominator of the R² that <c>ntk cv</c> prints), as in-memory cross-validation takes it; null for classification.</summary>
    public double? TrainBaseline { get; init; }

    /// <summary>All rows cross-validated.</summary>
    public long Rows => FoldRows.Sum();
}

using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;

namespace NtkCluster.Coordinator.Validation;

/// <summary>
/// k-fold cross-validation over a grid of (kernel, λ): for every fold and grid point, a fit on the other folds is
/// submitted to the job runner — the same <see cref="SubmitFit"/> job as <c>ntk fit</c>, so on a cluster its blocks
/// are sharded over the workers — and scored on the held-out fold: test MSE (in the target's units, mean over
/// targets) for regression, accuracy for classification. Preprocessing (<c>--standardize</c>, <c>--normalize</c>) is
/// fitted inside each fit on its own training folds, so the held-out fold never leaks into it. Exact fits of one
/// kernel on one fold share their kernel matrix across the grid's λ (<see cref="SubmitFoldFits"/>): one job per
/// (fold, kernel) instead of one per (fold, kernel, λ).
/// </summary>
public sealed class CrossValidator
{
    private readonly IJobRunner _runner;
    private readonly Action<string> _progress;

    public CrossValidator(IJobRunner runner, Action<string>? progress = null)
    {
        _runner = runner;
        _progress = progress ?? (_ => { });
    }

    /// <param name="train">The training rows; for classification with one ±1 column per class as targets.</param>
    /// <param name="classes">Classification: the classes and the rows' labels (n × 1); null for regression.</param>
    /// <param name="folds">The fold of every row of <paramref name="train"/>, 0 … k−1 (see <see cref="KFolds"/>).</param>
    /// <param name="settings">Everything but the kernel and λ, which come from the grid.</param>
    public async Task<CrossValidationResult> RunAsync(Dataset train, (ClassLabels Classes, Matrix<double> Labels)? classes, int[] folds,
        IReadOnlyList<GridPoint> grid, FitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(grid);
        if (folds.Length != train.Rows) throw new ArgumentException($"{folds.Length} fold numbers for {train.Rows} rows", nameof(folds));
        if (grid.Count == 0) throw new ArgumentException("the grid is empty", nameof(grid));
        int k = folds.Max() + 1;
        var clock = Stopwatch.StartNew();
        var scores = grid.Select(_ => new double[k]).ToArray();
        var pooled = grid.Select(_ => ClassificationScore.None).ToArray();
        for (int f = 0; f < k; f++)
        {
            var (trainRows, heldRows) = KFolds.Split(folds, f);
            if (trainRows.Length == 0 || heldRows.Length == 0) throw new ArgumentException($"fold {f} leaves no training or no held-out rows", nameof(folds));
            var foldTrain = train.Subset(trainRows);
            var foldHeld = train.Subset(heldRows);
            var heldLabels = classes is { } c ? Matrix<double>.Build.Dense(heldRows.Length, 1, (i, _) => c.Labels[heldRows[i], 0]) : null;
            foreach (var group in Enumerable.Range(0, grid.Count).GroupBy(g => grid[g].KernelSpec))
            {
                int[] members = group.ToArray();
                var predictions = await PredictAsync(foldTrain, foldHeld, settings with { KernelSpec = group.Key }, members.Select(g => grid[g].Lambda).ToArray());
                for (int i = 0; i < members.Length; i++)
                {
                    int g = members[i];
                    if (classes is { } cl)
                    {
                        var score = ClassificationScore.Of(cl.Classes, cl.Classes.Decode(predictions[i]), heldLabels!);
                        scores[g][f] = score.Accuracy;
                        pooled[g] = pooled[g].Plus(score);
                    }
                    else scores[g][f] = Metrics.MeanSquaredError(foldHeld.Y, predictions[i]);
                    _progress($"fold {f + 1}/{k}, {grid[g]}: {(classes is null ? "test MSE" : "accuracy")} {scores[g][f]:G5}");
                }
            }
        }
        var points = grid.Select((p, g) => new GridPointResult(p, scores[g]) { Pooled = classes is null ? null : pooled[g] }).ToList();
        bool higherIsBetter = classes is not null;
        return new CrossValidationResult(points, CrossValidationResult.Choose(points, higherIsBetter), higherIsBetter ? "accuracy" : "mse", k,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>The held-out predictions (target units) for each λ: one shared-kernel job for exact fits, else one fit job per λ.</summary>
    private async Task<Matrix<double>[]> PredictAsync(Dataset train, Dataset held, FitSettings settings, double[] lambdas)
    {
        if (settings.Exact)
            return (await _runner.RunAsync<FoldPredictions>(new SubmitFoldFits(train, held, settings, lambdas))).Held;
        var predictions = new Matrix<double>[lambdas.Length];
        for (int l = 0; l < lambdas.Length; l++)
            predictions[l] = (await _runner.RunAsync<FitOutcome>(new SubmitFit(train, held, settings with { Lambda = lambdas[l] }))).TestPredictions!;
        return predictions;
    }
}

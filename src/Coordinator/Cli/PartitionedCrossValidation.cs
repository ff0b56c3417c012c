using NtkCluster.Coordinator.Validation;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk cv</c> on a partitioned dataset (a <c>--train</c> directory or glob): one job
/// (<see cref="SubmitPartitionedCrossValidation"/>, <see cref="PartitionedCrossValidator"/>) that computes every round
/// per partition where it is read — in this process locally, on the workers with <c>--cluster</c> — and then, with
/// <c>--refit</c>, a partitioned fit of the chosen point. Plain random features in the primal form share one pass of fold
/// Grams; classification, leverage sampling, exact KRR and the dual form fit each fold on its own training rows.
/// </summary>
public static class PartitionedCrossValidation
{
    public static async Task<int> RunAsync(ParsedOptions a, FitOptions options, IReadOnlyList<GridPoint> grid, bool classify, int folds, ulong cvSeed,
        bool refit, string? modelPath, TextWriter stdout, TextWriter stderr)
    {
        var data = PartitionedData.Prepare(options, classify, note => stderr.WriteLine($"ntk cv: note: {note}"), "cross-validated");
        string[] kernels = grid.Select(p => p.KernelSpec).Distinct().ToArray();
        double[] lambdas = grid.Where(p => p.KernelSpec == kernels[0]).Select(p => p.Lambda).ToArray();
        var s = options.Settings;
        // Plain random features in the primal form share one pass of fold Grams; every other mode fits each fold on its own rows.
        bool onePass = !classify && !s.Exact && s.Sampling == FeatureSampling.Plain;
        if (onePass && (s.Standardize || s.ScaleTarget))
            stderr.WriteLine("ntk cv: note: on a partitioned dataset the preprocessing statistics come from all the cross-validated rows, " +
                             "not from each fold's training rows (one pass serves every fold)");
        stderr.WriteLine($"ntk cv: {PartitionedData.Describe(data.Train)} × {data.Columns.FeatureNames.Length} features, {DataLine.Target(data.Columns.TargetNames, options.Data.Targets is not null)}, {folds} folds by row hash " +
                         $"(seed {cvSeed}), {grid.Count} grid points, " + (onePass ? "2 passes per kernel" : "one partitioned fit per fold") +
                         PartitionedData.Delivery(options.Data) + $", {options.Data.Where}");
        await using var runner = await options.Data.StartRunnerAsync("cv", stderr);
        var outcome = await runner.RunAsync<PartitionedCrossValidationOutcome>(new SubmitPartitionedCrossValidation(data.Train.Source,
            data.Train.Partitions, data.Columns, data.Split, new RowFolds(cvSeed, folds), kernels, lambdas, s));
        var result = ResultOf(grid, outcome);

        FitOutcome? final = null;
        ClassifierOutcome? classified = null;
        if (refit)
        {
            final = await runner.RunAsync<FitOutcome>(data.Submission(s with
            {
                KernelSpec = result.Chosen.Point.KernelSpec,
                Lambda = result.Chosen.Point.Lambda,
            }));
            // A partitioned classifier's fit comes scored (its classes found again on every training row, as ntk fit does).
            if (final.Classification is { } c) classified = new ClassifierOutcome(final.Model, c.Train, c.Test);
            if (modelPath is not null) ModelFile.Save(final.Model, modelPath);
        }
        // The pooled metrics and the R² baseline come with the outcome, as the in-memory cross-validation computes them.
        CrossValidateCommand.Print(a, options, grid, result, folds, cvSeed, outcome.Rows, data.Test?.RowCount, final, classified, null, modelPath,
            "folds by row hash", stdout, outcome.Classes, new RegressionScores(outcome.TrainBaseline, null), stderr: stderr);
        return 0;
    }

    /// <summary>The job's scores as the grid's results, in grid order (kernels outer, λ inner, as <see cref="CrossValidateCommand.ReadGrid"/> lists them).</summary>
    public static CrossValidationResult ResultOf(IReadOnlyList<GridPoint> grid, PartitionedCrossValidationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(outcome);
        var points = new List<GridPointResult>(grid.Count);
        foreach (var p in grid)
        {
            int k = Array.IndexOf(outcome.KernelSpecs, p.KernelSpec), l = Array.IndexOf(outcome.Lambdas, p.Lambda);
            if (k < 0 || l < 0) throw new ArgumentException($"the outcome has no score for {p}", nameof(outcome));
            int g = k * outcome.Lambdas.Length + l;
            points.Add(new GridPointResult(p, outcome.Scores[g]) { Pooled = outcome.Pooled?[g] });
        }
        // Classification scores accuracies (higher is better), regression test MSEs.
        bool accuracy = outcome.Classes is not null;
        return new CrossValidationResult(points, CrossValidationResult.Choose(points, higherIsBetter: accuracy), accuracy ? "accuracy" : "mse",
            outcome.FoldRows.Length, outcome.Seconds);
    }
}

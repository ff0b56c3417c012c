using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Validation;

/// <summary>
/// Cross-validation of a partitioned dataset by one fit per fold — what the fold-Gram rounds of
/// <see cref="PartitionedCrossValidator"/> cannot do in one pass: <c>--task classify</c>, leverage sampling, exact KRR and
/// the dual form. Each fold's model is fitted on the fold's training rows only (a <see cref="RowSplit.OfFold"/> side, so
/// every round of the fit — moments, leverage scores, Grams, gathered rows — skips the held-out fold), exactly as the
/// in-memory cross-validation fits each fold on its own training rows (preprocessing included), and is scored on the
/// held-out fold: test MSE, or accuracy for classification.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Exact KRR gathers the fold's training and held-out rows (in global row order, within the exact limits, as
/// <c>ntk fit</c> gathers them) and runs the in-memory cross-validation's own fold job (<see cref="FoldFitter"/>: one kernel
/// matrix for every λ), so its scores are bitwise those of in-memory cross-validation with the same folds.</item>
/// <item>Random features (plain in the dual form, leverage-sampled, or classified) run
/// <see cref="KrrFitter.FitPartitionedEvaluatedAsync"/> on the fold's training side: the same fit as <c>ntk fit --train DIR</c>
/// (scalable leverage scores per partition; exact leverage scores and the dual form gather the rows), then the held-out
/// errors or accuracy are counted per partition.</item>
/// <item>Classification discovers the classes once, on every cross-validated row (as the in-memory path labels all its
/// training rows before cutting folds), so every fold fits the same ±1 columns.</item>
/// </list>
/// </remarks>
internal sealed class PartitionedFoldFits
{
    private readonly IBlockRounds _rounds;

    public PartitionedFoldFits(IBlockRounds rounds) => _rounds = rounds;

    /// <summary>Whether the fold-Gram rounds cannot cross-validate these settings: classification, leverage sampling, exact
    /// KRR, or a fold whose training rows are fewer than the feature columns (the dual form).</summary>
    public static bool Needed(PartitionColumns columns, FitSettings s, int featureColumns, long smallestTrainingRows) =>
        columns.Classify || s.Exact || s.Sampling != FeatureSampling.Plain || featureColumns > smallestTrainingRows;

    /// <param name="train">The counted training partitions.</param>
    /// <param name="foldRows">Each fold's held-out rows (<see cref="FoldSizes"/>), none empty.</param>
    public async Task<PartitionedCrossValidationOutcome> RunAsync(string jobId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, RowSplit? split, RowFolds folds, long[] foldRows, IReadOnlyList<string> kernelSpecs, IReadOnlyList<double> lambdas,
        FitSettings settings, System.Diagnostics.Stopwatch clock)
    {
        MissingRows.EnsureNotNeeded(columns, "cross-validation with per-fold fits");
        int k = folds.Count, count = lambdas.Count;
        long n = foldRows.Sum();
        ClassLabels? classes = null;
        if (columns.Classify)
        {
            var labels = await _rounds.PartitionLabelsAsync(jobId + "-labels", train, columns, split);
            if (labels.Length < 2)
                throw new InvalidInputException($"{source}: the cross-validated rows hold {(labels.Length == 0 ? "no class" : $"only one class ({labels[0]})")} " +
                                                $"in '{columns.TargetNames[0]}': nothing to classify");
            classes = columns.ClassesFound(labels, source);
            columns = columns with { Classes = classes };
            _rounds.Report($"{classes.Count} classes in '{classes.Column}': one-vs-rest ±1 targets, built per partition");
        }
        var scores = new double[kernelSpecs.Count * count][];
        for (int g = 0; g < scores.Length; g++) scores[g] = new double[k];
        // Classification pools each grid point's held-out scores over the folds, in fold order (a confusion matrix of all rows).
        var pooled = classes is null ? null : Enumerable.Repeat(ClassificationScore.None, scores.Length).ToArray();
        var fitter = new KrrFitter(_rounds);
        for (int f = 0; f < k; f++)
        {
            var fitSide = RowSplit.OfFold(split, folds, f, held: false);
            var heldSide = fitSide.OtherSide();
            if (settings.Exact)
            {
                await ExactFoldAsync($"{jobId}-f{f}", source, train, columns, fitSide, heldSide, n - foldRows[f], foldRows[f], kernelSpecs, lambdas,
                    settings, classes, scores, pooled, f);
                continue;
            }
            for (int ki = 0; ki < kernelSpecs.Count; ki++)
            {
                for (int l = 0; l < count; l++)
                {
                    string round = $"{jobId}-f{f}-k{ki}-l{l}";
                    _rounds.Report($"fold {f + 1}/{k}, kernel {kernelSpecs[ki]}, lambda {lambdas[l]:G4}: fitting the fold's {n - foldRows[f]} training rows");
                    var fit = await fitter.FitPartitionedEvaluatedAsync(round, source, train, columns, null, fitSide,
                        settings with { KernelSpec = kernelSpecs[ki], Lambda = lambdas[l] });
                    if (fit.TestRows != foldRows[f] || fit.TrainRows != n - foldRows[f])
                        throw new InvalidInputException($"{source} changed while it was being read: fold {f + 1} had {foldRows[f]} rows, then {fit.TestRows}");
                    if (classes is null) scores[ki * count + l][f] = fit.TestMse!.Value;
                    else
                    {
                        var held = await _rounds.PartitionClassificationAsync(round + "-accuracy", train, columns, heldSide, fit.Model, classes,
                            "held-out accuracy partitions");
                        scores[ki * count + l][f] = held.Accuracy;
                        pooled![ki * count + l] = pooled[ki * count + l].Plus(held);
                    }
                }
            }
        }
        // Regression's R² needs the predict-the-mean MSE of all the cross-validated rows: one moments round of their targets.
        double? baseline = classes is null
            ? Metrics.MeanBaselineSquaredError((await _rounds.PartitionMomentsAsync(jobId + "-baseline", train, columns, split)).Targets)
            : null;
        return new PartitionedCrossValidationOutcome(kernelSpecs.ToArray(), lambdas.ToArray(), scores, foldRows, clock.Elapsed.TotalSeconds)
        {
            Classes = classes,
            Pooled = pooled,
            TrainBaseline = baseline,
        };
    }

    /// <summary>
    /// One fold of exact KRR: its training and held-out rows gathered in global row order (refused beyond the exact
    /// limits before any row moves, as <c>ntk fit</c> refuses), then the in-memory path's fold job on them.
    /// </summary>
    private async Task ExactFoldAsync(string jobId, string source, IReadOnlyList<DataPartition> train, PartitionColumns columns, RowSplit fitSide,
        RowSplit heldSide, long trainRows, long heldRows, IReadOnlyList<string> kernelSpecs, IReadOnlyList<double> lambdas, FitSettings s,
        ClassLabels? classes, double[][] scores, ClassificationScore[]? pooled, int fold)
    {
        FitPlanner.Plan(exact: true, checked((int)trainRows), 0);
        _rounds.Report($"exact KRR, fold {fold + 1}: gathering its {trainRows} training and {heldRows} held-out rows in partition order");
        var fitRows = await Gather(jobId + "-rows", train, columns, fitSide, trainRows, source);
        // The held-out rows keep their labels (the classes' ±1 columns are what the fit needs, not what is scored).
        var heldRowsGathered = await Gather(jobId + "-held", train, columns with { Classes = null }, heldSide, heldRows, source);
        var fitData = new Dataset(columns.FeatureNames, fitRows.X, columns.FittedTargetNames, fitRows.Y);
        var heldData = new Dataset(columns.FeatureNames, heldRowsGathered.X, columns.TargetNames, heldRowsGathered.Y);
        var fitter = new FoldFitter(_rounds);
        int count = lambdas.Count;
        for (int ki = 0; ki < kernelSpecs.Count; ki++)
        {
            var predictions = (await fitter.FitAsync($"{jobId}-k{ki}", fitData, heldData, s with { KernelSpec = kernelSpecs[ki] }, lambdas.ToArray())).Held;
            for (int l = 0; l < count; l++)
            {
                if (classes is null)
                {
                    scores[ki * count + l][fold] = Metrics.MeanSquaredError(heldData.Y, predictions[l]);
                    continue;
                }
                var held = ClassificationScore.Of(classes, classes.Decode(predictions[l]), heldData.Y);
                scores[ki * count + l][fold] = held.Accuracy;
                pooled![ki * count + l] = pooled[ki * count + l].Plus(held);
            }
        }
    }

    private async Task<SampledRows> Gather(string jobId, IReadOnlyList<DataPartition> train, PartitionColumns columns, RowSplit side, long rows,
        string source)
    {
        // A "sample" as large as the side is every row of it, in global row order (as the fit gathers its rows).
        var gathered = await RowSampleRounds.GatherAsync(_rounds, jobId, train, columns, side, 0, checked((int)rows), rows);
        if (gathered.Rows.Length != rows)
            throw new InvalidInputException($"{source} changed while it was being read: {rows} rows expected, {gathered.Rows.Length} read");
        return gathered;
    }

    /// <summary>
    /// The rows of every fold on <paramref name="split"/>'s side: index arithmetic over the counted partitions' row ranges
    /// (a hash per row, no file read), so empty folds and the fit's form are known before any round.
    /// </summary>
    public static long[] FoldSizes(IReadOnlyList<DataPartition> train, RowSplit? split, RowFolds folds)
    {
        var sizes = new long[folds.Count];
        foreach (var p in train)
        {
            long first = p.FirstRow ?? throw new InvalidOperationException($"partition {p.Index} ({p.Name}) has no first row yet");
            long rows = p.RowCount ?? throw new InvalidOperationException($"partition {p.Index} ({p.Name}) has no row count yet");
            for (long r = first; r < first + rows; r++)
                if (split is null || split.Keeps(r)) sizes[folds.Of(r)]++;
        }
        return sizes;
    }
}

using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Validation;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// Cross-validation of a partitioned dataset in the modes that fit each fold on its own training rows — classification,
/// leverage sampling, exact KRR, the dual form — against the in-memory cross-validation (<see cref="CrossValidator"/>,
/// the job path of <c>ntk cv FILE</c>) of the same rows with the same folds (<see cref="RowHash.Fold"/> passed in as its
/// fold assignment). Exact KRR runs the in-memory path's own fold job on gathered rows, so its scores are bitwise; the
/// other modes fit the same models but count the held-out errors per partition (another summation order), or preprocess
/// from merged moments, so their MSEs agree to a tight relative tolerance.
/// </summary>
public sealed class PartitionedCrossValidationModesTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SubmitPartitionedCrossValidation Classify(SubmitPartitionedCrossValidation s) => s with { Columns = s.Columns with { Classify = true } };

    /// <summary>The directory's parts loaded whole, as <c>ntk cv FILE</c> loads one file (one header, rows in part order).</summary>
    private Dataset Whole(string dir, int parts)
    {
        string file = _dir.PathOf(Path.GetFileName(dir) + "-whole.csv");
        File.WriteAllText(file, PartitionedFitTests.Concatenated(dir, parts));
        return Dataset.FromTable(CsvTable.Read(file), null);
    }

    private static int[] Folds(int rows, ulong seed, int k) => Enumerable.Range(0, rows).Select(r => RowHash.Fold(seed, r, k)).ToArray();

    /// <summary>In-memory cross-validation of <paramref name="whole"/> with the partitioned run's folds, in local mode.</summary>
    private static async Task<CrossValidationResult> InMemoryAsync(Dataset whole, SubmitPartitionedCrossValidation s, bool classify = false)
    {
        var grid = s.KernelSpecs.SelectMany(k => s.Lambdas.Select(l => new GridPoint(k, l))).ToArray();
        await using var local = await LocalCluster.StartAsync(2);
        var folds = Folds(whole.Rows, s.Folds.Seed, s.Folds.Count);
        if (!classify) return await new CrossValidator(local).RunAsync(whole, null, folds, grid, s.Settings);
        var classes = ClassLabels.FromTraining(whole.TargetNames[0], whole.Y);
        return await new CrossValidator(local).RunAsync(ClassificationData.Encode(whole, classes), (classes, whole.Y), folds, grid, s.Settings);
    }

    private static void AssertClose(CrossValidationResult inMemory, PartitionedCrossValidationOutcome partitioned, double relative)
    {
        for (int g = 0; g < partitioned.Scores.Length; g++)
            for (int f = 0; f < partitioned.Scores[g].Length; f++)
            {
                double e = inMemory.Points[g].FoldScores[f], a = partitioned.Scores[g][f];
                Assert.True(Math.Abs(a - e) <= relative * Math.Abs(e), $"grid point {g}, fold {f}: partitioned {a:R}, in memory {e:R}");
            }
    }

    private static void AssertBitwise(CrossValidationResult inMemory, PartitionedCrossValidationOutcome partitioned)
    {
        for (int g = 0; g < partitioned.Scores.Length; g++)
            Assert.Equal(inMemory.Points[g].FoldScores.Select(BitConverter.DoubleToInt64Bits), partitioned.Scores[g].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Exact_KRR_is_bitwise_the_in_memory_cross_validation_with_each_folds_own_preprocessing()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 31, 150, 100, 170);
        var settings = new FitSettings { KernelSpec = "ntk", Lambda = 1, Exact = true, Standardize = true, ScaleTarget = true };
        var s = PartitionedCrossValidationTests.Submission(train, settings, folds: 3, cvSeed: 4, ["rbf:gamma=0.5", "laplace:gamma=0.3"], [1e-3, 0.1, 1]);
        var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
        var inMemory = await InMemoryAsync(Whole(train, 3), s);
        AssertBitwise(inMemory, outcome);
        Assert.Equal(Enumerable.Range(0, 3).Select(f => (long)Folds(420, 4, 3).Count(x => x == f)), outcome.FoldRows);
        Assert.NotEqual(outcome.Scores[0][0], outcome.Scores[2][0]); // λ matters: not vacuous
        Assert.Null(outcome.Classes);
    }

    [Fact]
    public async Task Exact_classification_gives_bitwise_the_in_memory_accuracies()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.02", Lambda = 0.01, Exact = true, Standardize = true };
        var s = Classify(PartitionedCrossValidationTests.Submission(train, settings, folds: 3, cvSeed: 2, ["rbf:gamma=0.02", "rbf:gamma=0.005"], [0.01, 1]));
        var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
        Assert.Equal(Enumerable.Range(0, 10).Select(l => (long)l), outcome.Classes!.Labels);
        var inMemory = await InMemoryAsync(Whole(train, 3), s, classify: true);
        AssertBitwise(inMemory, outcome);
        Assert.All(outcome.Scores.SelectMany(g => g), a => Assert.InRange(a, 0.3, 1.0)); // accuracies, not MSEs (chance: 0.1)
        var result = PartitionedCrossValidation.ResultOf(
            s.KernelSpecs.SelectMany(k => s.Lambdas.Select(l => new GridPoint(k, l))).ToArray(), outcome);
        Assert.True(result.HigherIsBetter);
        Assert.Equal(inMemory.Chosen.Point, result.Chosen.Point);
    }

    [Fact]
    public async Task Pooled_confusion_matrices_are_the_in_memory_cross_validations_for_every_grid_point()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.02", Lambda = 0.01, Exact = true, Standardize = true };
        var s = Classify(PartitionedCrossValidationTests.Submission(train, settings, folds: 3, cvSeed: 2, ["rbf:gamma=0.02", "rbf:gamma=0.005"], [0.01, 1]));
        var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
        var inMemory = await InMemoryAsync(Whole(train, 3), s, classify: true);
        var result = PartitionedCrossValidation.ResultOf(s.KernelSpecs.SelectMany(k => s.Lambdas.Select(l => new GridPoint(k, l))).ToArray(), outcome);
        Assert.Equal(inMemory.Points.Count, result.Points.Count);
        for (int g = 0; g < result.Points.Count; g++)
        {
            var expected = inMemory.Points[g].Pooled!;
            var actual = result.Points[g].Pooled!;
            Assert.Equal(expected.Confusion, actual.Confusion);
            Assert.Equal((expected.Correct, expected.Rows), (actual.Correct, actual.Rows));
            // Every row held out once: the pooled matrix counts all of them, and its diagonal is the folds' correct rows.
            Assert.Equal(outcome.Rows, actual.Confusion!.Sum());
            Assert.Equal(outcome.Scores[g].Select((a, f) => (long)Math.Round(a * outcome.FoldRows[f])).Sum(), actual.Correct);
        }
        // The per-class table and macro-F1 of the chosen point are then the in-memory ones too.
        var m = ClassMetrics.Of(outcome.Classes!, result.Chosen.Pooled!.Confusion!);
        Assert.Equal(ClassMetrics.Of(outcome.Classes!, inMemory.Chosen.Pooled!.Confusion!).MacroF1, m.MacroF1);
        Assert.Null(outcome.TrainBaseline);
    }

    [Fact]
    public async Task The_regression_baseline_is_the_in_memory_predict_the_mean_MSE_on_both_paths()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 31, 150, 100, 170);
        var whole = Whole(train, 3);
        double expected = NtkCluster.Numerics.Evaluation.Metrics.MeanBaselineSquaredError(whole.Y);
        // The fold-fit path (exact KRR) and the one-pass path (plain random features).
        var exact = PartitionedCrossValidationTests.Submission(train, new FitSettings { KernelSpec = "ntk", Lambda = 1, Exact = true },
            folds: 3, cvSeed: 4, ["rbf:gamma=0.5"], [1e-3, 0.1]);
        var onePass = PartitionedCrossValidationTests.Submission(train, new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 20, Seed = 3, Standardize = true },
            folds: 3, cvSeed: 4, ["rbf:gamma=0.5"], [1e-3, 0.1]);
        foreach (var s in new[] { exact, onePass })
        {
            var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
            Assert.True(Math.Abs(outcome.TrainBaseline!.Value - expected) <= 1e-12 * expected, $"{outcome.TrainBaseline:R} vs {expected:R}");
            Assert.Null(outcome.Pooled);
        }
        Assert.InRange(expected, 0.5, 10); // a real spread of y = sin(x1) + x2², not a degenerate one
    }

    [Fact]
    public async Task Random_feature_classification_gives_the_in_memory_accuracies()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var s = Classify(PartitionedCrossValidationTests.Submission(train, PartitionedClassifyTests.Features, folds: 3, cvSeed: 8,
            ["rbf:gamma=0.02"], [0.01, 0.5]));
        var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
        var inMemory = await InMemoryAsync(Whole(train, 3), s, classify: true);
        // The same draws and ±1 targets; the standardization comes from merged per-partition moments and the Grams from
        // per-partition blocks, so the scores could differ by an arg-max the last bits flip: at most one row per fold.
        for (int g = 0; g < outcome.Scores.Length; g++)
            for (int f = 0; f < 3; f++)
                Assert.True(Math.Abs(outcome.Scores[g][f] - inMemory.Points[g].FoldScores[f]) * outcome.FoldRows[f] <= 1.0 + 1e-9,
                    $"grid point {g}, fold {f}: {outcome.Scores[g][f]} vs {inMemory.Points[g].FoldScores[f]}");
        Assert.All(outcome.Scores.SelectMany(g => g), a => Assert.InRange(a, 0.5, 1.0));
    }

    [Fact]
    public async Task Exact_leverage_sampling_and_the_dual_form_fit_the_in_memory_folds_models()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 12, 140, 90, 170);
        var whole = Whole(train, 3);
        // Leverage (auto: exact scores up to 4000 rows) of each fold's training rows only, as the in-memory fit scores them.
        var leverage = PartitionedCrossValidationTests.Submission(train,
            new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 30, Seed = 5, Sampling = FeatureSampling.Leverage, Standardize = true },
            folds: 3, cvSeed: 6, ["rbf:gamma=0.5"], [1e-3, 0.1]);
        // 300 draws of d2 = 3 columns: more than any fold's ~270 training rows, so every fold's fit is dual.
        var dual = PartitionedCrossValidationTests.Submission(train, new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 300, Seed = 5 },
            folds: 3, cvSeed: 6, ["rbf:gamma=0.5"], [1e-3, 0.1]);
        foreach (var s in new[] { leverage, dual })
        {
            var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);
            // The gathered rows are fitted exactly as in memory (bitwise the same model); only the held-out errors are
            // summed per partition instead of over one matrix.
            AssertClose(await InMemoryAsync(whole, s), outcome, 1e-12);
            Assert.NotEqual(outcome.Scores[0][0], outcome.Scores[1][0]);
        }
    }

    [Fact]
    public async Task Scalable_leverage_features_of_a_fold_never_see_its_held_out_rows()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 40, 300, 200, 250);
        var settings = new FitSettings
        {
            KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 20, Seed = 3, Sampling = FeatureSampling.Leverage,
            LeverageMode = LeverageScoring.Scalable, PoolSize = 500, Standardize = true,
        };
        var s = PartitionedCrossValidationTests.Submission(train, settings, folds: 3, cvSeed: 9, ["rbf:gamma=0.5"], [0.05]);
        var outcome = await PartitionedCrossValidationTests.InProcessAsync(s);

        // The same dataset with every row of fold 0 replaced: fold 0's model (draws, coefficients, preprocessing) is unchanged.
        string changed = Path.Combine(_dir.Path, "changed");
        Directory.CreateDirectory(changed);
        long first = 0;
        for (int i = 0; i < 3; i++)
        {
            var lines = File.ReadAllLines(Path.Combine(train, $"part-{i:D5}.csv"));
            for (int r = 1; r < lines.Length; r++, first++)
                if (RowHash.Fold(9, first, 3) == 0)
                    lines[r] = string.Join(",", lines[r].Split(',').Select(v => (double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) * 3 + 1)
                        .ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            File.WriteAllLines(Path.Combine(changed, $"part-{i:D5}.csv"), lines);
        }
        var fitter = new KrrFitter(new InProcessBlockRounds(2));
        async Task<FitOutcome> FoldZeroAsync(string dir)
        {
            var data = PartitionedDataset.Resolve(dir);
            return await fitter.FitPartitionedEvaluatedAsync("fold0", dir, data.Partitions, PartitionColumns.ForTraining(data, null, null), null,
                RowSplit.OfFold(null, s.Folds, 0, held: false), settings);
        }
        var original = await FoldZeroAsync(train);
        var perturbed = await FoldZeroAsync(changed);
        Assert.Equal("scalable", original.Model.Leverage!.Mode);
        Assert.Equal(PartitionedFitTests.ModelBytes(original.Model), PartitionedFitTests.ModelBytes(perturbed.Model));
        Assert.NotEqual(original.TestMse, perturbed.TestMse); // its held-out rows did change
        // The cross-validation's fold 0 is that fit, scored on the held-out fold.
        Assert.Equal(BitConverter.DoubleToInt64Bits(original.TestMse!.Value), BitConverter.DoubleToInt64Bits(outcome.Scores[0][0]));
        Assert.Equal(original.TestRows, outcome.FoldRows[0]);
    }

    [Fact]
    public async Task Exact_KRR_beyond_the_memory_limit_is_refused_as_ntk_fit_refuses_it_before_any_row_is_gathered()
    {
        // Each of 2 folds trains on about half the rows: just more than exact KRR's three n×n matrices allow on this machine.
        int limit = (int)Math.Sqrt(NtkCluster.Numerics.Solvers.MemoryBudget.AvailableBytes / 24.0);
        int rows = 2 * (limit + 2000);
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, rows / 2, rows - rows / 2);
        var s = PartitionedCrossValidationTests.Submission(train, new FitSettings { KernelSpec = "ntk", Lambda = 0.1, Exact = true }, 2, 0, ["ntk"], [1]);
        var stages = new System.Collections.Concurrent.ConcurrentBag<string>();
        var cv = new PartitionedCrossValidator(new InProcessBlockRounds(2, update => stages.Add(update.Stage)));
        var error = await Assert.ThrowsAsync<ResourceLimitException>(() =>
            cv.RunAsync("big", s.TrainSource, s.Train, s.Columns, s.Split, s.Folds, s.KernelSpecs, s.Lambdas, s.Settings));
        // The fit's own refusal (FitPlanner), for the fold's training rows.
        Assert.Matches(@"^exact KRR on n=\d+ rows \(n×n kernel matrix\) needs about .*; use --solver features --features M \(random features need only M·d2 squared\)$",
            error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("row partitions", stages);
    }
}

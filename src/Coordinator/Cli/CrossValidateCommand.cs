using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Validation;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk cv</c>: k-fold cross-validation of λ and the kernel's gamma over a grid, then optionally a refit.</summary>
public static class CrossValidateCommand
{
    public static readonly string[] ValueOptions = [.. FitOptions.ValueOptions, "gamma", "folds", "cv-seed", "task", "model", "rows"];

    public static readonly string[] Flags = [.. FitOptions.Flags, "json", "refit", "stratify"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk cv --train FILE|DIR|'GLOB' [--test FILE|DIR|'GLOB' | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                      [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                      --kernel rbf|laplace [--gamma GRID] | --kernel SPEC   --lambda GRID  [--folds K] [--cv-seed S]
                      [--task regress|classify [--stratify]] [--solver exact|features] [--features M] [--sampling plain|leverage] [--seed S]
                      [--leverage auto|exact|scalable|subsample] [--pool P] [--first-stage S]
                      [--standardize] [--scale-target] [--normalize] [--refit] [--model OUT] [--workers N] [--block-timeout S] [--json] [--quiet] [--verbose]
                      [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        Every fold's fit is an ordinary fit job (sharded over the workers on a cluster) with the other options as in
        ntk fit; preprocessing is fitted on each fit's own training folds. Score: held-out MSE (regression, lower is
        better) or accuracy (classify, higher is better); the table shows mean ± population sd over the folds. The
        chosen point has the best mean; ties go to the first in grid order (gamma outer, λ inner, as listed).
        --test / --test-fraction rows are never used for the choice, only to score the refit. A directory or quoted
        glob of parts is cross-validated per partition: a row's fold is a hash of (--cv-seed, its row index). Plain
        random features (regression, primal) share one pass of fold Grams, with preprocessing from all the
        cross-validated rows; classify, leverage, exact and dual fit each fold on its own rows, as ntk fit --train DIR.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["lambda"] = new("GRID", "λ values: a list 1e-4,1e-3,0.01 or a log-spaced range A..B:N\n" +
                                     "(1e-4..1e1:6 = 1e-4, 1e-3, …, 10) (required)"),
        ["kernel"] = new("K", "rbf or laplace with --gamma GRID, or one full spec (rbf:gamma=0.1, ntk) to search λ alone\n" +
                                  "(required)"),
        ["gamma"] = new("GRID", "gamma values of rbf/laplace, same syntax as --lambda (default: none, with a full --kernel spec)"),
        ["folds"] = new("K", "number of folds (default 5)", OptionKind.Integer),
        ["cv-seed"] = new("S", "seed of the shuffle that cuts the rows into folds (default 0)", OptionKind.Seed),
        ["refit"] = new("", "fit the chosen point on all training rows and report its train (and test) score (default: off)"),
        ["model"] = new("OUT", "write that refitted model, atomically (implies --refit) (default: not written)"),
        ["json"] = new("", "print a JSON summary as the last line of stdout: grid, chosen, refit (default: off)"),
    },
        "ntk cv --train digits.csv --test-fraction 0.2 --task classify --kernel rbf --gamma 1e-3..1e-2:3 --lambda 1e-4..1:5 --refit",
        "ntk cv --train data.csv --kernel ntk --lambda 1e-3,1e-2,0.1,1 --standardize --normalize --json");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var grid = ReadGrid(a);
        var options = FitOptions.Read(a, gridPoint: (grid[0].KernelSpec, grid[0].Lambda));
        bool classify = TaskOption.IsClassify(a, options.Data);
        long folds = a.Integer("folds") ?? 5;
        if (folds < 2 || folds > 100) throw new UsageException($"--folds must be between 2 and 100, got {folds}");
        ulong cvSeed = a.Seed("cv-seed") ?? 0;
        string? modelPath = a.Text("model");
        if (modelPath is not null) FitCommand.EnsureDirectory(modelPath);
        bool refit = a.Has("refit") || modelPath is not null;
        // A directory or glob: folds by a hash of the row index, every round per partition (PartitionedCrossValidation).
        if (PartitionedData.Applies(options))
            return await PartitionedCrossValidation.RunAsync(a, options, grid, classify, (int)folds, cvSeed, refit, modelPath, stdout, stderr);

        var held = new HeldNotes("cv");
        ClassificationData? labelled = classify ? ClassificationData.Load(options.Data, held.Writer, "cv") : null;
        var (train, test, fills) = labelled is null ? options.Data.LoadDataAndFills(held.Note)
            : (labelled.Train, labelled.Test, labelled.Fills);
        var s = options.Settings;
        NtkCluster.Numerics.Solvers.FitPlanner.Plan(s.Exact, train.Rows,
            s.Exact ? 0 : NtkCluster.Numerics.Solvers.FitPlanner.FeatureColumns(s.Features,
                KernelSpec.Parse(s.KernelSpec).DrawDimension(train.FeatureNames.Length), KernelSpec.Parse(s.KernelSpec).FeatureDimension(train.FeatureNames.Length)));
        // --stratify: every class spread over the folds as evenly as its count allows (StratifiedKFold's counts).
        var assignment = labelled is not null && options.Data.Stratify
            ? KFolds.AssignStratified(labelled.TrainLabels, (int)folds, cvSeed)
            : KFolds.Assign(train.Rows, (int)folds, cvSeed);
        stderr.WriteLine("ntk cv: " + (labelled is null
                             ? DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)
                             : DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, labelled.Classes, options.Data.Targets is not null)) + ", " +
                         $"{folds} folds (seed {cvSeed}), " +
                         $"{grid.Count} grid points = {grid.Count * folds} fits{(options.Data.Stratify ? ", stratified by class" : "")}, {options.Data.Where}");
        held.WriteTo(stderr);

        await using var runner = await options.Data.StartRunnerAsync("cv", stderr);
        // Every held-out score is a note (--verbose) and a count of the command's own stage, which stands for the fits'
        // stages in a log: one line at its end (and every 30 s), not a few per fit.
        long total = grid.Count * folds, scored = 0;
        RenderedJobRunner.ReportOverall(runner, ProgressUpdate.Count("fold scores", 0, total, "scores"));
        var result = await new CrossValidator(runner, line =>
            {
                RenderedJobRunner.Note(runner, line);
                RenderedJobRunner.ReportOverall(runner, ProgressUpdate.Count("fold scores", ++scored, total, "scores"));
            })
            .RunAsync(train, labelled is null ? null : (labelled.Classes, labelled.TrainLabels), assignment, grid, s);

        FitOutcome? final = null;
        ClassifierOutcome? classified = null;
        if (refit)
        {
            final = await runner.RunAsync<FitOutcome>(new SubmitFit(train, test,
                s with { KernelSpec = result.Chosen.Point.KernelSpec, Lambda = result.Chosen.Point.Lambda }));
            if (labelled is not null) classified = await ClassifierOutcome.ScoreAsync(runner, final, labelled);
            if (modelPath is not null)
            {
                var model = classified?.Model ?? final.Model;
                if (options.Data.Missing != MissingPolicy.Refuse) model = model.WithPreprocessing(model.Preprocessing.WithMissing(options.Data.Missing, fills));
                if (train.Categorical is not null) model = model.WithPreprocessing(model.Preprocessing.WithCategorical(train.Categorical));
                ModelFile.Save(model, modelPath);
            }
        }

        Print(a, options, grid, result, (int)folds, cvSeed, train.Rows, test?.Rows, final, classified, labelled, modelPath, "", stdout,
            scores: labelled is null ? RegressionScores.Of(train.Y, test?.Y) : null, stderr: stderr);
        return 0;
    }

    /// <summary>The results table, the chosen point, the refit and the JSON line: the same for in-memory and partitioned data.</summary>
    /// <param name="foldText">How the folds were cut, for the header line: "folds" (a seeded shuffle) or "folds by row hash".</param>
    internal static void Print(ParsedOptions a, FitOptions options, IReadOnlyList<GridPoint> grid, CrossValidationResult result, int folds,
        ulong cvSeed, long? trainRows, long? testRows, FitOutcome? final, ClassifierOutcome? classified, ClassificationData? labelled,
        string? modelPath, string foldText, TextWriter stdout, ClassLabels? classes = null, RegressionScores? scores = null, TextWriter? stderr = null)
    {
        scores ??= RegressionScores.None;
        var s = options.Settings;
        // In-memory classification brings its labelled data; a partitioned one only the classes its folds found.
        classes ??= labelled?.Classes;
        bool classify = classes is not null;
        if (foldText.Length == 0) foldText = "folds";
        string metric = result.HigherIsBetter ? "accuracy" : "test MSE";
        stdout.WriteLine($"{folds}-fold cross-validation on {trainRows} training rows ({foldText} from seed {cvSeed}); score: held-out {metric} " +
                         $"({(result.HigherIsBetter ? "higher" : "lower")} is better), mean ± sd over folds");
        int width = Math.Max(6, grid.Max(p => p.KernelSpec.Length));
        stdout.WriteLine($"{"kernel".PadRight(width)} {"lambda",10} {"mean",12} {"sd",10}");
        foreach (var p in result.Points)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Point.KernelSpec.PadRight(width)} {G(p.Point.Lambda),10} {G(p.Mean),12} {G(p.Sd),10}{(ReferenceEquals(p, result.Chosen) ? "  <- chosen" : "")}"));
        // R² of the chosen point: its mean held-out MSE against predicting the mean of all training rows.
        double? chosenR2 = result.HigherIsBetter ? null : scores.TrainR2(result.Chosen.Mean);
        stdout.WriteLine($"chosen: kernel {result.Chosen.Point.KernelSpec}, lambda {G(result.Chosen.Point.Lambda)} " +
                         $"(mean {metric} {G(result.Chosen.Mean)} ± {G(result.Chosen.Sd)}" +
                         (chosenR2 is double r2 ? $", R² {G(r2)} against the predict-the-mean MSE {G(scores.TrainBaseline!.Value)}" : "") +
                         $"), {result.Seconds:0.00} s");
        // A choice at the end of the grid may be no optimum at all: say so, even with --quiet (a warning).
        var edges = GridEdge.Of(grid, result.Chosen.Point);
        foreach (var edge in edges) stderr?.WriteLine($"ntk cv: warning: {edge.Text}");
        if (final is not null)
            stdout.WriteLine($"refit on all {(trainRows is long r ? r.ToString(CultureInfo.InvariantCulture) + " " : "")}training rows: " + (classified is not null ? classified.SummaryText()
                : scores.TrainText(final.TrainMse) + (final.TestMse is double t ? $"; {scores.TestText(t)}" : "")));
        if (classes is not null && result.Chosen.Pooled?.Confusion is { } pooled)
            stdout.Write(ClassMetrics.Of(classes, pooled).Table($"chosen point, held-out rows of all {folds} folds pooled"));
        if (classified is not null) stdout.Write(classified.MetricsText().Replace(": confusion", ", refit: confusion", StringComparison.Ordinal));
        if (modelPath is not null) stdout.WriteLine($"model written to {modelPath}");
        if (a.Has("json"))
        {
            var gridJson = JsonLine.Array(result.Points.Select(p => (object?)PointJson(p)));
            JsonLine? refitJson = final is null ? null : new JsonLine()
                .Add("train_accuracy", classified?.Train.Accuracy).Add("test_accuracy", classified?.Test?.Accuracy)
                .Add("train_mse", final.TrainMse).Add("test_mse", final.TestMse)
                .Add("train_r2", classify ? null : scores.TrainR2(final.TrainMse)).Add("test_r2", classify ? null : scores.TestR2(final.TestMse))
                .Add("train_metrics", classified is null ? null : ClassifierOutcome.MetricsJson(classified.Model.Classes!, classified.Train))
                .Add("test_metrics", classified is null ? null : ClassifierOutcome.MetricsJson(classified.Model.Classes!, classified.Test))
                .Add("seconds", final.Seconds);
            stdout.WriteLine(new JsonLine()
                .Add("command", "cv").Add("task", classify ? "classify" : "regress").Add("metric", result.Metric).Add("folds", folds)
                .Add("cv_seed", cvSeed).Add("n_train", trainRows).Add("n_test", testRows)
                .Add("solver", s.Exact ? "exact" : "features").Add("features", s.Features).Add("fold_assignment", foldText == "folds" ? "shuffle" : "row-hash")
                .Add("classes", classes is null ? null : ClassifierOutcome.ClassesJson(classes))
                .Add("stratified", options.Data.Stratify)
                .Add("cv_metrics", classes is null ? null : ClassifierOutcome.MetricsJson(classes, result.Chosen.Pooled))
                .Add("grid", gridJson).Add("chosen", PointJson(result.Chosen)).Add("chosen_r2", chosenR2)
                .Add("chosen_at_edge", JsonLine.Array(edges.Select(e => (object?)new JsonLine()
                    .Add("parameter", e.Parameter).Add("value", e.Value).Add("side", e.Upper ? "upper" : "lower"))))
                .Add("train_baseline_mse", classify ? null : scores.TrainBaseline).Add("test_baseline_mse", classify ? null : scores.TestBaseline)
                .Add("refit", refitJson)
                .Add("seconds", result.Seconds).Add("model", modelPath).Add("backend", DenseBackend.Current.Name)
                .Add("cluster", options.Data.Cluster?.ToString()).Add("version", ProgramInfo.Version).ToString());
        }
    }

    /// <summary>The grid: kernels (one spec, or one per --gamma value) outer, λ inner, each in the order given.</summary>
    public static IReadOnlyList<GridPoint> ReadGrid(ParsedOptions a)
    {
        string kernelText = a.RequiredText("kernel").Trim();
        string lambdaText = a.Text("lambda") ?? throw new UsageException("'ntk cv' needs --lambda GRID (a list 1e-3,1e-2 or a range 1e-4..1e1:6)");
        var lambdas = GridValues.Parse("lambda", lambdaText);
        string[] specs;
        if (a.Text("gamma") is string gammaText)
        {
            if (kernelText.Contains(':'))
                throw new UsageException($"give gamma either in --kernel ({kernelText}) or as --gamma GRID, not both");
            string name = kernelText.ToLowerInvariant();
            if (name is not ("rbf" or "laplace" or "laplacian"))
                throw new UsageException($"--gamma goes with --kernel rbf or laplace, not '{kernelText}'");
            specs = GridValues.Parse("gamma", gammaText).Select(g => KernelSpec.Parse($"{name}:gamma={GridValues.Format(g)}").Spec).ToArray();
        }
        else
        {
            if (kernelText.ToLowerInvariant() is "rbf" or "laplace" or "laplacian")
                throw new UsageException($"--kernel {kernelText} needs --gamma GRID (e.g. --gamma 1e-3..1e-1:3) or a fixed gamma ({kernelText}:gamma=0.1)");
            specs = [KernelSpec.Parse(kernelText).Spec];
        }
        return specs.SelectMany(k => lambdas.Select(l => new GridPoint(k, l))).ToArray();
    }

    internal static JsonLine PointJson(GridPointResult p) => new JsonLine()
        .Add("kernel", p.Point.KernelSpec).Add("lambda", p.Point.Lambda).Add("mean", p.Mean).Add("sd", p.Sd)
        .Add("scores", JsonLine.Array(p.FoldScores.Cast<object?>()));

    internal static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

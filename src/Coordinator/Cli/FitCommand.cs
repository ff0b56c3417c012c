using System.Globalization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Diagnostics;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk fit</c>: fits exact KRR or a random-feature ridge model on the local cluster.</summary>
public static class FitCommand
{
    public static readonly string[] ValueOptions = [.. FitOptions.ValueOptions, "model", "task", "rows"];

    public static readonly string[] Flags = [.. FitOptions.Flags, "json", "stream", "stratify"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk fit --train FILE|DIR|'GLOB' [--test FILE|DIR|'GLOB' | --test-fraction F [--split-seed S]] [--target COL[,COL...]] [--columns A,B,...]
                       [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                       --kernel SPEC --lambda L [--solver exact|features] [--features M] [--sampling plain|leverage]
                       [--seed S] [--workers N] [--standardize] [--scale-target] [--normalize]
                       [--leverage auto|exact|scalable|subsample] [--pool P] [--first-stage S] [--task regress|classify [--stratify]] [--model OUT] [--json]
                       [--block-timeout S] [--stream] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        Fits exact kernel ridge regression or random-feature ridge regression (primal through ΨᵀΨ when M·d2 <= n, else
        dual through ΨΨᵀ) and prints the training and test MSE; progress goes to stderr, results to stdout. A directory
        or quoted glob of CSV or Parquet parts is fitted partition by partition (plain random features, primal form).
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["json"] = new("", "print a JSON summary as the last line of stdout: train_mse, test_mse, seconds, solver, …\n" +
                               "(default: off)"),
        ["stream"] = new("", "read the training (and test) file in blocks of 1024 rows instead of loading it: memory\n" +
                                 "no longer grows with the rows. Needs --solver features, --sampling plain, M·d2 <= n and\n" +
                                 "--test FILE; local only (default: off; automatic for training files over 16 MiB; a directory or\n" +
                                 "glob is always read in blocks, so there it changes nothing)"),
    },
        "ntk fit --train data.csv --test-fraction 0.2 --kernel rbf:gamma=0.1 --lambda 0.01 --features 400 --standardize",
        "ntk fit --train data.csv --kernel ntk --lambda 0.1 --solver exact --standardize --normalize --model model.json --json");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var options = FitOptions.Read(a);
        bool classify = TaskOption.IsClassify(a, options.Data);
        string? modelPath = a.Text("model");
        if (modelPath is not null) EnsureDirectory(modelPath);
        // A directory or glob: every round per partition, read where it runs (on a cluster, by the workers).
        if (PartitionedData.Applies(options)) return await RunPartitionedAsync(a, options, classify, modelPath, stdout, stderr);
        // A streamed fit reads its file where it runs, so under --cluster the data set is read here and shipped whole.
        if (options.Data.Cluster is not null && a.Has("stream"))
            throw new UsageException("--stream runs locally only (the fit reads the file block by block where it runs); under --cluster the data " +
                                     "set is read here and shipped to the coordinator whole: drop --stream, or drop --cluster");
        // Classification is never streamed (its labels are encoded in memory), not even for files over the auto-streaming size.
        var streamed = options.Data.Cluster is not null || classify ? null
            : StreamedData.Prepare(options, a.Has("stream"), note => stderr.WriteLine($"ntk fit: note: {note}"));
        FitOutcome outcome;
        ClassifierOutcome? classified = null;
        double[]? missingFills = null;
        CategoricalColumn[]? categorical = null;
        var scores = RegressionScores.None;
        int trainRows;
        int? testRows;
        int window;
        if (streamed is not null)
        {
            (trainRows, testRows) = (streamed.TrainRows, streamed.Test is null ? null : streamed.TestRows);
            stderr.WriteLine($"ntk fit: {DataLine.Of(options.Data.TrainPath, trainRows, streamed.Train.FeatureNames.Length, streamed.Train.TargetNames, options.Data.Targets is not null)}, streamed in blocks of " +
                             $"{streamed.Train.BlockSize} rows" + (testRows is int st ? $", {st} test rows" : "") + $", {options.Data.Where}");
            await using var runner = await options.Data.StartRunnerAsync("fit", stderr, inProcess: true);
            outcome = await runner.RunAsync<FitOutcome>(streamed.Submission(options.Settings));
            window = runner.Window;
        }
        else
        {
            var held = new HeldNotes("fit");
            ClassificationData? labelled = classify ? ClassificationData.Load(options.Data, held.Writer, "fit") : null;
            var (train, test, fills) = labelled is null ? options.Data.LoadDataAndFills(held.Note, notice: held.Notice)
                : (labelled.Train, labelled.Test, labelled.Fills);
            missingFills = fills;
            categorical = train.Categorical;
            StageTimer.Mark("test file parsed, datasets built");
            if (labelled is null) scores = RegressionScores.Of(train.Y, test?.Y);
            (trainRows, testRows) = (train.Rows, test?.Rows);
            // Refuse jobs too large for memory now, before any cluster starts or progress is printed. (On a cluster the
            // coordinator holds these matrices; the same limits are the best guess this side has.)
            var kernel = NtkCluster.Numerics.Kernels.KernelSpec.Parse(options.Settings.KernelSpec);
            NtkCluster.Numerics.Solvers.FitPlanner.Plan(options.Settings.Exact, train.Rows,
                options.Settings.Exact ? 0 : NtkCluster.Numerics.Solvers.FitPlanner.FeatureColumns(options.Settings.Features,
                    kernel.DrawDimension(train.FeatureNames.Length), kernel.FeatureDimension(train.FeatureNames.Length)));
            if (!options.Settings.Exact && options.Settings.Sampling == FeatureSampling.Leverage && FeatureSampler.ResolveMode(options.Settings.LeverageMode, train.Rows) == "exact")
                NtkCluster.Numerics.Solvers.MemoryBudget.EnsureFits(NtkCluster.Numerics.Solvers.MemoryBudget.DenseBytes(train.Rows, train.Rows, 4),
                    $"exact leverage scores on n={train.Rows} rows (n×n (K+λI)⁻¹)", "use --leverage scalable");
            stderr.WriteLine("ntk fit: " + (labelled is null
                                 ? DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)
                                 : DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, labelled.Classes, options.Data.Targets is not null)) +
                             (test is null ? "" : $", {test.Rows} test rows") + $", {options.Data.Where}");
            held.WriteTo(stderr);
            await using (var runner = await options.Data.StartRunnerAsync("fit", stderr, inProcess: true))
            {
                StageTimer.Mark("job runner started");
                outcome = await runner.RunAsync<FitOutcome>(new SubmitFit(train, test, options.Settings));
                StageTimer.Mark("fit job answered");
                if (labelled is not null) classified = await ClassifierOutcome.ScoreAsync(runner, outcome, labelled);
                window = runner.Window;
            }
            StageTimer.Mark("job runner stopped");
        }
        CheckErrorsFinite(outcome);
        if (modelPath is not null)
        {
            var model = classified?.Model ?? outcome.Model;
            // The fit ran on rows already filled (or dropped): the model remembers how, so predict fills the same way.
            if (options.Data.Missing != MissingPolicy.Refuse) model = model.WithPreprocessing(model.Preprocessing.WithMissing(options.Data.Missing, missingFills));
            // The fit ran on one-hot columns: the model keeps their encoding, so predict encodes new rows the same way.
            if (categorical is not null) model = model.WithPreprocessing(model.Preprocessing.WithCategorical(categorical));
            ModelFile.Save(model, modelPath);
        }
        Print(a, options, outcome, classified, classify, modelPath, trainRows, testRows, window, streamed is not null, stdout, scores);
        return 0;
    }

    /// <summary>
    /// A fit of a partitioned dataset (<see cref="PartitionedData"/>): the partitions' descriptors go to the job, which
    /// reads them where its rounds run. <c>--stream</c> changes nothing here: partitions are always read block by block.
    /// </summary>
    private static async Task<int> RunPartitionedAsync(ParsedOptions a, FitOptions options, bool classify, string? modelPath,
        TextWriter stdout, TextWriter stderr)
    {
        var data = PartitionedData.Prepare(options, classify, note => stderr.WriteLine($"ntk fit: note: {note}"));
        stderr.WriteLine($"ntk fit: {PartitionedData.Describe(data.Train)} × {data.Columns.FeatureNames.Length} features, {DataLine.Target(data.Columns.TargetNames, options.Data.Targets is not null)}" +
                         (data.Test is null ? "" : $", test {PartitionedData.Describe(data.Test)}") +
                         PartitionedData.Delivery(options.Data) + $", {options.Data.Where}");
        FitOutcome outcome;
        int window;
        await using (var runner = await options.Data.StartRunnerAsync("fit", stderr))
        {
            outcome = await runner.RunAsync<FitOutcome>(data.Submission(options.Settings));
            window = runner.Window;
        }
        ClassifierOutcome? classified = outcome.Classification is { } c ? new ClassifierOutcome(outcome.Model, c.Train, c.Test) : null;
        if (classified?.Test is { Unseen: > 0 } unseen)
            // Text labels of partitions are read as codes: an unseen one is known to be unseen, not by name.
            stderr.WriteLine($"ntk fit: notice: {unseen.Unseen} test row(s) have labels not seen in training" +
                             (outcome.Model.Classes!.IsText ? "" : $" ({ClassifierOutcome.ListText(unseen.UnseenLabels)})") + "; they count as errors");
        CheckErrorsFinite(outcome);
        if (modelPath is not null) ModelFile.Save(outcome.Model, modelPath);
        // The job counts the rows as it reads them (CSV parts have no footer counts; a split decides row by row).
        long? trainRows = outcome.TrainRows ?? (data.Split is null ? data.Train.RowCount : null);
        long? testRows = outcome.TestRows ?? data.Test?.RowCount;
        Print(a, options, outcome, classified, classify, modelPath, trainRows, testRows, window, streamed: true, stdout, RegressionScores.None);
        return 0;
    }

    private static void Print(ParsedOptions a, FitOptions options, FitOutcome outcome, ClassifierOutcome? classified, bool classify,
        string? modelPath, long? trainRows, long? testRows, int window, bool streamed, TextWriter stdout, RegressionScores scores)
    {
        var m = outcome.Model;
        stdout.WriteLine($"solver {(m.IsExact ? "exact" : "features")} ({m.Formulation.ToString().ToLowerInvariant()}), kernel {m.Kernel.Spec}, lambda {F(m.Lambda)}" +
                         (m.IsExact ? "" : $", {m.FeatureCount} draws ({m.Draws!.ColumnCount} feature columns), sampling {SamplingText(m)}, seed {m.Seed}"));
        if (classified is not null)
        {
            var c = classified.Model.Classes!;
            stdout.WriteLine($"task classify: {c.Count} {(c.IsText ? "text " : "")}classes in '{c.Column}' ({ClassifierOutcome.ListText(c)}), one-vs-rest ±1 targets, arg-max prediction");
            stdout.WriteLine(classified.SummaryText() + $", {outcome.Seconds:0.00} s");
            stdout.Write(classified.MetricsText());
        }
        else stdout.WriteLine(scores.TrainText(outcome.TrainMse) + (outcome.TestMse is double t ? $"; {scores.TestText(t)}" : "") + $"; {outcome.Seconds:0.00} s");
        if (modelPath is not null) stdout.WriteLine($"model written to {modelPath}");
        if (a.Has("json"))
        {
            stdout.WriteLine(new JsonLine()
                .Add("command", "fit").Add("task", classify ? "classify" : "regress")
                .Add("train_accuracy", classified?.Train.Accuracy).Add("test_accuracy", classified?.Test?.Accuracy)
                .Add("classes", classified is null ? null : ClassifierOutcome.ClassesJson(classified.Model.Classes!))
                .Add("train_metrics", classified is null ? null : ClassifierOutcome.MetricsJson(classified.Model.Classes!, classified.Train))
                .Add("test_metrics", classified is null ? null : ClassifierOutcome.MetricsJson(classified.Model.Classes!, classified.Test))
                .Add("test_unseen", classified?.Test?.Unseen)
                .Add("train_mse", outcome.TrainMse).Add("test_mse", outcome.TestMse)
                .Add("train_r2", classify ? null : scores.TrainR2(outcome.TrainMse)).Add("test_r2", classify ? null : scores.TestR2(outcome.TestMse))
                .Add("train_baseline_mse", classify ? null : scores.TrainBaseline).Add("test_baseline_mse", classify ? null : scores.TestBaseline)
                .Add("seconds", outcome.Seconds).Add("peak_mb", PeakMemory.Megabytes()).Add("solver", m.IsExact ? "exact" : "features")
                .Add("formulation", m.Formulation.ToString().ToLowerInvariant()).Add("kernel", m.Kernel.Spec)
                .Add("lambda", m.Lambda).Add("features", m.FeatureCount).Add("feature_columns", m.Draws?.ColumnCount ?? 0)
                .Add("sampling", m.Sampling).Add("leverage_mode", m.Leverage?.Mode).Add("pool", m.Leverage?.Pool)
                .Add("scoring_rows", m.Leverage is null ? null : outcome.Sampling?.ScoringRows)
                .Add("seed", m.Seed).Add("workers", window)
                .Add("n_train", trainRows).Add("n_test", testRows).Add("streamed", streamed).Add("backend", DenseBackend.Current.Name)
                .Add("model", modelPath).Add("cluster", options.Data.Cluster?.ToString()).Add("version", ProgramInfo.Version).ToString());
        }
    }

    /// <summary>A NaN or infinite error is a failed fit, not a result to print with exit code 0 (issue 15, item 6):
    /// the test data can overflow where the training data did not.</summary>
    private static void CheckErrorsFinite(FitOutcome outcome)
    {
        NonFiniteValueException.ThrowIfNotFinite(outcome.TrainMse, "the training error (MSE)");
        if (outcome.TestMse is double test) NonFiniteValueException.ThrowIfNotFinite(test, "the test error (MSE)");
    }

    /// <summary>
    /// Fails before any work when an output cannot be written — its directory does not exist or is not writable, it
    /// is a directory, the path is empty — not after an hour of fitting (<see cref="AtomicFile.CheckWritable"/>).
    /// </summary>
    public static void EnsureDirectory(string path)
    {
        if (path.Length == 0) throw new UsageException("cannot write '': the path is empty");
        string shown = TextForDisplay.Name(path);
        if (Directory.Exists(path)) throw new UsageException($"cannot write {shown}: it is a directory");
        if (path != "-")
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null && !Directory.Exists(dir))
                throw new UsageException($"cannot write {shown}: directory {TextForDisplay.Name(dir)} does not exist");
        }
        AtomicFile.CheckWritable(path);
    }

    private static string SamplingText(KrrModel m) =>
        m.Leverage is { } l ? $"leverage ({l.Mode} scores, pool {l.Pool})" : m.Sampling;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

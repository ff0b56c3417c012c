using System.Diagnostics;
using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Reports;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk report</c>: runs the sweep and the networks on a CSV and writes figures, their numbers and an HTML and a
/// Markdown report into one directory.
/// </summary>
public static class ReportCommand
{
    // Kept as text so the help below can show them; parsed like the options themselves.
    public const string DefaultFeatures = "25,50,100,200,400", DefaultWidths = "100,400,1600";
    public const string DefaultLambda = "0.1", DefaultNetworkLambda = "0.01";
    public const string DefaultRepeats = "3", DefaultSteps = "auto";

    public static readonly string[] ValueOptions =
    [
        .. DataOptions.ValueOptions, "out", "kernel", "lambda", "features", "repeats", "seed", "leverage", "pool", "exact-rows",
        "widths", "nn-lambda", "kappa", "lr", "steps", "max-steps", "rows", "task",
    ];

    public static readonly string[] Flags = DataOptions.Flags;

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk report --train FILE|DIR|GLOB --out DIR [--test FILE|DIR|GLOB | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                          [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                          [--standardize] [--scale-target] [--normalize] [--task regress|classify]
                          [--kernel SPEC] [--lambda L] [--features M1,M2,...] [--repeats R] [--seed S]
                          [--leverage auto|exact|scalable|subsample] [--pool P] [--exact-rows N]
                          [--widths W1,W2,...] [--nn-lambda L] [--kappa K] [--lr ETA] [--steps T|auto [--max-steps N]]
                          [--workers N] [--block-timeout S] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        Runs, on one data file, the jobs of 'ntk sweep' (plain against leverage random features over a list of M,
        beside exact KRR) and of 'ntk width-sweep' (networks of several widths, Gaussian and leverage initialization,
        against NTK ridge regression, with their training curves), and writes into DIR:

          epsilon-vs-m.svg   ε against M, plain and leverage sampling (log-log)
          error-vs-m.svg     test MSE against M (training MSE without a test set), beside exact KRR
          gap-vs-width.svg   gap ‖u_nn − u*‖/‖u*‖ to NTK ridge regression against width, both initializations
          training-loss.svg, training-gap.svg, kernel-drift.svg
                             loss, gap to u* and kernel drift ‖H(t) − H(0)‖₂/‖H(0)‖₂ during training, at the largest width
          NAME.csv           beside each figure: exactly the numbers it draws; networks.csv: the networks' summary
          report.html        everything in one self-contained page (figures inline, no external resources)
          report.md          the same in Markdown, showing the SVG files
          confusion-matrix.csv
                             with --task classify (one file): the confusion matrix of one-vs-rest ridge at the largest M
                             on the test rows (training rows without a test set), with each class's precision, recall,
                             F1 and support; the sweep and the networks fit the first class's ±1 column

        --train may name a directory or a quoted glob of Parquet or CSV parts (a partitioned dataset). Then the jobs that
        read rows per partition run on every row — the spectral report at the largest M (plain and leverage sampling;
        ε on a hashed sample of --exact-rows rows) and a plain random-feature fit at that M, in partitioned.csv — and
        the sweep and the networks, whose exact KRR and NTK reference are n×n, run on a hashed sample of --exact-rows
        training rows (and as many test rows), which every caption of theirs states.

        The report states the data, settings, seeds, ntk version, date and where it ran. DIR is written as a whole:
        into a hidden staging directory beside it, moved into place when complete; a failed run leaves DIR as it
        was. An existing DIR must be empty or an earlier report, which is replaced.

        Each network trains until gradient descent has converged (--steps auto): the fewest steps T with
        η·T·(κ²λ_min(H)+λ) ≥ 5, λ_min(H) the smallest eigenvalue of the NTK on the training rows: gradient descent
        in the NTK regime converges linearly at that rate (Lemma 4.1), so about e^(−5) ≈ 0.7% of the initial error
        is left. How many steps that takes depends on the data (4600 on diabetes, 8500 on digits); --max-steps
        caps it, and a network stopped by the cap is reported as not converged. The time grows with n·(sum of M),
        n·d·(sum of widths)·steps and the n×n kernel-drift curves; n×n exact KRR and the NTK reference need n up to
        a few thousand rows.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["out"] = new("DIR", "the report's directory, written as a whole (required)"),
        ["kernel"] = new("SPEC", "rbf:gamma=G | laplace:gamma=G | ntk (default rbf with γ = 1/d, d the feature columns:\n" +
                                     "scikit-learn's choice for standardized data)"),
        ["lambda"] = new("L", $"ridge λ of the random-feature fits and exact KRR (default {DefaultLambda})", OptionKind.Number),
        ["features"] = new("M1,M2,...", $"the M grid (default {DefaultFeatures})"),
        ["repeats"] = new("R", $"seeds per M, medians shown (default {DefaultRepeats})", OptionKind.Integer),
        ["seed"] = new("S", "first seed of the features and the networks (default 0)", OptionKind.Seed),
        ["widths"] = new("W1,W2,...", $"network widths (default {DefaultWidths})"),
        ["nn-lambda"] = new("L", $"the networks' ℓ2 regularization λ (default {DefaultNetworkLambda})", OptionKind.Number),
        ["steps"] = new("T|auto", $"gradient-descent steps per network; auto: the fewest with η·T·(κ²λ_min(H)+λ) ≥ {NetworkTrainer.ConvergedExponent:0},\n" +
                                      "about e^(−5) ≈ 0.7% of the initial error left (Lemma 4.1's rate), per network (default auto)"),
        ["max-steps"] = new("N", $"the most steps --steps auto may choose; a network that needs more is stopped there, with a warning\n" +
                                     $"(default {NetworkOptions.DefaultMaxSteps})", OptionKind.Integer),
    },
        "ntk report --train data.csv --test-fraction 0.2 --standardize --scale-target --normalize --out report");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var data = DataOptions.Read(a);
        string outPath = a.RequiredText("out");
        if (a.Text("target")?.Contains(',') == true) throw new UsageException("'ntk report' trains networks with one output: give one --target column");
        string? kernelText = a.Text("kernel");
        if (kernelText is not null) KernelSpec.Parse(kernelText); // an unknown kernel fails before any data is read
        double lambda = Positive(a, "lambda") ?? double.Parse(DefaultLambda, CultureInfo.InvariantCulture);
        double nnLambda = Positive(a, "nn-lambda") ?? double.Parse(DefaultNetworkLambda, CultureInfo.InvariantCulture);
        double kappa = Positive(a, "kappa") ?? 1.0;
        double? lr = Positive(a, "lr");
        int[] counts = List(a.Text("features") ?? DefaultFeatures, "--features", "a positive number of draws", 1_000_000);
        int[] widths = List(a.Text("widths") ?? DefaultWidths, "--widths", "a positive number of neurons", 10_000_000);
        long repeats = a.Integer("repeats") ?? long.Parse(DefaultRepeats, CultureInfo.InvariantCulture);
        if (repeats < 1 || repeats > 100) throw new UsageException($"--repeats must be between 1 and 100, got {repeats}");
        var (steps, autoSteps) = NetworkOptions.Steps(a, "report", DefaultSteps);
        long exactRows = a.Integer("exact-rows") ?? 3000;
        if (exactRows < 10 || exactRows > 50_000) throw new UsageException($"--exact-rows must be between 10 and 50 000, got {exactRows}");
        string leverage = a.Text("leverage") ?? "auto";
        if (leverage is not ("auto" or "exact" or "scalable" or "subsample")) throw new UsageException($"unknown --leverage '{leverage}' (known: auto, exact, scalable, subsample)");
        long pool = a.Integer("pool") ?? 0;
        if (a.Has("pool") && (pool <= 0 || pool > 10_000_000)) throw new UsageException($"--pool must be between 1 and 10 000 000 candidates, got {pool}");
        ulong seed = a.Seed("seed") ?? 0;
        bool classify = TaskOption.IsClassify(a, data);
        if (classify && (PartitionedData.IsPartitioned(data.TrainPath) || PartitionedData.IsPartitioned(data.TestPath)))
            throw new UsageException("'ntk report --task classify' takes a single --train file (and --test file); a directory or glob is reported as regression only");

        // The output directory is checked (and its staging directory made) before any work, so a bad --out costs nothing.
        using var directory = ReportDirectory.Prepare(outPath);
        // A directory or glob: the jobs that run per partition read every row; the sweep and the networks (n×n) run on a
        // hashed sample of at most --exact-rows rows, which the report says wherever it shows them.
        var held = new HeldNotes("report");
        var partitioned = PartitionedData.IsPartitioned(data.TrainPath) || PartitionedData.IsPartitioned(data.TestPath)
            ? PartitionedData.Resolve(data, note => stderr.WriteLine($"ntk report: note: {note}"))
            : null;
        // --task classify: the labels become one ±1 column per class; the sweep and the networks (one output) study the
        // first class's column — for two classes, the labels themselves as ±1 — and a classifier is fitted and scored beside.
        var labelled = classify ? ClassificationData.Load(data, held.Writer, "report") : null;
        var (train, test) = labelled is not null
            ? (FirstClassColumn(labelled.Train), labelled.Test is null ? null : FirstClassColumn(labelled.Test))
            : partitioned is null
            ? data.LoadData(held.Note)
            : await ReportSample.GatherAsync(partitioned, seed, (int)exactRows, data.Workers, line => stderr.WriteLine($"ntk report: {line}"));
        if (train.TargetNames.Length != 1) throw new UsageException($"'ntk report' trains networks with one output, but {data.TrainPath} has {train.TargetNames.Length} targets: give one --target column");
        int d = train.FeatureNames.Length;
        string kernel = KernelSpec.Parse(kernelText ?? $"rbf:gamma={(1.0 / d).ToString("R", CultureInfo.InvariantCulture)}").Spec;
        var settings = new ReportSettings(
            new FitSettings
            {
                KernelSpec = kernel, Lambda = lambda, Features = counts.Max(), LeverageMode = OptionNames.ParseScoring(leverage), PoolSize = (int)pool, Seed = seed,
                Standardize = data.Standardize, ScaleTarget = data.ScaleTarget, Normalize = data.Normalize,
            },
            counts, (int)repeats, (int)exactRows,
            new NetworkSettings
            {
                Width = widths[0], Lambda = nnLambda, Kappa = kappa, LearningRate = lr, Steps = steps, AutoSteps = autoSteps, Seed = seed,
                Standardize = data.Standardize, ScaleTarget = data.ScaleTarget, Normalize = data.Normalize, LeverageMode = OptionNames.ParseScoring(leverage), PoolSize = (int)pool,
            },
            widths);
        // The target is named up front: with a default of "the last column", a file whose target sits elsewhere would
        // otherwise run to the end on the wrong column.
        stderr.WriteLine($"ntk report: {train.Rows} training rows × {d} features, target '{train.TargetNames[0]}'" +
                         (a.Has("target") ? "" : " (the last column; choose another with --target COL)") + (test is null ? "" : $", {test.Rows} test rows") +
                         $", kernel {kernel}, M = {string.Join(",", counts)}, widths {string.Join(",", widths)}, {data.Where}");
        held.WriteTo(stderr);

        if (partitioned is not null)
            stderr.WriteLine($"ntk report: {PartitionedData.Describe(partitioned.Train)}: the spectral report and a plain fit read every row per partition; " +
                             $"the sweep and the networks run on a hashed sample of {train.Rows} training rows" + (test is null ? "" : $" and {test.Rows} test rows"));

        SweepOutcome sweep;
        IReadOnlyList<WidthRun> runs;
        PartitionedRun? partitionedRun = null;
        // The report's section lines ("sweep: …", "networks: width 100, …") are progress: --quiet leaves them out too.
        Action<string> section = data.Quiet ? _ => { } : line => stderr.WriteLine($"ntk report: {line}");
        ReportClassifier? classifier = null;
        await using (var runner = await data.StartRunnerAsync("report", stderr))
        {
            if (partitioned is null)
                (sweep, runs) = await ReportRunner.RunAsync(runner, train, test, settings, section);
            else
                (sweep, runs, partitionedRun) = await ReportRunner.RunPartitionedAsync(runner, partitioned, train, test, settings, section);
            if (labelled is not null)
            {
                // As 'ntk fit --task classify' with the report's kernel, λ, largest M and seed (plain random features).
                var fitSettings = settings.Sweep with { Features = counts.Max(), Sampling = FeatureSampling.Plain };
                var fit = await runner.RunAsync<FitOutcome>(new NtkCluster.Protocol.Jobs.SubmitFit(labelled.Train, labelled.Test, fitSettings));
                var scored = await ClassifierOutcome.ScoreAsync(runner, fit, labelled);
                classifier = new ReportClassifier(labelled.Classes, scored.Test ?? scored.Train, scored.Test is not null, counts.Max(), lambda, kernel);
            }
        }

        string target = labelled is null ? train.TargetNames[0]
            : $"{labelled.Classes.Column} ({labelled.Classes.Count} classes); the sweep and the networks fit its one-vs-rest ±1 column {train.TargetNames[0]}";
        var context = new ReportContext(data.TrainPath, TestSetText(data, partitioned is not null), train.Rows, test?.Rows, d, target, PreprocessingText(data),
            data.Cluster is null ? $"this process on host {Environment.MachineName}, {data.Workers} worker(s)" : $"the cluster at {data.Cluster}",
            DenseBackend.Current.Name, ProgramInfo.Version, started, clock.Elapsed.TotalSeconds, "ntk report " + string.Join(" ", a.Arguments.Select(Quote)));
        var doc = ReportAssembler.Build(context, settings, sweep, runs, partitionedRun, classifier);
        var files = ReportWriter.Write(doc, directory);
        foreach (var finding in doc.Findings) stdout.WriteLine(finding);
        foreach (var warning in doc.Warnings.Distinct()) stderr.WriteLine($"ntk report: warning: {warning}");
        stdout.WriteLine($"report: {Path.Combine(outPath, ReportWriter.HtmlFile)} ({files.Count} files in {outPath}, {clock.Elapsed.TotalSeconds:0.#} s)");
        return 0;
    }

    /// <summary>Encoded classification data with its first class's ±1 column as the one target.</summary>
    private static NtkCluster.Numerics.Data.Dataset FirstClassColumn(NtkCluster.Numerics.Data.Dataset encoded) =>
        new(encoded.FeatureNames, encoded.X, [encoded.TargetNames[0]], encoded.Y.SubMatrix(0, encoded.Rows, 0, 1))
        {
            OneHot = encoded.OneHot, Categorical = encoded.Categorical,
        };

    private static string TestSetText(DataOptions d, bool partitioned) => d.TestFraction is double f
        ? partitioned
            ? $"a hashed {(f * 100).ToString("0.##", CultureInfo.InvariantCulture)}% split of the rows by their index (split seed {d.SplitSeed}; " +
              "not the split of the same rows loaded whole)"
            : $"a seeded {(f * 100).ToString("0.##", CultureInfo.InvariantCulture)}% split of the file (split seed {d.SplitSeed})"
        : d.TestPath is string p ? p : "none (errors are training errors)";

    private static string PreprocessingText(DataOptions d)
    {
        var steps = new List<string>();
        if (d.Standardize) steps.Add("features standardized");
        if (d.ScaleTarget) steps.Add("target centred and scaled to unit variance");
        else if (d.Standardize) steps.Add("target centred");
        if (d.Normalize) steps.Add("rows normalized to unit length");
        return steps.Count == 0 ? "none" : string.Join("; ", steps);
    }

    private static double? Positive(ParsedOptions a, string name)
    {
        double? v = a.Number(name);
        if (v is double x && !(x > 0)) throw new UsageException($"--{name} must be > 0, got {a.Text(name)}");
        return v;
    }

    private static int[] List(string text, string option, string what, int max)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new UsageException($"{option} needs at least one value");
        var values = new List<int>();
        foreach (var item in items)
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v <= 0 || v > max)
                throw new UsageException($"{option}: '{item}' is not {what} (at most {max}; give a list such as 50,100,200)");
            values.Add(v);
        }
        return values.Distinct().Order().ToArray();
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,+@".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}

using System.Globalization;
using System.Reflection;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk demo</c>: the main job on a real dataset shipped inside the program (scikit-learn's diabetes data,
/// 442 patients × 10 measurements): exact KRR against random features at growing M, with test error, distance
/// to the exact predictions, and time.
/// </summary>
public static class DemoCommand
{
    public static readonly string[] ValueOptions = ["workers", "seed"];

    public static readonly string[] Flags = [ProgressOptions.QuietFlag, ProgressOptions.VerboseFlag];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk demo [--workers N] [--seed S] [--quiet] [--verbose]
        """, """
        Fits exact rbf KRR and random-feature ridge at M = 25…6400 on the embedded diabetes dataset
        (442 rows × 10 features; 20% held out; standardized, target scaled; rbf gamma=0.05, lambda=0.05)
        and prints test MSE, the relative distance of the predictions to exact KRR, and time. Then one classification:
        the embedded digits dataset (1797 8×8 images, 10 classes; 20% held out; raw pixels; rbf gamma=0.001,
        lambda=0.1), one-vs-rest, exact and with M = 1000 random features: test accuracy and time.
        The tables go to stdout; each fit's progress to stderr, as for ntk fit.
        """, ValueOptions, Flags, null,
        "ntk demo --workers 2");

    private const string Kernel = "rbf:gamma=0.05";
    private const double Lambda = 0.05;
    private static readonly int[] FeatureCounts = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400];

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        ulong seed = a.Seed("seed") ?? 0;

        var data = LoadEmbedded();
        var (train, test) = TrainTestSplit.Split(data, 0.2, 0);
        // The data line every command starts with (stdout says it again, with the split).
        if (!a.Has(ProgressOptions.QuietFlag))
            stderr.WriteLine($"ntk demo: the embedded diabetes data ({data.Rows} rows × {data.FeatureNames.Length} features, target '{data.TargetNames[0]}'), " +
                             "then the embedded digits data (classification)");
        stdout.WriteLine($"diabetes: {train.Rows} training rows, {test.Rows} test rows, {data.FeatureNames.Length} features; kernel {Kernel}, lambda {Lambda}, seed {seed}");
        stdout.WriteLine("(features standardized, target scaled; errors in the target's own units; 'to exact' = ‖f_M − f_exact‖/‖f_exact − mean‖ on the test set)");
        stdout.WriteLine();
        // The runner every job command uses; its renderer clears each fit's progress before the fit's row is printed, and
        // on a terminal draws the fits' notes in the bar, so that no stderr line lands between the rows of the tables.
        await using var cluster = await ClusterOptions.StartRunnerAsync("demo", cluster: null, tlsCertificate: null, (int)workers, workersGiven: true,
            blockTimeoutSeconds: null, stderr, a.Has(ProgressOptions.QuietFlag), notesInBar: true,
            verbose: a.Has(ProgressOptions.VerboseFlag));

        // The fits are one stage of the demo's own: a log gets one line for them all, not a few per fit. Each count is
        // reported before its fit, so that nothing is drawn between a fit's end and its table row.
        var fits = new FitCounter(cluster, 1 + FeatureCounts.Length + 2);
        var baseline = new FitSettings { KernelSpec = Kernel, Lambda = Lambda, Exact = true, Seed = seed, Standardize = true, ScaleTarget = true };
        fits.Next();
        var exact = await cluster.RunAsync<FitOutcome>(new SubmitFit(train, test, baseline));
        double mean = train.Y.ColumnSums()[0] / train.Rows;
        double exactSpread = (exact.TestPredictions! - mean).FrobeniusNorm();

        stdout.WriteLine($"{"solver",-10} {"M",6} {"form",7} {"test MSE",10} {"train MSE",10} {"to exact",9} {"seconds",8}");
        stdout.WriteLine(Row("exact", "n/a", "n×n", exact.TestMse!.Value, exact.TrainMse, "0", exact.Seconds));
        foreach (int m in FeatureCounts)
        {
            fits.Next();
            var outcome = await cluster.RunAsync<FitOutcome>(new SubmitFit(train, test, baseline with { Exact = false, Features = m }));
            double toExact = (outcome.TestPredictions! - exact.TestPredictions!).FrobeniusNorm() / exactSpread;
            stdout.WriteLine(Row("features", m.ToString(CultureInfo.InvariantCulture), outcome.Model.Formulation.ToString().ToLowerInvariant(),
                outcome.TestMse!.Value, outcome.TrainMse, toExact.ToString("0.000", CultureInfo.InvariantCulture), outcome.Seconds));
        }
        stdout.WriteLine();
        stdout.WriteLine("Random features approach exact KRR as M grows; past M·d2 > n the dual form solves the n×n system instead.");
        stdout.WriteLine();
        await ClassifyDigitsAsync(cluster, seed, stdout, fits);
        fits.Done();
        return 0;
    }

    /// <summary>The demo's fits counted as one stage (<see cref="RenderedJobRunner.ReportOverall"/>).</summary>
    private sealed class FitCounter(IJobRunner runner, int total)
    {
        private int _started;

        public void Next() => RenderedJobRunner.ReportOverall(runner, ProgressUpdate.Count("fits", _started++, total, "fits"));

        public void Done() => RenderedJobRunner.ReportOverall(runner, ProgressUpdate.Count("fits", total, total, "fits"));
    }

    private const string DigitsKernel = "rbf:gamma=0.001";
    private const double DigitsLambda = 0.1;

    /// <summary>The classification case: one-vs-rest ridge on digits, exact and with random features, through the same jobs as ntk fit --task classify.</summary>
    private static async Task ClassifyDigitsAsync(IJobRunner cluster, ulong seed, TextWriter stdout, FitCounter fits)
    {
        var digits = LoadEmbedded("digits");
        var (train, test) = TrainTestSplit.Split(digits, 0.2, 0);
        var classes = NtkCluster.Numerics.Classification.ClassLabels.FromTraining(digits.TargetNames[0], train.Y);
        var data = new ClassificationData(ClassificationData.Encode(train, classes), ClassificationData.Encode(test, classes), classes, train.Y, test.Y);
        stdout.WriteLine($"digits (classification): {train.Rows} training rows, {test.Rows} test rows, {digits.FeatureNames.Length} pixels, " +
                         $"{classes.Count} classes; kernel {DigitsKernel}, lambda {DigitsLambda}, one-vs-rest ±1 targets, arg-max prediction");
        stdout.WriteLine($"{"solver",-10} {"M",6} {"train acc",10} {"test acc",10} {"seconds",8}");
        var settings = new FitSettings { KernelSpec = DigitsKernel, Lambda = DigitsLambda, Exact = true, Seed = seed };
        foreach (var s in new[] { settings, settings with { Exact = false, Features = 1000 } })
        {
            fits.Next();
            var fit = await cluster.RunAsync<FitOutcome>(new SubmitFit(data.Train, data.Test, s));
            var scored = await ClassifierOutcome.ScoreAsync(cluster, fit, data);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(s.Exact ? "exact" : "features"),-10} {(s.Exact ? "n/a" : s.Features.ToString(CultureInfo.InvariantCulture)),6} {scored.Train.Accuracy,10:0.0000} {scored.Test!.Accuracy,10:0.0000} {fit.Seconds,8:0.000}"));
        }
    }

    private static string Row(string solver, string m, string form, double testMse, double trainMse, string toExact, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{solver,-10} {m,6} {form,7} {testMse,10:0.0} {trainMse,10:0.0} {toExact,9} {seconds,8:0.000}");

    /// <summary>A CSV compiled into the program (diabetes, digits), so the demo needs no files.</summary>
    public static Dataset LoadEmbedded(string name = "diabetes")
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"NtkCluster.Demo.{name}.csv")
            ?? throw new InvalidOperationException($"the embedded {name} dataset is missing from this build");
        string path = Path.Combine(Path.GetTempPath(), $"ntk-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        try
        {
            using (var file = File.Create(path)) stream.CopyTo(file);
            return Dataset.FromTable(CsvTable.Read(path), null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

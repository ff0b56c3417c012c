using System.Globalization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk fit</c>: fits exact KRR or a random-feature ridge model on the local cluster.</summary>
public static class FitCommand
{
    public const string Help = $"""
        usage: ntk fit --train FILE [--test FILE | --test-fraction F [--split-seed S]] [--target COL[,COL...]] [--columns A,B,...]
                       --kernel SPEC --lambda L [--solver exact|features] [--features M] [--sampling plain|leverage]
                       [--seed S] [--workers N] [--standardize] [--scale-target] [--normalize]
                       [--leverage auto|exact|scalable] [--pool P] [--first-stage S]
                       [--model OUT] [--json] [--block-timeout SECONDS] [--stream] [--cluster H:P [--tls-certificate F]]

          --train FILE        training data: CSV with a header row, or Parquet; the target is the last column unless --target
          --test FILE         test data with the same columns; or
          --test-fraction F   hold out a fraction F of --train as test set, chosen by --split-seed (default 0)
          --target COL        target column(s), comma-separated (default: the last column)
          --columns A,B,...   use only these columns of the files, in this order, targets included (default: all;
                              of a Parquet file, all numeric ones, with a note naming the skipped ones)
          --kernel SPEC       rbf:gamma=G | laplace:gamma=G | ntk
          --lambda L          ridge regularization, > 0
          --solver S          exact (n×n kernel matrix; default without --features) or features (random features)
          --features M        number of random-feature draws w_1..w_M (Ψ has M·d2 columns)
          --sampling S        plain: draws from the kernel's density p; leverage: from the ridge leverage
                              distribution q(w) ∝ p(w)·τ(w) (Def 3.1), with weights p/q (Def 3.2)
          --leverage MODE     auto (exact up to 4000 rows, else scalable), exact ((K+λI)⁻¹ from the closed form),
                              scalable (first-stage random features through Woodbury, bound-corrected)
          --pool P            candidates drawn from p and scored for leverage sampling (default max(20M, 10000))
          --first-stage S     draws of the scalable mode's first stage (default: about min(1024, n/2) columns)
          --seed S            seed of the feature draws (default 0); the model depends only on it, not on --workers
          --workers N         blocks computed at once (default: the number of cores)
          --standardize       z-score features (training mean, population std) and centre the target
          --scale-target      also divide the target by its standard deviation
          --normalize         scale rows to unit norm, after standardizing
          --model OUT         write the model (JSON, see docs/model-format.md)
          --json              print a JSON summary as the last line of stdout
          --block-timeout S   seconds a worker may take for one block before it is asked again (default 300)
          --stream            read the training (and test) file in blocks of 1024 rows instead of loading it: memory
                              no longer grows with the rows. Automatic for training files over 16 MiB. Needs
                              --solver features, --sampling plain, M·d2 <= n and --test FILE (not --test-fraction).
                              Local only: under --cluster the data set is read here and shipped whole
        {ClusterOptions.HelpText}

        example: ntk fit --train data.csv --test-fraction 0.2 --kernel rbf:gamma=0.1 --lambda 0.01 --features 400 --standardize
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var a = new CliArguments("fit", args, [.. FitOptions.ValueOptions, "model"], [.. FitOptions.Flags, "json", "stream"]);
        var options = FitOptions.Read(a);
        string? modelPath = a.Text("model");
        if (modelPath is not null) EnsureDirectory(modelPath);
        // A streamed fit reads its file where it runs, so under --cluster the data set is read here and shipped whole.
        if (options.Data.Cluster is not null && a.Has("stream"))
            throw new UsageException("--stream runs locally only (the fit reads the file block by block where it runs); under --cluster the data " +
                                     "set is read here and shipped to the coordinator whole: drop --stream, or drop --cluster");
        var streamed = options.Data.Cluster is not null ? null
            : StreamedData.Prepare(options, a.Has("stream"), note => stderr.WriteLine($"ntk fit: note: {note}"));
        FitOutcome outcome;
        int trainRows;
        int? testRows;
        int window;
        if (streamed is not null)
        {
            (trainRows, testRows) = (streamed.TrainRows, streamed.Test is null ? null : streamed.TestRows);
            stderr.WriteLine($"ntk fit: {trainRows} training rows × {streamed.Train.FeatureNames.Length} features, streamed in blocks of " +
                             $"{streamed.Train.BlockSize} rows" + (testRows is int st ? $", {st} test rows" : "") + $", {options.Data.Where}");
            await using var runner = await options.Data.StartRunnerAsync("fit", stderr);
            outcome = await runner.RunAsync<FitOutcome>(streamed.Submission(options.Settings));
            window = runner.Window;
        }
        else
        {
            var (train, test) = options.LoadData(note => stderr.WriteLine($"ntk fit: note: {note}"));
            (trainRows, testRows) = (train.Rows, test?.Rows);
            // Refuse jobs too large for memory now, before any cluster starts or progress is printed. (On a cluster the
            // coordinator holds these matrices; the same limits are the best guess this side has.)
            var kernel = NtkCluster.Numerics.Kernels.KernelSpec.Parse(options.Settings.KernelSpec);
            NtkCluster.Numerics.Solvers.FitPlanner.Plan(options.Settings.Exact, train.Rows,
                options.Settings.Exact ? 0 : checked(options.Settings.Features * kernel.FeatureDimension(train.FeatureNames.Length)));
            if (!options.Settings.Exact && options.Settings.Sampling == "leverage" && FeatureSampler.ResolveMode(options.Settings.LeverageMode, train.Rows) == "exact")
                NtkCluster.Numerics.Solvers.MemoryBudget.EnsureFits(NtkCluster.Numerics.Solvers.MemoryBudget.DenseBytes(train.Rows, train.Rows, 4),
                    $"exact leverage scores on n={train.Rows} rows (n×n (K+λI)⁻¹)", "use --leverage scalable");
            stderr.WriteLine($"ntk fit: {train.Rows} training rows × {train.FeatureNames.Length} features" +
                             (test is null ? "" : $", {test.Rows} test rows") + $", {options.Data.Where}");
            await using var runner = await options.Data.StartRunnerAsync("fit", stderr);
            outcome = await runner.RunAsync<FitOutcome>(new SubmitFit(train, test, options.Settings));
            window = runner.Window;
        }
        if (modelPath is not null) ModelFile.Save(outcome.Model, modelPath);

        var m = outcome.Model;
        stdout.WriteLine($"solver {(m.IsExact ? "exact" : "features")} ({m.Formulation.ToString().ToLowerInvariant()}), kernel {m.Kernel.Spec}, lambda {F(m.Lambda)}" +
                         (m.IsExact ? "" : $", {m.FeatureCount} draws ({m.Draws!.ColumnCount} feature columns), sampling {SamplingText(outcome)}, seed {m.Seed}"));
        stdout.WriteLine($"train MSE {F(outcome.TrainMse)}" + (outcome.TestMse is double t ? $", test MSE {F(t)}" : "") + $", {outcome.Seconds:0.00} s");
        if (modelPath is not null) stdout.WriteLine($"model written to {modelPath}");
        if (a.Has("json"))
        {
            stdout.WriteLine(new JsonLine()
                .Add("command", "fit").Add("train_mse", outcome.TrainMse).Add("test_mse", outcome.TestMse)
                .Add("seconds", outcome.Seconds).Add("peak_mb", PeakMemory.Megabytes()).Add("solver", m.IsExact ? "exact" : "features")
                .Add("formulation", m.Formulation.ToString().ToLowerInvariant()).Add("kernel", m.Kernel.Spec)
                .Add("lambda", m.Lambda).Add("features", m.FeatureCount).Add("feature_columns", m.Draws?.ColumnCount ?? 0)
                .Add("sampling", m.Sampling).Add("leverage_mode", outcome.Sampling?.Mode is "exact" or "scalable" ? outcome.Sampling.Mode : null)
                .Add("seed", m.Seed).Add("workers", window)
                .Add("n_train", trainRows).Add("n_test", testRows).Add("streamed", streamed is not null).Add("backend", DenseBackend.Current.Name)
                .Add("model", modelPath).Add("cluster", options.Data.Cluster?.ToString()).Add("version", ProgramInfo.Version).ToString());
        }
        return 0;
    }

    /// <summary>Fails before any work when an output's directory does not exist, not after an hour of fitting.</summary>
    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"cannot write {path}: it is a directory");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new UsageException($"cannot write {path}: directory {dir} does not exist");
    }

    private static string SamplingText(FitOutcome o) =>
        o.Sampling?.Mode is "exact" or "scalable" ? $"leverage ({o.Sampling.Mode} scores, pool {o.Sampling.PoolScores!.Length})" : o.Model.Sampling;

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk train-nn</c>: trains the regularized two-layer ReLU network and measures it against NTK ridge regression.</summary>
public static class TrainNetworkCommand
{
    public static readonly string[] ValueOptions = [.. NetworkOptions.ValueOptions, "width", "out", "model", "checkpoint", "resume", "rows"];

    public static readonly string[] Flags = [.. NetworkOptions.Flags, "json"];

    /// <summary>The network options' wording, shared with width-sweep.</summary>
    public static readonly Dictionary<string, OptionCatalogue.Entry> NetworkHelp = new()
    {
        ["lambda"] = new("L", "ℓ2 regularization of W, λ > 0 (required)", OptionKind.Number),
        ["seed"] = new("S", "seed of the initial weights and output signs; the result depends on it, not on --workers (default 0)", OptionKind.Seed),
        ["leverage"] = new("auto|exact|scalable|subsample", "how --init leverage computes its scores (as ntk fit's --leverage) (default auto)"),
        ["pool"] = new("P", "candidates scored for --init leverage (default max(20M, 10000))", OptionKind.Integer),
    };

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk train-nn --train FILE|DIR|GLOB [--test FILE|DIR|GLOB | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                            [--missing drop|mean|median] [--separator ','|';'|tab] [--categorical A,B,...] [--unknown-category zeros|error]
                            --width M [--init gaussian|leverage] --lambda L [--kappa K] [--lr ETA] --steps T|auto [--max-steps N] [--seed S]
                            [--standardize] [--scale-target] [--normalize] [--workers N] [--block-timeout S] [--no-reference]
                            [--checkpoint-every N] [--checkpoint FILE] [--resume FILE] [--leverage auto|exact|scalable|subsample] [--pool P]
                            [--out FILE] [--model FILE] [--json] [--quiet] [--verbose] [--cluster H:P [--tls-certificate F] [--rows auto|shared|shipped]]
        """, """
        Trains f(W,x) = (1/√m)·Σ_r a_r·σ(w_rᵀx) (Def 3.5; a_r = ±1 fixed, w_r(0) ∼ N(0,I)) — or with --init leverage
        the reweighted network of Def 3.8 with w_r(0) drawn from the NTK's ridge leverage distribution — by gradient
        descent on ½‖Y − κ·f(W,X)‖² + ½λ‖W‖²_F, neuron blocks spread over the workers, and compares κ·f with NTK ridge
        regression u* = κ²H(κ²H+λI)⁻¹Y. Progress (step, loss, train gap) goes to stderr. On a partitioned dataset (a
        directory or glob) training is data-parallel — each step a round over the partitions — and the reference is NTK
        ridge regression by random features fitted on the partitions (see docs/algorithms.md).
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>(NetworkHelp)
    {
        ["width"] = new("M", "hidden neurons (required)"),
        ["out"] = new("FILE", "the network's test-set (else training-set) predictions as CSV (default: not written)"),
        ["model"] = new("FILE", "save the trained network for 'ntk predict', atomically (default: not saved)"),
        ["checkpoint-every"] = new("N", "steps between weight checkpoints: kept in memory to restore a lost neuron block, and\n" +
                                            "written to --checkpoint FILE when given (default 500)", OptionKind.Integer),
        ["checkpoint"] = new("FILE", "write the run's state (a network model file with what --resume needs) there, atomically,\n" +
                                         "every --checkpoint-every steps and at the end; with --cluster the coordinator sends each one here (default: not written)"),
        ["resume"] = new("FILE", "continue the run checkpointed in FILE up to --steps: the same data and settings are\n" +
                                     "required, and the result equals an uninterrupted run bitwise, locally or with --cluster (default: start at step 0)"),
        ["json"] = new("", "JSON summary as the last line of stdout: train_gap_rel, test_gap_rel, train_mse, test_mse,\n" +
                               "krr_train_mse, krr_test_mse, max_weight_move, kernel_drift, pattern_flips, … (default: off)"),
    },
        "ntk train-nn --train data.csv --test-fraction 0.3 --standardize --normalize --scale-target --width 4000 --lambda 1e-3 --steps 20000",
        "ntk train-nn --train data.csv --width 4000 --lambda 1e-3 --steps 40000 --checkpoint run.ckpt --resume run.ckpt");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        int width = NetworkOptions.ParseWidth(a.RequiredText("width"));
        var options = NetworkOptions.Read(a, "train-nn", width);
        if (PartitionedData.IsPartitioned(options.Data.TrainPath) || PartitionedData.IsPartitioned(options.Data.TestPath))
            return await RunPartitionedAsync(a, options, stdout, stderr);
        string? outPath = a.Text("out"), modelPath = a.Text("model");
        if (outPath is not null) FitCommand.EnsureDirectory(outPath);
        if (modelPath is not null) FitCommand.EnsureDirectory(modelPath);
        string? checkpointPath = a.Text("checkpoint"), resumePath = a.Text("resume");
        if (checkpointPath is not null) FitCommand.EnsureDirectory(checkpointPath);
        var resumeModel = resumePath is null ? null : ModelFile.LoadAny(resumePath);
        var held = new HeldNotes("train-nn");
        var (train, test, fills) = options.Data.LoadDataAndFills(held.Note);
        var remember = Remember(options.Data, fills, train.Categorical);
        var resume = resumeModel is null ? null : NetworkCheckpoints.EnsureResumable(resumeModel, resumePath!, train, options.Settings);
        stderr.WriteLine($"ntk train-nn: {DataLine.Of(options.Data.TrainPath, train.Rows, train.FeatureNames.Length, train.TargetNames, options.Data.Targets is not null)}" +
                         (test is null ? "" : $", {test.Rows} test rows") +
                         $", width {width}, {options.Data.Where}");
        held.WriteTo(stderr);
        await using var cluster = await options.Data.StartRunnerAsync("train-nn", stderr);
        var checkpointing = checkpointPath is null && resume is null ? null
            : new NetworkCheckpointing(checkpointPath, resume, resumePath) { Remember = remember };
        var r = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, options.Settings, checkpointing));

        if (modelPath is not null) ModelFile.Save(r.Model.WithPreprocessing(remember(r.Model.Preprocessing)), modelPath);
        if (outPath is not null) AtomicFile.WriteAllText(outPath, PredictionCsv.Format(r.TestPredictions ?? r.TrainPredictions, train.TargetNames));
        Print(stdout, r, options.Settings);
        foreach (var w in r.Warnings) stderr.WriteLine($"ntk train-nn: warning: {w}");
        if (a.Has("json")) stdout.WriteLine(Json(r, options.Settings, train.Rows, test?.Rows, modelPath).ToString());
        return 0;
    }

    /// <summary>
    /// What reading the file did before the trainer saw its rows, for the model (and each checkpoint) to remember as a
    /// kernel model does (<see cref="FitCommand"/>): how missing cells were filled or dropped, and the one-hot encoding of
    /// the categorical columns — so predict reads new rows the same way. (A partitioned run's trainer knows both itself.)
    /// </summary>
    private static Func<Preprocessor, Preprocessor> Remember(DataOptions data, double[]? fills, CategoricalColumn[]? categorical) => p =>
    {
        if (data.Missing != MissingPolicy.Refuse) p = p.WithMissing(data.Missing, fills);
        return categorical is null ? p : p.WithCategorical(categorical);
    };

    /// <summary>
    /// train-nn on a partitioned dataset (<see cref="PartitionedNetworkTrainer"/>): the partitions' descriptors go to the
    /// job, every gradient step is a round over the partitions where they are read, and the NTK reference is the
    /// random-feature ridge fit of the partitions. What needs all rows in one place is refused with one line.
    /// </summary>
    private static async Task<int> RunPartitionedAsync(ParsedOptions a, NetworkOptions options, TextWriter stdout, TextWriter stderr)
    {
        var s = options.Settings;
        if (PartitionedNetworkTrainer.Unsupported(s) is { } why) throw new UsageException(why + "; or give a single file to load it whole");
        if (a.Has("out"))
            throw new UsageException("--out writes one prediction per row, which train-nn does not gather from a partitioned dataset (a directory or glob): " +
                                     "save --model and run ntk predict, or give a single file");
        string? modelPath = a.Text("model"), checkpointPath = a.Text("checkpoint"), resumePath = a.Text("resume");
        if (modelPath is not null) FitCommand.EnsureDirectory(modelPath);
        if (checkpointPath is not null) FitCommand.EnsureDirectory(checkpointPath);
        var data = PartitionedData.Resolve(options.Data, note => stderr.WriteLine($"ntk train-nn: note: {note}"));
        var resume = resumePath is null ? null
            : NetworkCheckpoints.EnsureResumable(ModelFile.LoadAny(resumePath), resumePath,
                NetworkCheckpoints.DataFingerprint(data.Columns, data.Train.Partitions, data.Split), s, data.Columns.Categorical);
        int d = data.Columns.FeatureNames.Length;
        stderr.WriteLine($"ntk train-nn: {PartitionedData.Describe(data.Train)} × {d} features" +
                         (data.Test is null ? "" : $", test {PartitionedData.Describe(data.Test)}") + $", width {s.Width}, data-parallel" +
                         PartitionedData.Delivery(options.Data) + $", {options.Data.Where}, {DataLine.Target(data.Columns.TargetNames, options.Data.Targets is not null)}");
        var checkpointing = checkpointPath is null && resume is null ? null : new NetworkCheckpointing(checkpointPath, resume, resumePath);
        NetworkOutcome r;
        await using (var cluster = await options.Data.StartRunnerAsync("train-nn", stderr))
            r = await cluster.RunAsync<NetworkOutcome>(new SubmitPartitionedTrainNetwork(data.Train.Source, data.Train.Partitions, data.Columns,
                data.Test?.Partitions, data.Split, s, checkpointing));
        if (modelPath is not null) ModelFile.Save(r.Model, modelPath);
        int referenceFeatures = PartitionedNetworkTrainer.ReferenceFeatures(s.Width, d);
        Print(stdout, r, s, s.Reference ? $"NTK ridge, {referenceFeatures} random features" : null);
        foreach (var w in r.Warnings) stderr.WriteLine($"ntk train-nn: warning: {w}");
        if (a.Has("json"))
            stdout.WriteLine(Json(r, s, data.Split is null ? data.Train.RowCount : null, data.Test?.RowCount, modelPath)
                .Add("partitions", data.Train.Partitions.Count)
                .Add("reference", r.KrrTrainMse is null ? null : "ntk-random-features")
                .Add("reference_features", r.KrrTrainMse is null ? null : referenceFeatures).ToString());
        return 0;
    }

    public static void Print(TextWriter stdout, NetworkOutcome r, NetworkSettings s) => Print(stdout, r, s, null);

    /// <param name="reference">How the NTK reference was computed when it is not exact NTK KRR (a partitioned dataset).</param>
    private static void Print(TextWriter stdout, NetworkOutcome r, NetworkSettings s, string? reference)
    {
        stdout.WriteLine($"network: width {s.Width}, init {s.Init.Name()}, kappa {F(s.Kappa)}, lambda {F(s.Lambda)}, lr {F(r.LearningRate)}, {r.Model.Steps} steps" +
                         (s.AutoSteps ? $" (auto, at most {s.Steps})" : "") + $", seed {s.Seed}");
        stdout.WriteLine($"network  train MSE {F(r.TrainMse)}" + (r.TestMse is double t ? $", test MSE {F(t)}" : ""));
        if (r.KrrTrainMse is double kt)
            stdout.WriteLine((reference is null ? "NTK KRR  " : $"{reference} (fitted on the partitions)  ") + $"train MSE {F(kt)}" +
                             (r.KrrTestMse is double ke ? $", test MSE {F(ke)}" : ""));
        if (r.TrainGap is double g)
            stdout.WriteLine((reference is null ? "gap to NTK KRR ‖u_nn − u*‖/‖u*‖" : "gap to the random-feature NTK ridge ‖u_nn − u_ref‖/‖u_ref‖") +
                             $": train {F(g)}" + (r.TestGap is double tg ? $", test {F(tg)}" : ""));
        stdout.WriteLine($"lazy regime: max weight move {F(r.MaxWeightMove)}, kernel drift {(r.KernelDrift is double kd ? F(kd) : "n/a")}, pattern flips {r.PatternFlips.ToString("P2", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"{r.Seconds:0.00} s");
    }

    public static JsonLine Json(NetworkOutcome r, NetworkSettings s, long? nTrain, long? nTest, string? modelPath) => new JsonLine()
        .Add("command", "train-nn").Add("train_gap_rel", r.TrainGap).Add("test_gap_rel", r.TestGap)
        .Add("train_mse", r.TrainMse).Add("test_mse", r.TestMse).Add("krr_train_mse", r.KrrTrainMse).Add("krr_test_mse", r.KrrTestMse)
        .Add("max_weight_move", r.MaxWeightMove).Add("kernel_drift", r.KernelDrift).Add("pattern_flips", r.PatternFlips)
        .Add("width", s.Width).Add("init", s.Init.Name()).Add("kappa", s.Kappa).Add("lambda", s.Lambda).Add("lr", r.LearningRate)
        .Add("steps", r.Model.Steps).Add("auto_steps", s.AutoSteps).Add("seed", s.Seed).Add("convergence_exponent", r.ConvergenceExponent)
        .Add("warnings", string.Join("; ", r.Warnings)).Add("n_train", nTrain).Add("n_test", nTest).Add("seconds", r.Seconds).Add("peak_mb", PeakMemory.Megabytes())
        .Add("model", modelPath).Add("backend", DenseBackend.Current.Name).Add("version", ProgramInfo.Version);

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

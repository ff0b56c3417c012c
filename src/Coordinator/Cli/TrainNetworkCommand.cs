using System.Globalization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk train-nn</c>: trains the regularized two-layer ReLU network and measures it against NTK ridge regression.</summary>
public static class TrainNetworkCommand
{
    public const string Help = $"""
        usage: ntk train-nn --train FILE [--test FILE | --test-fraction F [--split-seed S]] [--target COL] [--columns A,B,...]
                            --width M [--init gaussian|leverage] --lambda L [--kappa K] [--lr ETA] --steps T [--seed S]
                            [--standardize] [--scale-target] [--normalize] [--workers N] [--no-reference]
                            [--checkpoint-every N] [--leverage auto|exact|scalable] [--pool P]
                            [--out FILE] [--model FILE] [--json] [--cluster H:P]

        Trains f(W,x) = (1/√m)·Σ_r a_r·σ(w_rᵀx) (Def 3.5; a_r = ±1 fixed, w_r(0) ∼ N(0,I)) — or with --init leverage
        the reweighted network of Def 3.8 with w_r(0) drawn from the NTK's ridge leverage distribution — by gradient
        descent on ½‖Y − κ·f(W,X)‖² + ½λ‖W‖²_F, neuron blocks spread over the workers, and compares κ·f with NTK ridge
        regression u* = κ²H(κ²H+λI)⁻¹Y (n×n work; --no-reference skips it).

          --width M            hidden neurons
          --kappa K            output scaling κ (default 1)
          --lr ETA             step size (default 1/(κ²·λ_max(H(0)) + λ), H(0) the finite-width kernel at init)
          --steps T            gradient-descent steps
          --checkpoint-every N steps between the weight checkpoints that restore a lost neuron block (default 500)
          --out FILE           the network's test-set (else training-set) predictions as CSV ('prediction' column)
          --model FILE         save the trained network for 'ntk predict'
          --json               JSON summary as the last line: train_gap_rel, test_gap_rel, train_mse, test_mse,
                               krr_train_mse, krr_test_mse, max_weight_move, kernel_drift, pattern_flips, ...

        {ClusterOptions.HelpText}

        example: ntk train-nn --train data.csv --test-fraction 0.3 --standardize --normalize --scale-target --width 4000 --lambda 1e-3 --steps 20000
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var a = new CliArguments("train-nn", args, [.. NetworkOptions.ValueOptions, "width", "out", "model"], [.. NetworkOptions.Flags, "json"]);
        int width = NetworkOptions.ParseWidth(a.RequiredText("width"));
        var options = NetworkOptions.Read(a, "train-nn", width);
        string? outPath = a.Text("out"), modelPath = a.Text("model");
        if (outPath is not null) FitCommand.EnsureDirectory(outPath);
        if (modelPath is not null) FitCommand.EnsureDirectory(modelPath);
        var (train, test) = options.Data.LoadData(note => stderr.WriteLine($"ntk train-nn: note: {note}"));
        stderr.WriteLine($"ntk train-nn: {train.Rows} training rows × {train.FeatureNames.Length} features" + (test is null ? "" : $", {test.Rows} test rows") +
                         $", width {width}, {options.Data.Where}");
        await using var cluster = await options.Data.StartRunnerAsync("train-nn", stderr);
        var r = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, options.Settings));

        if (modelPath is not null) ModelFile.Save(r.Model, modelPath);
        if (outPath is not null) AtomicFile.WriteAllText(outPath, PredictionCsv.Format(r.TestPredictions ?? r.TrainPredictions, train.TargetNames));
        Print(stdout, r, options.Settings);
        foreach (var w in r.Warnings) stderr.WriteLine($"ntk train-nn: warning: {w}");
        if (a.Has("json")) stdout.WriteLine(Json(r, options.Settings, train.Rows, test?.Rows, modelPath).ToString());
        return 0;
    }

    public static void Print(TextWriter stdout, NetworkOutcome r, NetworkSettings s)
    {
        stdout.WriteLine($"network: width {s.Width}, init {s.Init}, kappa {F(s.Kappa)}, lambda {F(s.Lambda)}, lr {F(r.LearningRate)}, {s.Steps} steps, seed {s.Seed}");
        stdout.WriteLine($"network  train MSE {F(r.TrainMse)}" + (r.TestMse is double t ? $", test MSE {F(t)}" : ""));
        if (r.KrrTrainMse is double kt) stdout.WriteLine($"NTK KRR  train MSE {F(kt)}" + (r.KrrTestMse is double ke ? $", test MSE {F(ke)}" : ""));
        if (r.TrainGap is double g) stdout.WriteLine($"gap to NTK KRR ‖u_nn − u*‖/‖u*‖: train {F(g)}" + (r.TestGap is double tg ? $", test {F(tg)}" : ""));
        stdout.WriteLine($"lazy regime: max weight move {F(r.MaxWeightMove)}, kernel drift {(r.KernelDrift is double kd ? F(kd) : "n/a")}, pattern flips {r.PatternFlips.ToString("P2", CultureInfo.InvariantCulture)}");
        stdout.WriteLine($"{r.Seconds:0.00} s");
    }

    public static JsonLine Json(NetworkOutcome r, NetworkSettings s, int nTrain, int? nTest, string? modelPath) => new JsonLine()
        .Add("command", "train-nn").Add("train_gap_rel", r.TrainGap).Add("test_gap_rel", r.TestGap)
        .Add("train_mse", r.TrainMse).Add("test_mse", r.TestMse).Add("krr_train_mse", r.KrrTrainMse).Add("krr_test_mse", r.KrrTestMse)
        .Add("max_weight_move", r.MaxWeightMove).Add("kernel_drift", r.KernelDrift).Add("pattern_flips", r.PatternFlips)
        .Add("width", s.Width).Add("init", s.Init).Add("kappa", s.Kappa).Add("lambda", s.Lambda).Add("lr", r.LearningRate)
        .Add("steps", s.Steps).Add("seed", s.Seed).Add("convergence_exponent", r.ConvergenceExponent)
        .Add("warnings", string.Join("; ", r.Warnings)).Add("n_train", nTrain).Add("n_test", nTest).Add("seconds", r.Seconds).Add("peak_mb", PeakMemory.Megabytes())
        .Add("model", modelPath).Add("backend", DenseBackend.Current.Name).Add("version", ProgramInfo.Version);

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

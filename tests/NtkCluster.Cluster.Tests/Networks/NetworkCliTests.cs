using System.Globalization;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Networks;

/// <summary><c>ntk train-nn</c>, <c>ntk predict</c> on a network model and <c>ntk width-sweep</c>, in-process.</summary>
public sealed class NetworkCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement LastLineJson(CliRun run)
    {
        var lines = run.StdoutLines;
        Assert.True(lines.Length > 0, run.ToString());
        using var doc = JsonDocument.Parse(lines[^1]);
        return doc.RootElement.Clone();
    }

    private static double Finite(JsonElement json, string name)
    {
        var e = json.GetProperty(name);
        Assert.True(e.ValueKind == JsonValueKind.Number, $"{name} is {e.ValueKind}: {json}");
        double v = e.GetDouble();
        Assert.True(double.IsFinite(v), $"{name} = {v}");
        return v;
    }

    [Fact]
    public async Task Train_nn_reports_gaps_errors_and_lazy_regime_quantities_as_json()
    {
        string train = _dir.Write("train.csv", TestData.Csv(200, seed: 3));
        string model = _dir.PathOf("net.json"), predictions = _dir.PathOf("p.csv");
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--test-fraction", "0.3", "--standardize", "--normalize",
            "--width", "300", "--lambda", "0.01", "--steps", "100", "--json", "--model", model, "--out", predictions);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());

        var json = LastLineJson(run);
        Assert.Equal("train-nn", json.GetProperty("command").GetString());
        foreach (var name in new[] { "train_gap_rel", "test_gap_rel", "krr_train_mse", "krr_test_mse", "max_weight_move" })
            Assert.True(Finite(json, name) > 0, $"{name} should be positive: {json}");
        foreach (var name in new[] { "train_mse", "test_mse" })
            Assert.True(Finite(json, name) > 0, $"{name} should be positive: {json}");
        Assert.True(Finite(json, "kernel_drift") >= 0);
        Assert.InRange(Finite(json, "pattern_flips"), 0.0, 1.0);
        Assert.Equal(300, json.GetProperty("width").GetInt32());
        Assert.Equal(100, json.GetProperty("steps").GetInt32());
        Assert.Equal("gaussian", json.GetProperty("init").GetString());
        Assert.Equal(140, json.GetProperty("n_train").GetInt32());
        Assert.Equal(60, json.GetProperty("n_test").GetInt32());
        Assert.Equal(model, json.GetProperty("model").GetString());
        Assert.True(Finite(json, "lr") > 0);
        Assert.True(Finite(json, "convergence_exponent") > 0);
        // 100 steps at the default η are far from converged here (exponent ≈ 0.09), and the warning says so.
        if (json.GetProperty("convergence_exponent").GetDouble() < 5)
            Assert.Contains(run.StderrLines, l => l.StartsWith("ntk train-nn: warning: too few steps", StringComparison.Ordinal));

        Assert.True(File.Exists(model));
        var (header, rows) = TestData.Parse(predictions);
        Assert.Equal(new[] { "prediction" }, header);
        Assert.Equal(60, rows.Length);
        Assert.All(rows, r => Assert.True(r.Length == 1 && double.IsFinite(r[0])));
        Assert.Contains(run.StderrLines, l => l.StartsWith("ntk train-nn: step ", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("gap to NTK KRR", StringComparison.Ordinal));
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>ntk predict</c> with the saved network reproduces the test predictions <c>train-nn --out</c> wrote, to the
    /// last bit — for one neuron block, and for a network of two blocks (1500 neurons), where the trainer sums the
    /// outputs block by block.
    /// </summary>
    [Theory]
    [InlineData(300, "gaussian")]
    [InlineData(1500, "leverage")]
    public async Task Predict_with_the_saved_network_reproduces_the_test_predictions_bitwise(int width, string init)
    {
        string train = _dir.Write("train.csv", TestData.Csv(150, seed: 4));
        string test = _dir.Write("test.csv", TestData.Csv(40, seed: 5));
        string model = _dir.PathOf("net.json"), predictions = _dir.PathOf("p.csv"), again = _dir.PathOf("again.csv");
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--test", test, "--standardize", "--normalize", "--scale-target",
            "--width", width.ToString(CultureInfo.InvariantCulture), "--init", init, "--pool", "2000", "--lambda", "0.01", "--steps", "30",
            "--model", model, "--out", predictions, "--workers", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", again);
        Assert.True(predict.ExitCode == 0, predict.ToString());

        var written = File.ReadAllLines(predictions);
        var predicted = File.ReadAllLines(again);
        Assert.Equal(41, written.Length);
        var differing = Enumerable.Range(0, written.Length).Where(i => written[i] != predicted[i]).ToArray();
        if (differing.Length > 0)
        {
            int i = differing[0];
            double a = double.Parse(written[i], CultureInfo.InvariantCulture), b = double.Parse(predicted[i], CultureInfo.InvariantCulture);
            Assert.Fail($"{differing.Length} of 40 predictions differ; line {i + 1}: train-nn --out {written[i]}, predict {predicted[i]} (relative {Math.Abs(a - b) / Math.Abs(a):E2})");
        }
    }

    [Fact]
    public async Task No_reference_gives_null_gaps_and_krr_fields()
    {
        string train = _dir.Write("train.csv", TestData.Csv(120, seed: 6));
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--test-fraction", "0.25", "--standardize", "--normalize",
            "--width", "200", "--lambda", "0.01", "--steps", "40", "--no-reference", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = LastLineJson(run);
        foreach (var name in new[] { "train_gap_rel", "test_gap_rel", "krr_train_mse", "krr_test_mse" })
            Assert.True(json.GetProperty(name).ValueKind == JsonValueKind.Null, $"{name}: {json}");
        Assert.True(Finite(json, "train_mse") > 0);
        Assert.True(Finite(json, "test_mse") > 0);
        Assert.True(Finite(json, "max_weight_move") > 0);
        Assert.DoesNotContain(run.StdoutLines, l => l.StartsWith("gap to NTK KRR", StringComparison.Ordinal));
        Assert.DoesNotContain(run.StdoutLines, l => l.StartsWith("NTK KRR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_step_is_flagged_as_too_few_steps_on_stderr()
    {
        string train = _dir.Write("train.csv", TestData.Csv(80, seed: 7));
        var run = await Ntk.RunAsync("train-nn", "--train", train, "--standardize", "--normalize", "--width", "100", "--lambda", "0.01", "--steps", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.StderrLines, l => l.Contains("too few steps", StringComparison.Ordinal));
        Assert.StartsWith("ntk train-nn: warning: ", warning);
        Assert.DoesNotContain("too few steps", run.Stdout);

        // And enough steps do not draw the warning.
        var enough = await Ntk.RunAsync("train-nn", "--train", train, "--standardize", "--normalize", "--width", "100", "--lambda", "1", "--steps", "200", "--json");
        Assert.True(enough.ExitCode == 0, enough.ToString());
        Assert.True(LastLineJson(enough).GetProperty("convergence_exponent").GetDouble() >= 5, enough.ToString());
        Assert.DoesNotContain(enough.StderrLines, l => l.Contains("too few steps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Width_sweep_prints_a_row_per_width()
    {
        string train = _dir.Write("train.csv", TestData.Csv(120, seed: 8));
        var run = await Ntk.RunAsync("width-sweep", "--train", train, "--test-fraction", "0.25", "--standardize", "--normalize",
            "--widths", "50,200", "--lambda", "0.01", "--steps", "50", "--json");
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdoutLines;
        Assert.Contains(lines, l => l.Contains("gap gaussian") && l.Contains("gap leverage"));
        foreach (int width in new[] { 50, 200 })
        {
            var row = Assert.Single(lines, l => l.TrimStart().StartsWith(width + " ", StringComparison.Ordinal));
            // width, two gaps, two MSEs, then the two flip fractions as "14.4 %".
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(9, cells.Length);
            Assert.Equal("%", cells[6]);
            Assert.Equal("%", cells[8]);
            for (int c = 1; c <= 4; c++)
            {
                double v = double.Parse(cells[c], CultureInfo.InvariantCulture);
                Assert.True(double.IsFinite(v) && v > 0, $"width {width}, column {c}: {cells[c]}");
            }
        }
        var points = LastLineJson(run).GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(4, points.Length);
        Assert.Equal(new[] { (50, "gaussian"), (50, "leverage"), (200, "gaussian"), (200, "leverage") },
            points.Select(p => (p.GetProperty("width").GetInt32(), p.GetProperty("init").GetString()!)).OrderBy(k => k).ToArray());
    }

    public static TheoryData<string, string[], string> BadArguments => new()
    {
        { "width 0", ["--width", "0"], "--width" },
        { "width not a number", ["--width", "abc"], "--width 'abc'" },
        { "unknown init", ["--init", "uniform"], "--init 'uniform'" },
        { "missing steps", ["--steps", null!], "--steps" },
        { "kappa 0", ["--kappa", "0"], "--kappa" },
        { "lambda 0", ["--lambda", "0"], "--lambda" },
        { "two targets", ["--target", "y,x3"], "--target" },
        { "negative step size", ["--lr", "-1"], "--lr" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_exit_2_with_one_line(string what, string[] change, string mention)
    {
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 9));
        string model = _dir.PathOf("net.json");
        var options = new List<(string Name, string? Value)>
        {
            ("--train", train), ("--width", "50"), ("--lambda", "0.01"), ("--steps", "10"), ("--model", model),
        };
        int at = options.FindIndex(o => o.Name == change[0]);
        if (at >= 0) options[at] = (change[0], change[1]);
        else options.Add((change[0], change[1]));
        var args = new List<string> { "train-nn" };
        foreach (var (name, value) in options)
            if (value is not null) args.AddRange([name, value]);

        var run = await Ntk.RunAsync([.. args]);
        Assert.True(run.ExitCode == 2, $"{what}: expected exit code 2\n{run}");
        Assert.True(run.StderrLines.Length == 1, $"{what}: expected one line on stderr\n{run}");
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("ntk train-nn: error: ", run.StderrLines[0]);
        Assert.Contains(mention, run.StderrLines[0]);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.False(File.Exists(model), $"{what}: a model file was written");
    }

    /// <summary>
    /// <c>--steps auto</c>: the fewest steps T with η·T·(κ²λ_min+λ) ≥ 5 (so T−1 steps fall short), reported as the run's
    /// steps, and the network is the one a fixed <c>--steps T</c> run trains.
    /// </summary>
    [Fact]
    public async Task Train_nn_steps_auto_trains_the_fewest_steps_that_converge()
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 21));
        string[] common = ["train-nn", "--train", train, "--standardize", "--normalize", "--width", "50", "--lambda", "0.5", "--quiet", "--json"];
        var auto = await Ntk.RunAsync([.. common, "--steps", "auto"]);
        Assert.True(auto.ExitCode == 0, auto.ToString());
        var a = LastLineJson(auto);
        int steps = a.GetProperty("steps").GetInt32();
        double exponent = Finite(a, "convergence_exponent");
        Assert.True(a.GetProperty("auto_steps").GetBoolean());
        Assert.True(exponent >= 5, $"exponent {exponent} after {steps} steps");
        Assert.True(exponent * (steps - 1) / steps < 5, $"{steps - 1} steps would have reached {exponent * (steps - 1) / steps}");
        Assert.InRange(steps, 2, 20000);
        Assert.DoesNotContain("too few steps", auto.Stderr);

        var fixedRun = await Ntk.RunAsync([.. common, "--steps", steps.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        var f = LastLineJson(fixedRun);
        Assert.False(f.GetProperty("auto_steps").GetBoolean());
        Assert.Equal(steps, f.GetProperty("steps").GetInt32());
        // η comes from an eigensolver whose last bits may vary between processes: equal to rounding, not bitwise.
        foreach (var name in new[] { "train_mse", "train_gap_rel", "max_weight_move" })
            Assert.Equal(Finite(f, name), Finite(a, name), 1e-9 * Math.Abs(Finite(f, name)));
    }

    [Fact]
    public async Task Train_nn_steps_auto_stops_at_max_steps_with_a_warning_and_max_steps_needs_auto()
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 22));
        string[] common = ["train-nn", "--train", train, "--standardize", "--normalize", "--width", "50", "--lambda", "0.01", "--json"];
        var capped = await Ntk.RunAsync([.. common, "--steps", "auto", "--max-steps", "7", "--quiet"]);
        Assert.True(capped.ExitCode == 0, capped.ToString());
        Assert.Equal(7, LastLineJson(capped).GetProperty("steps").GetInt32());
        Assert.Contains("stopped at its cap of 7 steps", capped.Stderr);
        Assert.Contains("7 steps (auto, at most 7)", capped.Stdout);

        foreach (var (args, expected) in new (string[], string)[]
                 {
                     ([.. common, "--steps", "100", "--max-steps", "50"], "--max-steps caps --steps auto"),
                     ([.. common, "--steps", "many"], "neither a whole number of steps nor 'auto'"),
                     ([.. common, "--steps", "auto", "--max-steps", "0"], "--max-steps must be between 1"),
                     ([.. common], "needs --steps T"),
                 })
        {
            var refused = await Ntk.RunAsync(args);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Single(refused.StderrLines);
            Assert.Contains(expected, refused.Stderr);
        }
    }
}

using System.Text.Json;
using NtkCluster.Coordinator;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk fit</c> then <c>ntk predict</c>, end to end in-process through the real command line and a one-node
/// local cluster: the JSON summary, the model file, and the predictions agreeing with the reported test error.
/// </summary>
public sealed class FitPredictTests : IDisposable
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

    private static double MeanSquaredError(double[][] truth, double[][] predicted)
    {
        Assert.Equal(truth.Length, predicted.Length);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            Assert.Equal(truth[i].Length, predicted[i].Length);
            for (int j = 0; j < truth[i].Length; j++) { double e = truth[i][j] - predicted[i][j]; sum += e * e; count++; }
        }
        return sum / count;
    }

    /// <summary>The given columns of a CSV file, by name, row by row.</summary>
    private static double[][] Columns(string path, params string[] names)
    {
        var (header, rows) = TestData.Parse(path);
        int[] index = names.Select(n => Array.IndexOf(header, n)).ToArray();
        Assert.DoesNotContain(-1, index);
        return rows.Select(r => index.Select(i => r[i]).ToArray()).ToArray();
    }

    private static void AssertRelativelyEqual(double expected, double actual, double tolerance = 1e-9) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative difference {Math.Abs(expected - actual) / Math.Abs(expected):E2})");

    [Theory]
    [InlineData("features")]
    [InlineData("exact")]
    public async Task Fit_then_predict_reproduces_the_reported_test_error(string solver)
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 1));
        string test = _dir.Write("test.csv", TestData.Csv(25, seed: 2));
        string model = _dir.PathOf("model.json");
        string[] solverArgs = solver == "features" ? ["--features", "200"] : ["--solver", "exact"];

        var fit = await Ntk.RunAsync(["fit", "--train", train, "--test", test, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            .. solverArgs, "--standardize", "--model", model, "--json"]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.True(File.Exists(model));
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));

        var json = LastLineJson(fit);
        double trainMse = json.GetProperty("train_mse").GetDouble();
        double testMse = json.GetProperty("test_mse").GetDouble();
        double seconds = json.GetProperty("seconds").GetDouble();
        Assert.True(double.IsFinite(trainMse) && trainMse >= 0, $"train_mse {trainMse}");
        Assert.True(double.IsFinite(testMse) && testMse > 0, $"test_mse {testMse}");
        // The target has variance around 1.3 (sin(x1) + x2²); a working fit on 60 rows does much better than that.
        Assert.True(testMse < 1.0, $"test_mse {testMse} is no better than predicting the mean");
        Assert.True(double.IsFinite(seconds) && seconds >= 0 && seconds < 60, $"seconds {seconds}");
        Assert.Equal(solver, json.GetProperty("solver").GetString());
        Assert.Equal(solver == "features" ? 200 : 0, json.GetProperty("features").GetInt32());
        Assert.Equal(JsonValueKind.String, json.GetProperty("sampling").ValueKind);
        if (solver == "features") Assert.Equal("plain", json.GetProperty("sampling").GetString());
        Assert.Equal(0UL, json.GetProperty("seed").GetUInt64());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("backend").GetString()));
        Assert.Equal(ProgramInfo.Version, json.GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", json.GetProperty("version").GetString()!);
        Assert.Equal(60, json.GetProperty("n_train").GetInt32());
        Assert.Equal(25, json.GetProperty("n_test").GetInt32());
        Assert.Equal(model, json.GetProperty("model").GetString());

        string predictions = _dir.PathOf("predictions.csv");
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal("", predict.Stdout);

        var (header, rows) = TestData.Parse(predictions);
        Assert.Equal(new[] { "prediction" }, header);
        Assert.Equal(25, rows.Length);
        Assert.All(rows, r => Assert.True(r.Length == 1 && double.IsFinite(r[0])));
        AssertRelativelyEqual(testMse, MeanSquaredError(Columns(test, "y"), rows));
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Predict_to_stdout_prints_the_same_csv_as_to_a_file()
    {
        string train = _dir.Write("train.csv", TestData.Csv(40, seed: 1));
        string test = _dir.Write("test.csv", TestData.Csv(10, seed: 2));
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", "laplace:gamma=0.3", "--lambda", "0.05", "--features", "30", "--model", model);
        Assert.True(fit.ExitCode == 0, fit.ToString());

        string file = _dir.PathOf("p.csv");
        var toFile = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", file);
        var toStdout = await Ntk.RunAsync("predict", "--model", model, "--data", test);
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Equal(File.ReadAllText(file), toStdout.Stdout);
    }

    [Fact]
    public async Task Two_targets_give_one_prediction_column_per_target()
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 1, twoTargets: true));
        string test = _dir.Write("test.csv", TestData.Csv(20, seed: 2, twoTargets: true));
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--test", test, "--target", "y1,y2", "--kernel", "rbf:gamma=0.5",
            "--lambda", "0.1", "--features", "100", "--standardize", "--model", model, "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        double testMse = LastLineJson(fit).GetProperty("test_mse").GetDouble();

        string predictions = _dir.PathOf("predictions.csv");
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var (header, rows) = TestData.Parse(predictions);
        Assert.Equal(new[] { "prediction_y1", "prediction_y2" }, header);
        Assert.Equal(20, rows.Length);
        AssertRelativelyEqual(testMse, MeanSquaredError(Columns(test, "y1", "y2"), rows));
    }

    [Fact]
    public async Task Predict_ignores_the_target_and_matches_feature_columns_by_name()
    {
        string train = _dir.Write("train.csv", TestData.Csv(50, seed: 1));
        string test = _dir.Write("test.csv", TestData.Csv(15, seed: 2));
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "50",
            "--standardize", "--model", model);
        Assert.True(fit.ExitCode == 0, fit.ToString());

        // The same rows: with the target moved into the middle and the features reordered; and without the target.
        string permuted = _dir.Write("permuted.csv", TestData.Permute(test, "x3", "y", "x1", "x2"));
        string noTarget = _dir.Write("no-target.csv", TestData.Permute(test, "x2", "x3", "x1"));

        string[] outputs = ["p-original.csv", "p-permuted.csv", "p-no-target.csv"];
        string[] inputs = [test, permuted, noTarget];
        for (int k = 0; k < inputs.Length; k++)
        {
            var run = await Ntk.RunAsync("predict", "--model", model, "--data", inputs[k], "--out", _dir.PathOf(outputs[k]), "--workers", "2");
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        string original = File.ReadAllText(_dir.PathOf(outputs[0]));
        Assert.Equal(16, CliRun.Lines(original).Length);
        Assert.Equal(original, File.ReadAllText(_dir.PathOf(outputs[1])));
        Assert.Equal(original, File.ReadAllText(_dir.PathOf(outputs[2])));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(58)] // 0.25 · 58 = 14.5: ties round up, to 15
    public async Task Test_fraction_holds_out_the_rounded_share_of_rows(int n)
    {
        string train = _dir.Write("train.csv", TestData.Csv(n, seed: 1));
        var fit = await Ntk.RunAsync("fit", "--train", train, "--test-fraction", "0.25", "--split-seed", "3",
            "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "50", "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var json = LastLineJson(fit);
        int expectedTest = (int)Math.Round(0.25 * n, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedTest, json.GetProperty("n_test").GetInt32());
        Assert.Equal(n - expectedTest, json.GetProperty("n_train").GetInt32());
        double testMse = json.GetProperty("test_mse").GetDouble();
        Assert.True(double.IsFinite(testMse) && testMse > 0, $"test_mse {testMse}");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("model").ValueKind);
        Assert.Equal(new[] { "train.csv" }, _dir.FileNames()); // no --model: nothing written
    }
}

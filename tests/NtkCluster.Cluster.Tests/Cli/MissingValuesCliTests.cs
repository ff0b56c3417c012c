using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Missing values and R's separators through the real command line: <c>--missing mean|median|drop</c> against
/// scikit-learn's <c>SimpleImputer</c> + <c>KernelRidge</c> on the same rows
/// (tests/NtkCluster.Numerics.Tests/Fixtures/missing/make_missing_fixtures.py), the fill values carried by the model
/// into <c>predict</c>, R's write.csv2 export read as the same table, and the one-line refusals.
/// </summary>
public sealed class MissingValuesCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public MissingValuesCliTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "missing", name);

    private async Task<string> FitAndPredict(string train, string test, params string[] extra)
    {
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("predictions.csv");
        var fit = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact",
            "--model", model, "--workers", "2", .. extra]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        _output.WriteLine(fit.ToString());
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        _output.WriteLine(predict.Stderr);
        return predictions;
    }

    private void AssertMatches(string expectedPath, string actualPath)
    {
        var expected = ReadColumn(expectedPath);
        var actual = ReadColumn(actualPath);
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max(), scale = expected.Max(Math.Abs);
        _output.WriteLine($"{Path.GetFileName(expectedPath)}: max |diff| / max |expected| = {maxDiff / scale:E2}");
        Assert.True(maxDiff / scale <= 1e-6, $"relative error {maxDiff / scale:E2}");
    }

    private static double[] ReadColumn(string path) =>
        File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    [Theory]
    [InlineData("mean")]
    [InlineData("median")]
    public async Task Imputed_fit_then_predict_matches_SimpleImputer_and_KernelRidge(string strategy)
    {
        var predictions = await FitAndPredict(Fixture("air-train.csv"), Fixture("air-test.csv"), "--missing", strategy);
        AssertMatches(Fixture($"expected-{strategy}.csv"), predictions);
        Assert.Contains($"\"missing\":\"{strategy}\"", File.ReadAllText(_dir.PathOf("model.json")));
    }

    [Fact]
    public async Task Dropped_rows_fit_matches_KernelRidge_on_the_complete_rows()
    {
        var predictions = await FitAndPredict(Fixture("air-train.csv"), Fixture("air-test-complete.csv"), "--missing", "drop");
        AssertMatches(Fixture("expected-drop.csv"), predictions);
    }

    [Fact]
    public async Task Fit_counts_the_dropped_rows_without_a_target_and_the_filled_cells()
    {
        var run = await Ntk.RunAsync("fit", "--train", Fixture("air-train.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--missing", "drop", "--workers", "1", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.Contains("dropped 2 row(s) with a missing target: y (2)", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("--missing drop dropped 17 of 58 row(s) with missing values in a (9), b (5), c (4)", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("41 training rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_R_write_csv2_export_is_read_as_the_same_table_and_named()
    {
        var comma = await FitAndPredict(Fixture("air-train.csv"), Fixture("air-test.csv"), "--missing", "mean");
        string first = File.ReadAllText(comma);
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("air-train-csv2.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--solver", "exact", "--missing", "mean", "--workers", "2", "--model", _dir.PathOf("model2.json"));
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Contains(fit.StderrLines, l => l.Contains("read as ';'-separated, with decimal commas", StringComparison.Ordinal));
        var predict = await Ntk.RunAsync("predict", "--model", _dir.PathOf("model2.json"), "--data", Fixture("air-test.csv"), "--out", _dir.PathOf("p2.csv"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(first, File.ReadAllText(_dir.PathOf("p2.csv")));
    }

    [Theory]
    [InlineData("\"x1\"\t\"x2\"\t\"y\"\n1\t2\t3\n2\t1\t4\n0.5\t0.5\t1\n3\t1\t2\n", null)]
    [InlineData("x1\tx2\ty\n1\t2\t3\n2\t1\t4\n0.5\t0.5\t1\n3\t1\t2\n", null)]
    [InlineData("\"x1\";\"x2\";\"y\"\n1;2;3\n2;1;4\n0.5;0.5;1\n3;1;2\n", null)]
    [InlineData("x1|x2|y\n1|2|3\n2|1|4\n0.5|0.5|1\n3|1|2\n", "x")]
    public async Task Tab_and_semicolon_headers_are_detected_quoted_or_not(string contents, string? refused)
    {
        string path = _dir.Write("t.csv", contents);
        var run = await Ntk.RunAsync("fit", "--train", path, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--quiet", "--json");
        if (refused is not null)
        {
            Assert.Equal(2, run.ExitCode);
            return;
        }
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"n_train\":4", run.Stdout);
    }

    [Fact]
    public async Task Separator_option_forces_the_separator()
    {
        // One column whose name holds a ';': read as ';'-separated only when asked.
        string path = _dir.Write("s.csv", "x1;y\n1;2\n2;3\n3;5\n");
        var run = await Ntk.RunAsync("fit", "--train", path, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--separator", ";", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"n_train\":3", run.Stdout);
        var comma = await Ntk.RunAsync("fit", "--train", path, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--separator", ",");
        Assert.Equal(2, comma.ExitCode);
        Assert.Contains("--separator ';'", comma.Stderr);
    }

    [Fact]
    public async Task Fit_and_cv_print_R2_and_the_predict_the_mean_MSE()
    {
        // y = 2·x exactly on 8 rows: the baseline is the population variance of y, R² = 1 − MSE/baseline.
        string path = _dir.Write("lin.csv", "x,y\n" + string.Join("\n", Enumerable.Range(0, 8).Select(i => $"{i},{2 * i}")) + "\n");
        var run = await Ntk.RunAsync("fit", "--train", path, "--kernel", "rbf:gamma=0.05", "--lambda", "0.01", "--workers", "1", "--quiet", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = System.Text.Json.JsonDocument.Parse(run.StdoutLines[^1]).RootElement;
        double mse = json.GetProperty("train_mse").GetDouble(), baseline = json.GetProperty("train_baseline_mse").GetDouble();
        Assert.Equal(21.0, baseline, 12); // y = 0,2,…,14: mean 7, Σ(y−7)²/8 = 4·(49+25+9+1)/8 = 42·… = 21
        Assert.Equal(1 - mse / baseline, json.GetProperty("train_r2").GetDouble(), 12);
        Assert.Contains(run.StdoutLines, l => l.Contains("R² ", StringComparison.Ordinal) && l.Contains("predict-the-mean MSE 21", StringComparison.Ordinal));

        var cv = await Ntk.RunAsync("cv", "--train", path, "--kernel", "rbf", "--gamma", "0.05", "--lambda", "0.01,0.1", "--folds", "2",
            "--workers", "1", "--quiet", "--json");
        Assert.True(cv.ExitCode == 0, cv.ToString());
        var cvJson = System.Text.Json.JsonDocument.Parse(cv.StdoutLines[^1]).RootElement;
        double chosenMean = cvJson.GetProperty("chosen").GetProperty("mean").GetDouble();
        Assert.Equal(1 - chosenMean / 21.0, cvJson.GetProperty("chosen_r2").GetDouble(), 12);
        Assert.Contains(cv.StdoutLines, l => l.StartsWith("chosen:", StringComparison.Ordinal) && l.Contains("R² ", StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- bad input: one line, exit 2, nothing written

    private async Task AssertOneLine(string[] args, params string[] mustContain)
    {
        string output = _dir.PathOf("out.json");
        var run = await Ntk.RunAsync([.. args, "--model", output]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        Assert.Empty(run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr);
        foreach (var text in mustContain) Assert.Contains(text, run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public Task Gaps_without_missing_are_refused_in_one_line_counting_every_column() =>
        AssertOneLine(["fit", "--train", Fixture("air-train.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1"],
            "air-train.csv: missing values in a (9), b (5), c (4): use --missing drop|mean|median, or --columns to leave columns out",
            "rows without a target are dropped: 2");

    [Fact]
    public Task Unknown_missing_value_is_refused_in_one_line() =>
        AssertOneLine(["fit", "--train", Fixture("air-train.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--missing", "zero"],
            "--missing must be drop|mean|median, got 'zero'");

    [Theory]
    [InlineData("mean")]
    [InlineData("drop")]
    [InlineData(null)]
    public Task A_column_entirely_missing_is_refused_in_one_line(string? policy)
    {
        string path = _dir.Write("gap.csv", "a,b,y\n1,NA,2\n2,,3\n3,?,4\n");
        return AssertOneLine(["fit", "--train", path, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1",
            .. policy is null ? Array.Empty<string>() : ["--missing", policy]], "gap.csv: column 'b' is entirely missing (3 row(s))", "--columns");
    }

    [Fact]
    public async Task Predict_with_a_model_fitted_without_fills_refuses_missing_cells_in_one_line()
    {
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("air-train.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--missing", "drop", "--workers", "1", "--model", model);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("air-test.csv"), "--out", _dir.PathOf("p.csv"));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("air-test.csv: missing values in a (4), b (2), c (3): the model was fitted without --missing mean|median (with --missing drop)", run.Stderr);
        Assert.False(File.Exists(_dir.PathOf("p.csv")));
    }

    [Fact]
    public async Task A_partitioned_dataset_fills_as_the_file_does_and_refuses_a_fit_that_gathers_rows()
    {
        Directory.CreateDirectory(_dir.PathOf("parts"));
        File.Copy(Fixture("air-train.csv"), _dir.PathOf("parts/part-0.csv"));
        string[] fit = ["fit", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--missing", "mean", "--workers", "1"];
        var parts = await Ntk.RunAsync([.. fit, "--train", _dir.PathOf("parts"), "--solver", "features", "--features", "10", "--model", _dir.PathOf("parts.json")]);
        Assert.True(parts.ExitCode == 0, parts.ToString());
        var file = await Ntk.RunAsync([.. fit, "--train", Fixture("air-train.csv"), "--solver", "features", "--features", "10", "--model", _dir.PathOf("file.json")]);
        Assert.True(file.ExitCode == 0, file.ToString());
        static string Fills(string model) => System.Text.Json.JsonDocument.Parse(File.ReadAllText(model)).RootElement
            .GetProperty("preprocessing").GetProperty("feature_fills").GetRawText();
        Assert.Equal(Fills(_dir.PathOf("file.json")), Fills(_dir.PathOf("parts.json")));

        // Exact KRR gathers rows by their position in the files, which --missing changes: refused in one line, nothing written.
        var exact = await Ntk.RunAsync([.. fit, "--train", _dir.PathOf("parts"), "--solver", "exact", "--model", _dir.PathOf("exact.json")]);
        Assert.Equal(2, exact.ExitCode);
        Assert.Contains("--missing mean on a partitioned dataset works with fits made partition by partition", exact.StderrLines[^1]);
        Assert.DoesNotContain("   at ", exact.Stderr);
        Assert.False(File.Exists(_dir.PathOf("exact.json")));
    }
}

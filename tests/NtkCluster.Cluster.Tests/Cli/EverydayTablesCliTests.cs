using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// The behaviours of issue 16 (everyday tabular data) that no other test pinned down: every missing-value marker,
/// Parquet nulls filled or dropped, <c>--separator tab</c>, the stored fills applied by <c>features</c>, one-hot columns
/// left 0/1 by <c>--standardize</c>, a γ at the edge of the cv grid, the classifier's data line, bad values of the new
/// options, and <c>ntk report</c>'s quiet and log output.
/// </summary>
public sealed class EverydayTablesCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string folder, string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name);

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    private static JsonElement Model(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static void AssertOneLine(CliRun run, string expected, params string[] notWritten)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Contains(expected, run.Stderr);
        foreach (string path in notWritten) Assert.False(File.Exists(path), $"{path} was written");
    }

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData("na")]
    [InlineData("NaN")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("None")]
    [InlineData("N/A")]
    [InlineData("#N/A")]
    [InlineData("?")]
    public async Task Every_missing_value_marker_is_counted_as_a_missing_cell_not_read_as_a_category(string marker)
    {
        // Were the marker not recognised, x2 would be a text column, one-hot encoded, and the fit would run.
        string path = _dir.Write("m.csv", $"x1,x2,y\n1,2,3\n2,{marker},4\n3,1,5\n4,2,6\n");
        string model = _dir.PathOf("m.json");
        var run = await Ntk.RunAsync("fit", "--train", path, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--model", model);
        AssertOneLine(run, $"{path}: missing values in x2 (1): use --missing drop|mean|median", model);
    }

    [Fact]
    public async Task The_data_line_comes_first_and_the_reading_notes_after_it_or_not_at_all_when_the_file_is_refused()
    {
        string csv2 = Fixture("missing", "air-train-csv2.csv");
        string model = _dir.PathOf("air.json");
        // Refused (gaps, no --missing): the error alone, not after the note naming the separator.
        var refused = await Ntk.RunAsync("fit", "--train", csv2, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--model", model);
        AssertOneLine(refused, $"{csv2}: missing values in a (9), b (5), c (4)", model);

        var fit = await Ntk.RunAsync("fit", "--train", csv2, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--missing", "mean",
            "--model", model, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.StartsWith($"ntk fit: {csv2}: 58 training rows × 3 features, target 'y'", fit.StderrLines[0], StringComparison.Ordinal);
        Assert.Equal(
            [
                $"ntk fit: note: {csv2}: read as ';'-separated, with decimal commas (2,5 is 2.5: R's write.csv2)",
                $"ntk fit: note: {csv2}: dropped 2 row(s) with a missing target: y (2)",
            ],
            fit.StderrLines[1..3]);
        Assert.Contains(fit.StderrLines[1..], l => l.Contains("--missing mean fills", StringComparison.Ordinal));

        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("missing", "air-test.csv"), "--quiet");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.StartsWith($"ntk predict: {Fixture("missing", "air-test.csv")}: ", predict.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("ntk predict: note: filling ", predict.StderrLines[1], StringComparison.Ordinal);

        foreach (string[] command in new[]
                 {
                     new[] { "cv", "--kernel", "rbf", "--gamma", "0.5", "--lambda", "0.1", "--folds", "2" },
                     new[] { "sweep", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "4", "--repeats", "1" },
                 })
        {
            var run = await Ntk.RunAsync([.. command, "--train", csv2, "--missing", "drop", "--workers", "1", "--quiet"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith($"ntk {command[0]}: {csv2}: 41 training rows", run.StderrLines[0], StringComparison.Ordinal);
            Assert.Contains(run.StderrLines[1..], l => l.StartsWith($"ntk {command[0]}: note: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Predict_keep_passes_an_id_column_through_beside_a_categorical_models_predictions()
    {
        string model = _dir.PathOf("cars.json");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("categorical", "cars-train.csv"), "--kernel", "rbf:gamma=0.2", "--lambda", "0.1",
            "--standardize", "--model", model, "--workers", "1", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var rows = File.ReadAllLines(Fixture("categorical", "cars-test.csv"));
        string withId = _dir.Write("with-id.csv", string.Join("\n", rows.Select((l, i) => (i == 0 ? "id," : $"car {i},") + l)) + "\n");
        var plain = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("categorical", "cars-test.csv"), "--quiet");
        var kept = await Ntk.RunAsync("predict", "--model", model, "--data", withId, "--keep", "id", "--quiet");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(kept.ExitCode == 0, kept.ToString());
        // The id first and verbatim, then the same predictions as without it.
        Assert.Equal(plain.StdoutLines.Select((l, i) => (i == 0 ? "id," : $"car {i},") + l), kept.StdoutLines);
    }

    [Theory]
    [InlineData("car", "van")]
    [InlineData("1", "2")]
    public async Task A_missing_label_drops_its_row_with_a_count_and_is_no_class(string first, string second)
    {
        string train = _dir.Write("labels.csv", $"x,kind\n0,{first}\n0.1,NA\n1,{second}\n1.1,{second}\n0.2,{first}\n2,\n");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=1", "--lambda", "0.1", "--workers", "1", "--json");
        var json = Json(fit);
        Assert.Equal([first, second], json.GetProperty("classes").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
        Assert.Equal(4, json.GetProperty("n_train").GetInt32());
        Assert.Contains($"ntk fit: note: {train}: dropped 2 row(s) with a missing target: kind (2)", fit.StderrLines);
    }

    [Fact]
    public async Task Parquet_nulls_are_missing_values_filled_with_the_training_mean_or_dropped_with_a_count()
    {
        var x1 = Enumerable.Range(0, 40).Select(i => i is 3 or 10 ? null : (double?)(0.5 * i * i)).ToArray();
        string parquet = ParquetTestFile.Write(_dir.PathOf("nulls.parquet"), 16,
            ParquetTestColumn.Nullable("x1", x1), ParquetTestColumn.Of("x2", Enumerable.Range(0, 40).Select(i => (double)(i % 7)).ToArray()),
            ParquetTestColumn.Of("y", Enumerable.Range(0, 40).Select(i => i / 10.0).ToArray()));
        string[] fit = ["fit", "--train", parquet, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1"];

        string model = _dir.PathOf("mean.json");
        var mean = await Ntk.RunAsync([.. fit, "--missing", "mean", "--model", model]);
        Assert.True(mean.ExitCode == 0, mean.ToString());
        Assert.Contains(mean.StderrLines, l => l.Contains("--missing mean fills 2 missing cell(s) with the training rows' mean: x1 (2)", StringComparison.Ordinal));
        var fills = Model(model).GetProperty("preprocessing").GetProperty("feature_fills");
        double expected = x1.Where(v => v is not null).Average(v => v!.Value);
        Assert.Equal(expected, fills[0].GetDouble(), 1e-12 * expected);
        Assert.Equal(40, Model(model).GetProperty("training_inputs").GetProperty("rows").GetInt32());

        var drop = await Ntk.RunAsync([.. fit, "--missing", "drop", "--json"]);
        Assert.Contains(drop.StderrLines, l => l.Contains("--missing drop dropped 2 of 40 row(s) with missing values in x1 (2)", StringComparison.Ordinal));
        Assert.Equal(38, Json(drop).GetProperty("n_train").GetInt32());
    }

    [Fact]
    public async Task Separator_tab_reads_a_tab_separated_file_and_an_unknown_separator_is_refused_in_one_line()
    {
        string path = _dir.Write("t.tsv", "\"x 1\"\t\"x;2\"\ty\n1\t2\t3\n2\t1\t4\n0.5\t0.5\t1\n3\t1\t2\n");
        string tabModel = _dir.PathOf("tab.json");
        var tab = await Ntk.RunAsync("fit", "--train", path, "--separator", "tab", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--workers", "1", "--quiet", "--json", "--model", tabModel);
        Assert.Equal(4, Json(tab).GetProperty("n_train").GetInt32());
        // The quoted names keep their space and their ';': the header was split at the tabs only.
        Assert.Equal(["x 1", "x;2"], Model(tabModel).GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()));
        string model = _dir.PathOf("never.json");
        var pipe = await Ntk.RunAsync("fit", "--train", path, "--separator", "|", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--model", model);
        AssertOneLine(pipe, "--separator", model);
    }

    [Fact]
    public async Task Unknown_values_of_missing_and_unknown_category_are_refused_in_one_line_by_each_command()
    {
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 2));
        string model = _dir.PathOf("never.json");
        string[][] commands =
        [
            ["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--model", model],
            ["cv", "--train", train, "--kernel", "rbf", "--gamma", "0.5", "--lambda", "0.1", "--model", model],
            ["sweep", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "4,8"],
            ["train-nn", "--train", train, "--width", "8", "--lambda", "0.1", "--steps", "5", "--model", model],
        ];
        foreach (var command in commands)
        {
            AssertOneLine(await Ntk.RunAsync([.. command, "--missing", "zero"]), "--missing must be drop|mean|median, got 'zero'", model);
            AssertOneLine(await Ntk.RunAsync([.. command, "--unknown-category", "skip"]), "--unknown-category", model);
        }
    }

    [Fact]
    public async Task Standardize_scales_the_numeric_columns_and_leaves_the_one_hot_columns_0_and_1()
    {
        string model = _dir.PathOf("cars.json");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("categorical", "cars-train.csv"), "--kernel", "rbf:gamma=0.2", "--lambda", "0.1",
            "--standardize", "--model", model, "--workers", "1", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var json = Model(model);
        var names = json.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var means = json.GetProperty("preprocessing").GetProperty("feature_means").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var scales = json.GetProperty("preprocessing").GetProperty("feature_scales").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(["weight", "power"], names[..2]);
        Assert.Equal(2 + 5 + 3, names.Length); // body (5) and fuel (3) one-hot
        for (int j = 0; j < names.Length; j++)
        {
            if (j < 2)
            {
                Assert.True(means[j] != 0 && scales[j] != 1, $"{names[j]} is not standardized: mean {means[j]}, scale {scales[j]}");
                continue;
            }
            Assert.Contains('=', names[j]);
            Assert.Equal(0.0, means[j]);
            Assert.Equal(1.0, scales[j]);
        }
    }

    [Fact]
    public async Task Features_fills_missing_cells_with_the_values_stored_in_the_model()
    {
        var sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 30; i++) sb.Append(CultureInfo.InvariantCulture, $"{(i % 9 == 4 ? "NA" : (0.1 * i).ToString("R", CultureInfo.InvariantCulture))},{i % 5},{i % 3}\n");
        string train = _dir.Write("train.csv", sb.ToString());
        string model = _dir.PathOf("rf.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "6", "--missing", "median",
            "--model", model, "--workers", "1", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        double fill = Model(model).GetProperty("preprocessing").GetProperty("feature_fills")[0].GetDouble();
        Assert.Equal(1.5, fill, 12); // the median of a's 27 present values 0.0 … 2.9 without 0.4, 1.3, 2.2

        var gaps = await Ntk.RunAsync("features", "--model", model, "--data", _dir.Write("gaps.csv", "a,b\nNA,1\n0.7,?\n"));
        var filled = await Ntk.RunAsync("features", "--model", model, "--data",
            _dir.Write("filled.csv", $"a,b\n{fill.ToString("R", CultureInfo.InvariantCulture)},1\n0.7,2\n"));
        Assert.True(gaps.ExitCode == 0, gaps.ToString());
        Assert.True(filled.ExitCode == 0, filled.ToString());
        Assert.Equal(3, gaps.StdoutLines.Length);
        Assert.Equal(filled.Stdout, gaps.Stdout); // b's median: 2 (values 0 … 4, six times each)
    }

    [Fact]
    public async Task Cv_warns_when_the_chosen_gamma_is_at_the_edge_of_the_grid()
    {
        // y = sin(4x): a narrow kernel fits it, the widest ones of this grid cannot.
        string train = _dir.Write("sin.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i / 20.0},{Math.Sin(4 * i / 20.0)}\n"))));
        var run = await Ntk.RunAsync("cv", "--train", train, "--kernel", "rbf", "--gamma", "0.001,0.01,0.1", "--lambda", "1e-6,1e-3,1",
            "--folds", "3", "--workers", "1", "--json");
        var json = Json(run);
        Assert.Equal("rbf:gamma=0.1", json.GetProperty("chosen").GetProperty("kernel").GetString());
        Assert.Contains(run.StderrLines, l => l.StartsWith("ntk cv: warning: the chosen gamma 0.1 is the largest in the grid", StringComparison.Ordinal)
                                              && l.Contains("extend --gamma upwards", StringComparison.Ordinal));
        var edge = json.GetProperty("chosen_at_edge").EnumerateArray().Single(e => e.GetProperty("parameter").GetString() == "gamma");
        Assert.Equal("upper", edge.GetProperty("side").GetString());
        Assert.Equal(0.1, edge.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_classifiers_data_line_names_the_label_column_and_its_classes_not_the_score_columns()
    {
        string train = Fixture("text-labels", "iris-train.csv");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=0.2", "--lambda", "1", "--workers", "1", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.StartsWith($"ntk fit: {train}: 100 training rows × 2 features, target 'species' (3 classes; the last column; choose another with --target COL)",
            fit.StderrLines[0], StringComparison.Ordinal);
        var cv = await Ntk.RunAsync("cv", "--train", train, "--task", "classify", "--target", "species", "--kernel", "rbf", "--gamma", "0.2",
            "--lambda", "1", "--folds", "2", "--workers", "1", "--quiet");
        Assert.True(cv.ExitCode == 0, cv.ToString());
        Assert.StartsWith($"ntk cv: {train}: 100 training rows × 2 features, target 'species' (3 classes), 2 folds", cv.StderrLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("species=", fit.Stderr + cv.Stderr);
    }

    private static string[] TinyReport(string train, string outDir) =>
    [
        "report", "--train", train, "--out", outDir, "--test-fraction", "0.25", "--standardize", "--features", "4,8", "--repeats", "1",
        "--pool", "400", "--widths", "8,16", "--steps", "12", "--workers", "2",
    ];

    [Fact]
    public async Task A_report_without_a_terminal_prints_stage_ends_only_and_with_quiet_no_progress_at_all()
    {
        string train = _dir.Write("train.csv", TestData.Csv(48, seed: 7));
        var loud = await Ntk.RunAsync(TinyReport(train, _dir.PathOf("loud")));
        var quiet = await Ntk.RunAsync([.. TinyReport(train, _dir.PathOf("quiet")), "--quiet"]);
        Assert.True(loud.ExitCode == 0, loud.ToString());
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        // Lines mode (no terminal here): no stage that has not begun, no internal notes, no carriage returns.
        Assert.DoesNotContain('\r', loud.Stderr);
        Assert.DoesNotContain(loud.StderrLines, l => l.Contains(" 0/", StringComparison.Ordinal) || l.Contains("solving", StringComparison.Ordinal)
                                                     || l.Contains("normal equations", StringComparison.Ordinal));
        Assert.Contains(loud.StderrLines, l => l.StartsWith("ntk report: networks: width 8", StringComparison.Ordinal));
        // --quiet: the data line, then warnings only; the same warnings.
        Assert.StartsWith("ntk report: 36 training rows × 3 features, target 'y'", quiet.StderrLines[0], StringComparison.Ordinal);
        Assert.All(quiet.StderrLines[1..], l => Assert.StartsWith("ntk report: warning: ", l, StringComparison.Ordinal));
        Assert.Equal(loud.StderrLines.Where(l => l.Contains("warning:", StringComparison.Ordinal)), quiet.StderrLines[1..]);
        Assert.Equal(loud.StdoutLines.Length, quiet.StdoutLines.Length);
    }

    public static TheoryData<string> CommandNames => new(NtkCli.Commands.Select(c => c.Name));

    /// <summary>
    /// The usage lines at the top of a command's help show every option it takes (but --backend, which every command
    /// takes), so that a new option — --missing, --separator, --categorical, --verbose — is seen there, not only in the
    /// list below.
    /// </summary>
    [Theory]
    [MemberData(nameof(CommandNames))]
    public void The_usage_lines_show_every_option_the_command_takes(string name)
    {
        var command = NtkCli.Commands.Single(c => c.Name == name);
        string usage = command.Help.Split("\n\n")[0];
        var missing = command.ValueOptions.Concat(command.Flags).Distinct()
            .Where(o => !Regex.IsMatch(usage, $@"--{Regex.Escape(o)}(?![a-z-])")).ToArray();
        Assert.True(missing.Length == 0, $"ntk {name} --help: the usage lines leave out {string.Join(", ", missing.Select(o => "--" + o))}\n{usage}");
    }
}

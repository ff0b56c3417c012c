using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Issue 16's output items through the real command line: <c>predict --keep</c> passes ID columns through verbatim
/// (CSV and Parquet), cv warns when its choice is at the edge of the grid, and a log without a terminal stays short —
/// cv's fold lines are silenced by --quiet, shown by --verbose, and the first stderr line names the data.
/// </summary>
public sealed class KeepAndQuietCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private string Model(string train)
    {
        string model = _dir.PathOf("model.json");
        var fit = Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--model", model, "--quiet").GetAwaiter().GetResult();
        Assert.True(fit.ExitCode == 0, fit.ToString());
        return model;
    }

    [Fact]
    public async Task Predict_keep_copies_id_columns_first_and_verbatim_from_csv()
    {
        string model = Model(_dir.Write("train.csv", TestData.Csv(60, seed: 1)));
        var rows = TestData.Csv(4, seed: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The features with two ID columns around them: one quoted with a comma in it, one with leading zeros.
        var data = new StringBuilder("name," + rows[0] + ",id\n");
        for (int i = 1; i < rows.Length; i++) data.Append($"\"Smith, {i}\",").Append(rows[i]).Append($",00{i}\n");
        string path = _dir.Write("new.csv", data.ToString());

        var plain = await Ntk.RunAsync("predict", "--model", model, "--data", _dir.Write("plain.csv", TestData.Csv(4, seed: 2)), "--quiet");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        var kept = await Ntk.RunAsync("predict", "--model", model, "--data", path, "--keep", "id,name", "--quiet");
        Assert.True(kept.ExitCode == 0, kept.ToString());

        Assert.Equal("id,name,prediction", kept.StdoutLines[0]);
        for (int i = 1; i < rows.Length; i++)
            Assert.Equal($"00{i},\"Smith, {i}\",{plain.StdoutLines[i]}", kept.StdoutLines[i]);
    }

    [Fact]
    public async Task Predict_keep_of_a_classifiers_label_column_names_the_prediction_apart()
    {
        var train = new StringBuilder("x,Class\n");
        for (int i = 0; i < 30; i++) train.Append(CultureInfo.InvariantCulture, $"{i * 0.1},{(i < 15 ? "bus" : "car")}\n");
        string model = _dir.PathOf("classifier.json");
        var fit = await Ntk.RunAsync("fit", "--train", _dir.Write("labels.csv", train.ToString()), "--task", "classify",
            "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact", "--model", model, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        string data = _dir.Write("labelled.csv", "x,Class\n0.1,bus\n2.9,car\n");

        var kept = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--keep", "Class", "--quiet");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal(["Class,prediction_Class", "bus,bus", "car,car"], kept.StdoutLines);
        var scored = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--keep", "Class", "--scores", "--quiet");
        Assert.True(scored.ExitCode == 0, scored.ToString());
        Assert.Equal("Class,prediction_Class,bus,car", scored.StdoutLines[0]);
    }

    [Fact]
    public async Task Predict_keep_with_an_unknown_column_is_one_line_exit_2_and_writes_nothing()
    {
        string model = Model(_dir.Write("train.csv", TestData.Csv(60, seed: 1)));
        string data = _dir.Write("new.csv", TestData.Csv(5, seed: 2));
        string output = _dir.PathOf("out.csv");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--keep", "nope", "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("--keep 'nope' is not a column of", run.StderrLines[0]);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Predict_keep_copies_text_and_integer_columns_of_a_parquet_file()
    {
        string model = Model(_dir.Write("train.csv", TestData.Csv(60, seed: 1)));
        var csv = TestData.Csv(5, seed: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = csv[0].Split(',');
        var numbers = csv.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var columns = new List<ParquetTestColumn> { ParquetTestColumn.Strings("code", numbers.Select((_, i) => $"A;{i}").ToArray()) };
        for (int c = 0; c < header.Length; c++) columns.Add(ParquetTestColumn.Of(header[c], numbers.Select(r => r[c]).ToArray()));
        columns.Add(ParquetTestColumn.Of("row", numbers.Select((_, i) => 1000L + i).ToArray()));
        string parquet = ParquetTestFile.Write(_dir.PathOf("new.parquet"), 2, [.. columns]);

        var plain = await Ntk.RunAsync("predict", "--model", model, "--data", _dir.Write("plain.csv", TestData.Csv(5, seed: 2)), "--quiet");
        var kept = await Ntk.RunAsync("predict", "--model", model, "--data", parquet, "--keep", "row,code", "--quiet");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal("row,code,prediction", kept.StdoutLines[0]);
        for (int i = 1; i < csv.Length; i++) Assert.Equal($"{999 + i},\"A;{i - 1}\",{plain.StdoutLines[i]}", kept.StdoutLines[i]);
    }

    private Task<CliRun> Cv(string train, string lambdas, params string[] extra) =>
        Ntk.RunAsync(["cv", "--train", train, "--kernel", "rbf", "--gamma", "0.1,0.5,2", "--lambda", lambdas, "--folds", "3", "--workers", "2", .. extra]);

    [Fact]
    public async Task Cv_warns_when_the_chosen_lambda_is_at_the_edge_of_the_grid_and_not_otherwise()
    {
        string train = _dir.Write("train.csv", TestData.Csv(150, seed: 5));
        // Huge λ values only: the smallest is best, at the grid's lower edge.
        var edge = await Cv(train, "1e3,1e4,1e5", "--json");
        Assert.True(edge.ExitCode == 0, edge.ToString());
        Assert.Contains(edge.StderrLines, l => l.StartsWith("ntk cv: warning: the chosen lambda 1000 is the smallest in the grid", StringComparison.Ordinal)
                                               && l.Contains("extend --lambda downwards"));
        using (var json = JsonDocument.Parse(edge.StdoutLines[^1]))
        {
            var at = json.RootElement.GetProperty("chosen_at_edge").EnumerateArray().Single(e => e.GetProperty("parameter").GetString() == "lambda");
            Assert.Equal("lower", at.GetProperty("side").GetString());
            Assert.Equal(1000, at.GetProperty("value").GetDouble());
        }

        // A λ grid around the best one: no λ warning.
        var inside = await Cv(train, "1e-8,1e-2,1e5", "--json");
        Assert.True(inside.ExitCode == 0, inside.ToString());
        using var chosen = JsonDocument.Parse(inside.StdoutLines[^1]);
        Assert.Equal(0.01, chosen.RootElement.GetProperty("chosen").GetProperty("lambda").GetDouble());
        Assert.DoesNotContain(inside.StderrLines, l => l.Contains("the chosen lambda", StringComparison.Ordinal));
        Assert.DoesNotContain(chosen.RootElement.GetProperty("chosen_at_edge").EnumerateArray(), e => e.GetProperty("parameter").GetString() == "lambda");
    }

    [Fact]
    public async Task Cv_without_a_terminal_prints_a_few_lines_none_with_quiet_and_its_fold_lines_with_verbose()
    {
        string train = _dir.Write("train.csv", TestData.Csv(150, seed: 5));
        string[] grid = ["1e-3,1e-2,0.1,1"];
        var loud = await Cv(train, grid[0]);
        var quiet = await Cv(train, grid[0], "--quiet");
        var verbose = await Cv(train, grid[0], "--verbose");
        foreach (var run in new[] { loud, quiet, verbose }) Assert.True(run.ExitCode == 0, run.ToString());

        // 3 gammas × 4 λ × 3 folds = 36 scores: once one line each, now the data line and one line for them all.
        Assert.StartsWith($"ntk cv: {train}: 150 training rows × 3 features, target 'y' (the last column; choose another with --target COL)",
            loud.StderrLines[0], StringComparison.Ordinal);
        Assert.InRange(loud.StderrLines.Length, 2, 4);
        Assert.Contains(loud.StderrLines, l => l.StartsWith("ntk cv: fold scores 36/36 (100%", StringComparison.Ordinal));
        Assert.DoesNotContain(loud.StderrLines, l => l.Contains(" 0/", StringComparison.Ordinal) || l.Contains("solving", StringComparison.Ordinal));
        // --quiet: the data line alone (no edge warning on this grid).
        Assert.Equal([loud.StderrLines[0]], quiet.StderrLines.Where(l => !l.Contains("warning:", StringComparison.Ordinal)));
        // --verbose: every fold's score and the fits' notes.
        Assert.Equal(36, verbose.StderrLines.Count(l => l.StartsWith("ntk cv: fold ", StringComparison.Ordinal) && l.Contains("test MSE")));
        Assert.Contains(verbose.StderrLines, l => l.StartsWith("ntk cv: solving the ", StringComparison.Ordinal));
        Assert.Equal(loud.StdoutLines.Length, quiet.StdoutLines.Length);
    }
}

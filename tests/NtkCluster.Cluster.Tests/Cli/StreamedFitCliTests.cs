using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk fit --stream</c> through the real command line: the same model file and errors as the fit that loads
/// its data, <c>streamed</c> and <c>peak_mb</c> in the JSON, streaming by itself for large files, and bad input —
/// a bad cell deep in the file, a fit that cannot stream — refused with one line, exit code 2 and no model.
/// </summary>
public sealed class StreamedFitCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    private Task<CliRun> Fit(string train, string model, params string[] extra) =>
        Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "120", "--seed", "4",
            "--standardize", "--model", model, "--json", .. extra]);

    [Fact]
    public async Task Streaming_gives_the_model_file_and_errors_of_loading_for_1_and_2_workers()
    {
        string train = _dir.Write("train.csv", TestData.Csv(2600, seed: 1));
        string test = _dir.Write("test.csv", TestData.Permute(_dir.Write("t.csv", TestData.Csv(700, seed: 2)), "y", "x3", "x1", "x2"));

        var loaded = Json(await Fit(train, _dir.PathOf("loaded.json"), "--test", test, "--workers", "2"));
        Assert.False(loaded.GetProperty("streamed").GetBoolean());
        foreach (string workers in new[] { "1", "2" })
        {
            string model = _dir.PathOf($"streamed-{workers}.json");
            var run = await Fit(train, model, "--test", test, "--workers", workers, "--stream");
            var streamed = Json(run);
            Assert.True(streamed.GetProperty("streamed").GetBoolean());
            Assert.Contains(run.StderrLines, l => l.Contains("2600 training rows × 3 features, ") && l.Contains(", streamed in blocks of 1024 rows, 700 test rows"));
            Assert.Equal(File.ReadAllText(_dir.PathOf("loaded.json")), File.ReadAllText(model));
            Assert.Equal(loaded.GetProperty("train_mse").GetDouble(), streamed.GetProperty("train_mse").GetDouble());
            Assert.Equal(loaded.GetProperty("test_mse").GetDouble(), streamed.GetProperty("test_mse").GetDouble());
            Assert.Equal(2600, streamed.GetProperty("n_train").GetInt32());
            Assert.Equal(700, streamed.GetProperty("n_test").GetInt32());
            Assert.True(streamed.GetProperty("peak_mb").GetDouble() > 10, "peak_mb is the process's resident peak in MiB");
        }
    }

    [Fact]
    public async Task A_training_file_over_16_MiB_streams_without_being_asked()
    {
        var text = new StringBuilder("distance,hour,delay\n");
        var rng = new Random(3);
        while (text.Length <= (16 << 20) + 4096)
        {
            double distance = Math.Round(100 + 2000 * rng.NextDouble()), hour = Math.Round(24 * rng.NextDouble(), 3);
            text.Append(CultureInfo.InvariantCulture, $"{distance},{hour},{Math.Round(hour - 12 + 10 * rng.NextDouble(), 1)}\n");
        }
        string train = _dir.Write("large.csv", text.ToString());
        var json = Json(await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "1", "--features", "4",
            "--standardize", "--json"));
        Assert.True(json.GetProperty("streamed").GetBoolean());
        Assert.True(json.GetProperty("n_train").GetInt32() > 700_000);
    }

    /// <summary>Exit 2, one line on stderr containing <paramref name="mustContain"/>, nothing on stdout, no model file.</summary>
    private void AssertRefused(CliRun run, string model, params string[] mustContain)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.StderrLines.Length == 1, $"expected one line on stderr\n{run}");
        Assert.Equal("", run.Stdout);
        Assert.DoesNotContain("   at ", run.Stderr);
        foreach (var text in mustContain) Assert.Contains(text, run.StderrLines[0]);
        Assert.False(File.Exists(model));
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_cell_deep_in_a_streamed_file_is_one_line_with_file_line_and_column_and_no_model()
    {
        var lines = TestData.Csv(3000, seed: 1).Split('\n');
        lines[2700] = "0.25,-1,nan,2"; // data row 2700 is line 2701
        string train = _dir.Write("train.csv", string.Join("\n", lines));
        string model = _dir.PathOf("model.json");
        var run = await Fit(train, model, "--stream");
        AssertRefused(run, model, $"ntk fit: error: {train}:2701:3: column 'x3': 'nan' is not a finite number");
    }

    [Fact]
    public async Task A_bad_cell_in_a_streamed_test_file_is_refused_before_fitting()
    {
        string train = _dir.Write("train.csv", TestData.Csv(1200, seed: 1));
        var lines = TestData.Csv(1100, seed: 2).Split('\n');
        lines[1050] = "1,2,3";
        string test = _dir.Write("test.csv", string.Join("\n", lines));
        string model = _dir.PathOf("model.json");
        AssertRefused(await Fit(train, model, "--test", test, "--stream"), model, $"{test}:1051:4: row has 3 fields, header has 4");
    }

    public static TheoryData<string[], string> CannotStream => new()
    {
        { ["--test-fraction", "0.2"], "--test-fraction draws a random split, which needs all rows in memory" },
        { ["--sampling", "leverage"], "leverage sampling scores its candidates against all rows" },
        { ["--features", "500"], "500 feature columns (M·d2) exceed its 300 rows" },
    };

    [Theory]
    [MemberData(nameof(CannotStream))]
    public async Task A_fit_that_cannot_stream_is_refused_when_streaming_is_asked_for(string[] extra, string reason)
    {
        string train = _dir.Write("train.csv", TestData.Csv(300, seed: 1));
        string model = _dir.PathOf("model.json");
        var run = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--model", model, "--stream",
            .. (extra.Contains("--features") ? extra : [.. extra, "--features", "50"])]);
        AssertRefused(run, model, "ntk fit: error: --stream cannot be used here: ", reason);
    }

    [Fact]
    public async Task The_exact_solver_cannot_stream()
    {
        string train = _dir.Write("train.csv", TestData.Csv(300, seed: 1));
        string model = _dir.PathOf("model.json");
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact",
            "--model", model, "--stream");
        AssertRefused(run, model, "--stream cannot be used here: the exact solver needs all rows in memory");
    }
}

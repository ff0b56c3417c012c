using System.Globalization;
using System.Text;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Overflow is bad input, not success (issue 15, item 6): a kernel parameter or data so large that double precision
/// overflows ends with one line naming the cause and exit code 2, and no model is written. And a hand-edited model
/// with impossible values is refused when loaded (item 14).
/// </summary>
public sealed class NonFiniteAndModelCheckTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Exit code 2 and one error line, the last on stderr (the line saying what is read comes before it).</summary>
    private static string AssertOneLineBadInput(CliRun run, params string[] mustContain)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.StderrLines.Count(l => l.Contains("error", StringComparison.Ordinal)) == 1, run.ToString());
        Assert.DoesNotContain("internal error", run.Stderr);
        string line = run.StderrLines[^1];
        Assert.Contains(": error: ", line);
        foreach (var text in mustContain) Assert.Contains(text, line);
        return line;
    }

    /// <summary>Rows x1,x2,y with x1 scaled by <paramref name="scale"/>.</summary>
    private string Data(double scale)
    {
        var rng = new Random(3);
        var sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 40; i++)
        {
            double a = 4 * rng.NextDouble() - 2, b = 4 * rng.NextDouble() - 2;
            sb.Append((a * scale).ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(b.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append((a * b).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return _dir.Write($"data-{scale:0e0}.csv", sb.ToString());
    }

    [Theory]
    [InlineData("rbf:gamma=1e308", "20", 1.0)] // sqrt(2γ) of the feature draws overflows
    [InlineData("rbf:gamma=1", "", 1e200)]     // squared distances of the exact kernel overflow
    [InlineData("ntk", "20", 1e200)]           // norms of the NTK features overflow
    [InlineData("ntk", "", 1e200)]
    public async Task Overflow_is_one_line_exit_code_2_and_no_model(string kernel, string features, double scale)
    {
        string train = Data(scale);
        string modelPath = _dir.PathOf("model.json");
        string[] args = ["fit", "--train", train, "--kernel", kernel, "--lambda", "0.1", "--workers", "1", "--quiet", "--model", modelPath];
        if (features.Length > 0) args = [.. args, "--features", features];

        var run = await Ntk.RunAsync(args);

        AssertOneLineBadInput(run, "overflowed", "gamma", "magnitude");
        Assert.DoesNotContain("MSE", run.Stdout);
        Assert.False(File.Exists(modelPath));
    }

    [Fact]
    public async Task Overflow_through_the_real_program_is_exit_code_2()
    {
        string train = Data(1.0);
        var run = await NtkProcess.RunAsync(_dir.Path, null, "fit", "--train", train, "--kernel", "rbf:gamma=1e308", "--lambda", "0.1",
            "--features", "20", "--workers", "1", "--quiet");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(": error: the kernel matrix", CliRun.Lines(run.Stderr)[^1]);
        Assert.Single(CliRun.Lines(run.Stderr), l => l.Contains("error", StringComparison.Ordinal));
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("300000")]  // M·d = 3·10⁹ feature columns: past int, overflowed before
    [InlineData("1000000")] // draws of 10⁶ × 10⁴ doubles: 75 GiB
    public async Task Ntk_features_on_10000_columns_are_refused_up_front_with_the_memory_estimate(string features)
    {
        var rng = new Random(5);
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, 10_000).Select(j => $"x{j}")) + ",y\n");
        for (int i = 0; i < 3; i++) sb.Append(string.Join(",", Enumerable.Range(0, 10_001).Select(_ => rng.NextDouble().ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        string train = _dir.Write("wide.csv", sb.ToString());

        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "ntk", "--lambda", "1", "--features", features, "--workers", "1", "--quiet");

        string line = AssertOneLineBadInput(run, features, "GiB");
        Assert.Contains("fewer --features", line);
    }

    [Theory]
    [InlineData("\"lambda\":0.1", "\"lambda\":1{0}", "lambda must be a finite number")]
    [InlineData("\"sampling\":\"plain\"", "\"sampling\":\"zzz\"", "unknown sampling 'zzz'")]
    [InlineData("\"formulation\":\"primal\"", "\"formulation\":\"\\u001b[31mred\"", "unknown formulation '\\x1b[31mred'")]
    public async Task A_hand_edited_model_with_an_impossible_value_is_refused(string original, string edited, string message)
    {
        string json = await File.ReadAllTextAsync(model.ModelPath);
        Assert.Contains(original, json);
        string edit = edited.Replace("{0}", new string('0', 100_000), StringComparison.Ordinal);
        string path = _dir.Write("edited.json", json.Replace(original, edit, StringComparison.Ordinal));

        var run = await Ntk.RunAsync("predict", "--model", path, "--data", model.TrainPath, "--workers", "1");

        string line = AssertOneLineBadInput(run, message);
        Assert.True(line.Length < 1000, line);
    }
}

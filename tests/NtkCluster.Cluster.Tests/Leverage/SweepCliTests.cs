using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary><c>ntk sweep</c> in-process: plain against leverage sampling over a list of M, table and JSON.</summary>
public sealed class SweepCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sweep_reports_both_samplings_at_every_feature_count()
    {
        string train = _dir.Write("train.csv", TestData.Csv(200, seed: 7));
        var run = await Ntk.RunAsync("sweep", "--train", train, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.1", "--lambda", "0.01",
            "--features", "20,80", "--standardize", "--json");
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());

        var json = LeverageFixtures.LastLineJson(run);
        Assert.Equal("sweep", json.GetProperty("command").GetString());
        Assert.Equal(150, json.GetProperty("rows").GetInt32());   // 200 rows, a quarter held out
        Assert.Equal("test_mse", json.GetProperty("error_kind").GetString());
        Assert.True(json.GetProperty("epsilon_exact").GetBoolean());
        double exactError = json.GetProperty("exact_error").GetDouble();
        Assert.True(double.IsFinite(exactError) && exactError > 0, $"exact_error {exactError}");
        double sLambda = json.GetProperty("s_lambda").GetDouble();
        Assert.True(sLambda > 0 && sLambda < 150, $"s_lambda {sLambda}");

        var points = json.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(4, points.Length);
        var keys = points.Select(p => (p.GetProperty("features").GetInt32(), p.GetProperty("sampling").GetString()!)).OrderBy(k => k).ToArray();
        Assert.Equal(new[] { (20, "leverage"), (20, "plain"), (80, "leverage"), (80, "plain") }, keys);
        foreach (var p in points)
        {
            double eps = p.GetProperty("epsilon").GetDouble(), err = p.GetProperty("error").GetDouble();
            Assert.True(double.IsFinite(eps) && eps > 0, $"epsilon {eps} at {p}");
            Assert.True(double.IsFinite(err) && err > 0, $"error {err} at {p}");
            Assert.True(double.IsFinite(p.GetProperty("train_error").GetDouble()));
        }

        var lines = run.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith("plain: M for ε ≤ 1: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("leverage: M for ε ≤ 1: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exact KRR test MSE: ", StringComparison.Ordinal));
        // One table row per M, before the JSON line.
        Assert.Contains(lines, l => l.TrimStart().StartsWith("20 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("80 ", StringComparison.Ordinal));
    }
}

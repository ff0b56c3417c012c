using System.Text.Json;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Fit;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary><c>ntk sweep --train DIR</c> through the real command line: the library's plain and leverage points, bitwise.</summary>
public sealed class PartitionedSweepCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_directory_is_swept_with_plain_and_leverage_sampling_as_the_library_sweeps_it()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 2, 400, 500);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 12, 300);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 40, Seed = 1 };
        var library = await PartitionedSweepTests.InProcessAsync(PartitionedSweepTests.Submission(train, test, settings, [20, 40], 1, 3000));

        var run = await Ntk.RunAsync(["sweep", "--train", train, "--test", test, "--kernel", "rbf:gamma=0.5", "--lambda", "0.05",
            "--features", "20,40", "--seed", "1", "--workers", "2", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(library.Points.Select(p => p.Error), points.Select(p => p.GetProperty("error").GetDouble()));
        Assert.Equal(library.Points.Select(p => p.Epsilon), points.Select(p => p.GetProperty("epsilon").GetDouble()));
        Assert.Equal(["plain", "leverage", "plain", "leverage"], points.Select(p => p.GetProperty("sampling").GetString()));
        Assert.True(doc.RootElement.GetProperty("epsilon_exact").GetBoolean());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("leverage: M for ε ≤ 1: ", StringComparison.Ordinal));
        Assert.DoesNotContain(run.StdoutLines, l => l.Contains("not swept", StringComparison.Ordinal));
        Assert.Equal(library.PoolSize, doc.RootElement.GetProperty("pool_size").GetInt32());
    }
}

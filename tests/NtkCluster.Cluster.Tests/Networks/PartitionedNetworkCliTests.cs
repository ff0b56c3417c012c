using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using Xunit;

namespace NtkCluster.Cluster.Tests.Networks;

/// <summary>
/// <c>ntk train-nn --train DIR</c> through the real command line: it trains data-parallel and says which NTK reference
/// it compares with; what needs all rows in one place is refused with one line, exit code 2 and nothing written.
/// </summary>
public sealed class PartitionedNetworkCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> TrainNn(string train, params string[] extra) =>
        Ntk.RunAsync(["train-nn", "--train", train, "--width", "200", "--lambda", "0.01", "--standardize", "--normalize",
            .. extra.Contains("--steps") ? extra : [.. extra, "--steps", "20"]]);

    [Fact]
    public async Task A_directory_trains_data_parallel_and_names_its_random_feature_reference()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 300, 200, 250);
        string model = _dir.PathOf("net.json");
        var run = await TrainNn(train, "--test-fraction", "0.2", "--model", model, "--json", "--workers", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StderrLines, l => l.StartsWith($"ntk train-nn: 3 partition(s) of {train} (3 CSV file(s)) × 3 features, width 200, data-parallel",
            StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("NTK ridge, 200 random features (fitted on the partitions)  train MSE", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        var json = doc.RootElement;
        Assert.Equal("ntk-random-features", json.GetProperty("reference").GetString());
        Assert.Equal(200, json.GetProperty("reference_features").GetInt32());
        Assert.Equal(3, json.GetProperty("partitions").GetInt32());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("train_gap_rel").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("test_gap_rel").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("kernel_drift").ValueKind);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("gap to the random-feature NTK ridge ‖u_nn − u_ref‖/‖u_ref‖: train ", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("test_mse").ValueKind);
        Assert.True(File.Exists(model));
    }

    [Theory]
    [InlineData("--out", "p.csv", "--out writes one prediction per row")]
    [InlineData("--init", "leverage", "--init leverage scores its candidates against all rows")]
    [InlineData("--steps", "auto", "--steps auto needs λ_min of the n×n NTK")]
    public async Task What_needs_all_rows_in_one_place_is_refused_with_one_line(string option, string value, string message)
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 2, 100, 100);
        string model = _dir.PathOf("never.json");
        var run = await TrainNn(train, option, value, "--model", model);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains(message, run.StderrLines[0]);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(_dir.PathOf("p.csv")));
    }
}

using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// <c>ntk fit --leverage subsample</c> on a real coordinator and two workers against local mode: the hashed pilot and
/// scoring rows, ε₁, the scores and the model are bitwise the same, for rows read by the client and for a directory of
/// parts read by the workers (the rows gathered by hash).
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class SubsampleLeverageClusterTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    [Theory]
    [InlineData("file")]
    [InlineData("parts")]
    public async Task A_subsample_leverage_fit_on_the_cluster_is_bitwise_the_fit_of_local_mode(string source)
    {
        // 2400 rows at λ = 1: above n′'s floor of 2000 and a small s_λ, so the scoring rows are a proper hashed subsample.
        string train;
        if (source == "file") train = fixture.Dir.Write("big.csv", TestData.Csv(2400, seed: 5));
        else
        {
            train = Path.Combine(fixture.Dir.Path, "big-parts");
            Directory.CreateDirectory(train);
            for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(train, $"part-{i:D5}.csv"), TestData.Csv(800, seed: 50 + i));
        }
        string[] common = ["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "1", "--features", "40", "--sampling", "leverage",
            "--leverage", "subsample", "--pool", "800", "--first-stage", "60", "--standardize", "--workers", "2", "--json", "--verbose"];
        var remote = await Ntk([.. common, "--model", $"sub-{source}-cluster.json", "--cluster", fixture.Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + fixture.Cluster.Describe());
        var local = await Ntk([.. common, "--model", $"sub-{source}-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        output.WriteLine(CliRun.Lines(local.Stdout)[^1]);

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, $"sub-{source}-local.json"), Path.Combine(fixture.Dir.Path, $"sub-{source}-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        var json = ClusterAssert.Json(remote.Stdout);
        Assert.Equal("subsample", json.GetProperty("leverage_mode").GetString());
        int rows = json.GetProperty("scoring_rows").GetInt32();
        Assert.InRange(rows, 2000, 2399);
        Assert.Contains($"scoring against {rows} of 2400 hashed rows", remote.Stderr);
    }
}

using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Categorical features on a real two-worker loopback cluster: the one-hot columns and which of them
/// <c>--standardize</c> must leave alone travel with the data set to the coordinator, so the model is bitwise local
/// mode's, encoding included.
/// </summary>
public sealed class CategoricalClusterTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    [Theory]
    [InlineData("exact", "--solver", "exact")]
    [InlineData("features", "--features", "40")]
    public async Task A_fit_with_text_columns_on_a_cluster_is_bitwise_local_modes(string name, string option, string value)
    {
        string train = Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", "cars-train.csv");
        string[] common = ["fit", "--train", train, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", option, value,
            "--standardize", "--workers", "2", "--quiet"];
        var remote = await Ntk([.. common, "--model", $"cat-{name}-cluster.json", "--cluster", fixture.Cluster.Address]);
        output.WriteLine(remote.Stderr);
        Assert.True(remote.ExitCode == 0, remote + "\n" + fixture.Cluster.Describe());
        var local = await Ntk([.. common, "--model", $"cat-{name}-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        string localModel = Path.Combine(fixture.Dir.Path, $"cat-{name}-local.json");
        ClusterAssert.SameFile(localModel, Path.Combine(fixture.Dir.Path, $"cat-{name}-cluster.json"));
        Assert.Contains("\"categorical\":[{\"name\":\"body\"", File.ReadAllText(localModel));
    }
}

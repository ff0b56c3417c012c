using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A network on data with text columns on a real two-worker loopback cluster: the coordinator trains on the one-hot
/// columns, and the client — which read the file and learnt the encoding — adds it to the model and to each checkpoint
/// the coordinator sends back, so both files are bitwise local mode's, encoding included, and a cluster resume from
/// the cluster's checkpoint ends where the uninterrupted local run ends.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class NetworkCategoricalClusterTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private async Task<ProcessRun> Ntk(params string[] args)
    {
        var run = await NtkProcess.RunAsync(fixture.Dir.Path, null, args);
        output.WriteLine(run.Stderr);
        return run;
    }

    private string PathOf(string name) => Path.Combine(fixture.Dir.Path, name);

    [Fact]
    public async Task Train_nn_with_text_columns_on_a_cluster_writes_the_model_and_checkpoints_local_mode_writes()
    {
        string train = Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", "cars-train.csv");
        string[] common = ["train-nn", "--train", train, "--test-fraction", "0.25", "--standardize", "--scale-target", "--width", "64", "--lambda", "0.01",
            "--checkpoint-every", "5", "--workers", "2", "--quiet"];
        string[] cluster = ["--cluster", fixture.Cluster.Address];

        var local = await Ntk([.. common, "--steps", "20", "--model", "netcat-local.json", "--checkpoint", "netcat-local.ckpt"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var half = await Ntk([.. common, "--steps", "10", "--checkpoint", "netcat-half-cluster.ckpt", .. cluster]);
        Assert.True(half.ExitCode == 0, half + "\n" + fixture.Cluster.Describe());
        Assert.Contains("\"categorical\":[{\"name\":\"body\"", File.ReadAllText(PathOf("netcat-half-cluster.ckpt")));
        var resumed = await Ntk([.. common, "--steps", "20", "--resume", "netcat-half-cluster.ckpt", "--model", "netcat-cluster.json",
            "--checkpoint", "netcat-cluster.ckpt", .. cluster]);
        Assert.True(resumed.ExitCode == 0, resumed + "\n" + fixture.Cluster.Describe());
        ClusterAssert.SameFile(PathOf("netcat-local.json"), PathOf("netcat-cluster.json"));
        ClusterAssert.SameFile(PathOf("netcat-local.ckpt"), PathOf("netcat-cluster.ckpt"));
        Assert.Contains("\"categorical\":[{\"name\":\"body\"", File.ReadAllText(PathOf("netcat-cluster.json")));
    }

    [Fact]
    public async Task Train_nn_on_parts_with_text_columns_on_a_cluster_writes_the_model_local_mode_writes()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", "cars-train.csv"));
        string parts = Directory.CreateDirectory(PathOf("netcat-parts")).FullName;
        for (int p = 0; p < 3; p++)
            File.WriteAllLines(Path.Combine(parts, $"part-{p}.csv"), lines.Skip(1).Where((_, i) => i % 3 == p).Prepend(lines[0]));
        string[] common = ["train-nn", "--train", "netcat-parts", "--standardize", "--width", "64", "--lambda", "0.01", "--steps", "10",
            "--workers", "2", "--quiet"];
        var local = await Ntk([.. common, "--model", "netcat-parts-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var remote = await Ntk([.. common, "--model", "netcat-parts-cluster.json", "--cluster", fixture.Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + fixture.Cluster.Describe());
        ClusterAssert.SameFile(PathOf("netcat-parts-local.json"), PathOf("netcat-parts-cluster.json"));
        Assert.Contains("\"categorical\":[{\"name\":\"body\"", File.ReadAllText(PathOf("netcat-parts-cluster.json")));
    }
}

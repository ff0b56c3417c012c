using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Text class labels on a cluster: a file loaded whole (labels coded by the client, split stratified) and a directory of
/// parts read by the workers (classes collected by the client, labels coded as the workers read them) give models,
/// predictions and JSON bitwise those of local mode.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class TextLabelClusterTests(TwoWorkerClusterFixture fixture) : IClassFixture<TwoWorkerClusterFixture>
{
    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    private static string Rows(int from, int count)
    {
        // Four text classes (one with a comma, one capitalised) of points around four centres, from a fixed seed.
        string[] names = ["van", "\"sedan, 4-door\"", "SUV", "truck"];
        var rng = new Random(17);
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < from + count; i++)
        {
            int k = rng.Next(4);
            double x1 = k % 2 + 0.6 * rng.NextDouble(), x2 = k / 2 + 0.6 * rng.NextDouble();
            if (i >= from) sb.Append(System.FormattableString.Invariant($"{x1:R},{x2:R},{names[k]}\n"));
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Text_label_classification_on_the_cluster_is_bitwise_local_mode()
    {
        const string header = "x1,x2,kind\n";
        fixture.Dir.Write("text.csv", header + Rows(0, 160));
        string parts = Path.Combine(fixture.Dir.Path, "text-parts");
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(parts, "part-00000.csv"), header + Rows(0, 90));
        File.WriteAllText(Path.Combine(parts, "part-00001.csv"), header + Rows(90, 70));

        foreach (var (name, extra) in new[] { ("file", new[] { "--train", "text.csv", "--stratify" }), ("parts", new[] { "--train", "text-parts" }) })
        {
            string[] fit = ["fit", .. extra, "--test-fraction", "0.25", "--task", "classify", "--kernel", "rbf:gamma=2", "--lambda", "0.01",
                "--features", "40", "--workers", "2", "--json"];
            var remote = await Ntk([.. fit, "--model", $"text-{name}-cluster.json", "--cluster", fixture.Cluster.Address]);
            Assert.True(remote.ExitCode == 0, remote + "\n" + fixture.Cluster.Describe());
            var local = await Ntk([.. fit, "--model", $"text-{name}-local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, $"text-{name}-local.json"), Path.Combine(fixture.Dir.Path, $"text-{name}-cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);
            var json = ClusterAssert.Json(remote.Stdout);
            Assert.Equal(new[] { "SUV", "sedan, 4-door", "truck", "van" }, json.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
            Assert.True(json.GetProperty("test_accuracy").GetDouble() > 0.9, remote.Stdout);
        }

        // Predictions of the parts, written by the workers, are the local ones byte for byte, text labels quoted as needed.
        var remotePredict = await Ntk("predict", "--model", "text-parts-local.json", "--data", "text-parts", "--out", "text-pred-cluster",
            "--cluster", fixture.Cluster.Address);
        Assert.True(remotePredict.ExitCode == 0, remotePredict + "\n" + fixture.Cluster.Describe());
        var localPredict = await Ntk("predict", "--model", "text-parts-local.json", "--data", "text-parts", "--out", "text-pred-local");
        Assert.True(localPredict.ExitCode == 0, localPredict.ToString());
        foreach (string part in new[] { "part-00000.csv", "part-00001.csv" })
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "text-pred-local", part), Path.Combine(fixture.Dir.Path, "text-pred-cluster", part));
        Assert.Contains("\"sedan, 4-door\"", File.ReadAllText(Path.Combine(fixture.Dir.Path, "text-pred-local", "part-00000.csv")));
    }
}

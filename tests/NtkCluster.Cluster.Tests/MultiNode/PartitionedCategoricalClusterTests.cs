using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Categorical features on a directory of CSV parts, on a real two-worker loopback cluster: the encoding collected by
/// the client travels with the job's columns and is applied by the workers as they read their partitions, so models
/// and predictions are bitwise local mode's — and an exact fit is the concatenated file's.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class PartitionedCategoricalClusterTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", name);

    [Theory]
    [InlineData("exact", "--solver", "exact")]
    [InlineData("features", "--features", "40")]
    public async Task A_fit_and_predict_on_CSV_parts_with_text_categories_on_a_cluster_are_bitwise_local_modes(string name, string option, string value)
    {
        var (file, parts) = PartitionedCategoricalCliTests.SortedParts(fixture.Dir.Path, Fixture("cars-train.csv"), $"cars-{name}", 25, 20, 15);
        var (_, testParts) = PartitionedCategoricalCliTests.SortedParts(fixture.Dir.Path, Fixture("cars-test.csv"), $"cars-test-{name}", 8, 12);
        string[] fit = ["fit", "--train", parts, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", option, value, "--standardize", "--workers", "2", "--quiet"];
        var remote = await Ntk([.. fit, "--model", $"cat-parts-{name}-cluster.json", "--cluster", fixture.Cluster.Address]);
        output.WriteLine(remote.Stderr);
        Assert.True(remote.ExitCode == 0, remote + "\n" + fixture.Cluster.Describe());
        var local = await Ntk([.. fit, "--model", $"cat-parts-{name}-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        string localModel = Path.Combine(fixture.Dir.Path, $"cat-parts-{name}-local.json");
        ClusterAssert.SameFile(localModel, Path.Combine(fixture.Dir.Path, $"cat-parts-{name}-cluster.json"));
        Assert.Contains("\"categorical\":[{\"name\":\"body\"", File.ReadAllText(localModel));
        if (name == "exact")
        {
            // Exact KRR gathers the rows in partition order: the model of the concatenated file, to the byte.
            var whole = await Ntk(["fit", "--train", file, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", option, value, "--standardize", "--quiet",
                "--model", "cat-whole.json"]);
            Assert.True(whole.ExitCode == 0, whole.ToString());
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "cat-whole.json"), localModel);
        }

        // The workers encode the rows to predict with the model's categories (an unseen one as all zeros).
        var remotePredict = await Ntk("predict", "--model", localModel, "--data", testParts, "--out", $"cat-pred-{name}-cluster", "--cluster", fixture.Cluster.Address);
        Assert.True(remotePredict.ExitCode == 0, remotePredict + "\n" + fixture.Cluster.Describe());
        var localPredict = await Ntk("predict", "--model", localModel, "--data", testParts, "--out", $"cat-pred-{name}-local");
        Assert.True(localPredict.ExitCode == 0, localPredict.ToString());
        foreach (string part in new[] { "part-00000.csv", "part-00001.csv" })
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, $"cat-pred-{name}-local", part), Path.Combine(fixture.Dir.Path, $"cat-pred-{name}-cluster", part));
    }

    [Fact]
    public async Task A_split_of_parts_on_a_cluster_fills_with_the_training_rows_category_bitwise_as_local_mode()
    {
        // The held-out rows tip the most frequent colour (PartitionedCategoryFillCliTests): the workers count the training
        // side of the split for the fill, and the model is local mode's, byte for byte.
        string parts = PartitionedCategoryFillCliTests.TippedParts(fixture.Dir.Path, "tipped-fill");
        string local = Path.Combine(fixture.Dir.Path, "tipped-fill-local.json"), remote = Path.Combine(fixture.Dir.Path, "tipped-fill-cluster.json");
        var cluster = await Ntk([.. PartitionedCategoryFillCliTests.FitArguments(parts, remote), "--workers", "2", "--cluster", fixture.Cluster.Address]);
        output.WriteLine(cluster.Stderr);
        Assert.True(cluster.ExitCode == 0, cluster + "\n" + fixture.Cluster.Describe());
        var alone = await Ntk([.. PartitionedCategoryFillCliTests.FitArguments(parts, local), "--workers", "2"]);
        Assert.True(alone.ExitCode == 0, alone.ToString());
        PartitionedCategoryFillCliTests.AssertStoredColor(remote, "blue");
        ClusterAssert.SameFile(local, remote);
    }

    [Theory]
    [InlineData("shared")]
    [InlineData("streamed")]
    public async Task Unseen_categories_of_parts_on_a_cluster_get_the_summed_notice_or_the_first_partitions_refusal_and_nothing_published(string delivery)
    {
        string root = Path.Combine(fixture.Dir.Path, $"unseen-{delivery}");
        Directory.CreateDirectory(root);
        string model = Path.Combine(root, "model.json");
        var fit = await Ntk("fit", "--train", Fixture("cars-train.csv"), "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--solver", "exact", "--standardize",
            "--quiet", "--model", model);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        string parts = PartitionedCategoricalCliTests.UnseenInLaterParts(root, "parts");
        string expected = await PartitionedCategoricalCliTests.FileRefusalOfCoupe(root, model);
        string outDir = Path.Combine(root, "out");
        var before = Directory.GetFileSystemEntries(root);
        var refused = await Ntk("predict", "--model", model, "--data", parts, "--unknown-category", "error", "--out", outDir, "--out-delivery", delivery,
            "--cluster", fixture.Cluster.Address);
        output.WriteLine(refused.Stderr);
        Assert.True(refused.ExitCode == 2, refused + "\n" + fixture.Cluster.Describe());
        // The second partition, whichever worker read it and whenever: the first in partition order with 'coupe'.
        Assert.Equal($"ntk predict: error: {Path.GetFullPath(Path.Combine(parts, "part-00001.csv"))}:2:3: {expected}",
            Assert.Single(refused.Stderr.Split('\n'), l => l.StartsWith("ntk predict: error", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(before.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(root).Order(StringComparer.Ordinal));

        var zeros = await Ntk("predict", "--model", model, "--data", parts, "--out", outDir, "--out-delivery", delivery, "--cluster", fixture.Cluster.Address);
        Assert.True(zeros.ExitCode == 0, zeros + "\n" + fixture.Cluster.Describe());
        Assert.Equal($"ntk predict: notice: {Path.GetFullPath(parts)}: 2 row(s) have a category not seen in training, encoded as all zeros: body (2)",
            Assert.Single(zeros.Stderr.Split('\n'), l => l.StartsWith("ntk predict: notice", StringComparison.Ordinal)));
        Assert.Equal(3, Directory.GetFiles(outDir, "part-*.csv").Length);
    }
}

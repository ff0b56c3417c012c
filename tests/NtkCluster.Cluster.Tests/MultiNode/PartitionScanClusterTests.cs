using System.Text;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// The category census and the text-label scan of a partitioned dataset run as rounds where the partitions are read —
/// on a two-worker loopback cluster from the shared paths, and from copies the client shipped when only it can read
/// them — and give the encoding and classes the client-side scans give: the models are local mode's to the byte.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class PartitionScanClusterTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    private static string Rows(int from, int count)
    {
        // A text feature (a comma in one category, a missing cell), a numeric one, and text classes around centres.
        string[] colors = ["red", "green", "\"blue, dark\"", "Teal", ""];
        string[] kinds = ["van", "\"sedan, 4-door\"", "SUV"];
        var rng = new Random(23);
        var sb = new StringBuilder();
        for (int i = 0; i < from + count; i++)
        {
            int k = rng.Next(3), c = rng.Next(colors.Length);
            double x = k + 0.5 * rng.NextDouble();
            if (i >= from) sb.Append(System.FormattableString.Invariant($"{x:R},{colors[c]},{kinds[k]}\n"));
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Census_and_text_labels_taken_by_the_workers_are_the_client_side_ones_shared_and_shipped()
    {
        const string header = "x,color,kind\n";
        const string name = "scan-parts";
        string parts = Path.Combine(fixture.Dir.Path, name);
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(parts, "part-00000.csv"), header + Rows(0, 70));
        File.WriteAllText(Path.Combine(parts, "part-00001.csv"), header + Rows(70, 90));
        File.WriteAllText(Path.Combine(parts, "part-00002.csv"), header + Rows(160, 50));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), name)), $"the workers' working directory must not hold a '{name}' directory");

        // What the client-side scans make of the parts.
        var dataset = PartitionedDataset.Resolve(parts);
        var columns = new PartitionColumns(["x", "color"], ["kind"], null) { Classify = true };
        var split = new RowSplit(7, 0.25, TestSide: false);
        var encoding = CategoryCensus.Collect(dataset.Source, dataset.Partitions, columns.FeatureNames, null, null, MissingPolicy.Refuse);
        var classes = TextLabelScan.Collect(dataset.Partitions, columns, split);
        Assert.Equal(["SUV", "sedan, 4-door", "van"], classes!);
        Assert.Equal(["Teal", "blue, dark", "green", "red"], Assert.Single(encoding).Categories);

        string[] fit = ["fit", "--test-fraction", "0.25", "--split-seed", "7", "--task", "classify", "--missing", "drop", "--kernel", "rbf:gamma=1",
            "--lambda", "0.01", "--features", "40", "--workers", "2", "--quiet"];
        var local = await Ntk([.. fit, "--train", parts, "--model", "scan-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var shared = await Ntk([.. fit, "--train", parts, "--model", "scan-shared.json", "--cluster", fixture.Cluster.Address]);
        output.WriteLine(shared.Stderr);
        Assert.True(shared.ExitCode == 0, shared + "\n" + fixture.Cluster.Describe());
        // Only the client can read /proc/self/cwd/…: the scan job's partitions are shipped to the workers first.
        var shipped = await Ntk([.. fit.Where(a => a != "--quiet"), "--train", "/proc/self/cwd/" + name, "--model", "scan-shipped.json",
            "--cluster", fixture.Cluster.Address]);
        output.WriteLine(shipped.Stderr);
        Assert.True(shipped.ExitCode == 0, shipped + "\n" + fixture.Cluster.Describe());
        // Both jobs — the scan, then the fit — decide to ship (the fit then finds the parts in the workers' caches).
        Assert.True(System.Text.RegularExpressions.Regex.Count(shipped.Stderr, @"rows: shipped by the client to the workers' caches, because worker") >= 2,
            shipped.Stderr);

        string localModel = Path.Combine(fixture.Dir.Path, "scan-local.json");
        ClusterAssert.SameFile(localModel, Path.Combine(fixture.Dir.Path, "scan-shared.json"));
        ClusterAssert.SameFile(localModel, Path.Combine(fixture.Dir.Path, "scan-shipped.json"));
        var model = ModelFile.Load(localModel);
        Assert.Equal(classes, model.Classes!.Names);
        var categorical = Assert.Single(model.Preprocessing.Categorical!);
        Assert.Equal(encoding[0].Name, categorical.Name);
        Assert.Equal(encoding[0].Categories, categorical.Categories);
    }
}

using System.Text;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// <c>--keep</c> on partitions on a loopback cluster (real remoting, every message serialized): the workers copy the
/// kept columns from the partitions they read into the parts they write, byte for byte the in-process parts.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedKeepRoundTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_loopback_cluster_writes_the_kept_columns_into_its_parts_bitwise_the_in_process_parts()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 900, 600);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 60, Seed = 4, Standardize = true };
        var model = (await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, null, settings))).Model;
        string parts = _dir.PathOf("data");
        Directory.CreateDirectory(parts);
        int[] sizes = [1300, 700, 2100];
        for (int i = 0, first = 0; i < sizes.Length; first += sizes[i], i++)
        {
            var lines = TestData.Csv(sizes[i], seed: 20 + i).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var sb = new StringBuilder("id," + lines[0] + ",note\n");
            for (int r = 1; r < lines.Length; r++) sb.Append($"r{first + r - 1},{lines[r]},\"a, \"\"b\"\" {r}\"\n");
            File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), sb.ToString());
        }
        var data = PartitionedDataset.Resolve(parts);
        string[] keep = ["note", "id"];
        string[] columns = [.. model.FeatureNames];

        var local = await new ModelPredictor(new InProcessBlockRounds(2)).WritePartitionedAsync("keep-lib", model, data, columns, _dir.PathOf("local"), keep);
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), null);
        var remote = await new ModelPredictor(rounds).WritePartitionedAsync("keep-cluster", model, data, columns, _dir.PathOf("cluster"), keep);

        Assert.Equal(local, remote);
        Assert.Equal(sizes.Select(s => (long)s), remote.Select(p => p.Rows));
        foreach (var part in remote)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(_dir.PathOf("local"), part.Name));
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir.PathOf("cluster"), part.Name))), $"{part.Name} differs");
        }
        var second = File.ReadAllLines(Path.Combine(_dir.PathOf("cluster"), "part-00001.csv"));
        Assert.Equal("note,id,prediction", second[0]);
        Assert.StartsWith("\"a, \"\"b\"\" 1\",r1300,", second[1], StringComparison.Ordinal);
        Assert.Equal(701, second.Length);
    }
}

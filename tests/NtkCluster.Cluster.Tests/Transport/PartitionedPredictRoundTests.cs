using System.Collections.Concurrent;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Partitioned predictions on a loopback cluster (real remoting, every message serialized): the workers read the
/// partitions and write the parts into the shared output themselves, answering receipts only, and the output is
/// byte for byte the library's in-process one — also when a worker dies mid-round and its partitions are written
/// again by the survivor. A worker that cannot write the output fails the job with one line naming it.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedPredictRoundTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static bool FastTiming => Environment.GetEnvironmentVariable("NTK_PRODUCTION_TIMING") != "1";

    private static ModelPredictor OnCluster(ClusterNodes nodes, Action<ProgressUpdate>? progress = null) =>
        new(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), progress));

    private static ModelPredictor InProcess => new(new InProcessBlockRounds(2));

    /// <summary>A model fitted on partitions of its own (scaled targets: predictions are mapped back to the targets' units).</summary>
    private async Task<KrrModel> ModelAsync(int features)
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 900, 600);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = features, Seed = 4, Standardize = true, ScaleTarget = true };
        return (await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, null, settings))).Model;
    }

    /// <summary>Every file of an output directory, by name, with its bytes.</summary>
    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static void AssertSameOutput(string expected, string actual)
    {
        var e = Files(expected);
        var a = Files(actual);
        Assert.Equal(e.Keys.Order(StringComparer.Ordinal), a.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in e) Assert.True(bytes.AsSpan().SequenceEqual(a[name]), $"{name} differs");
    }

    [Fact]
    public async Task A_loopback_cluster_writes_the_parts_itself_bitwise_the_in_process_parts()
    {
        var model = await ModelAsync(features: 120);
        var data = PartitionedDataset.Resolve(PartitionedFitTests.Parts(_dir, "data", seed: 20, 1300, 700, 2100));
        var local = await InProcess.WritePartitionedAsync("predict-lib", model, data, null, _dir.PathOf("local"));

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var remote = await OnCluster(nodes).WritePartitionedAsync("predict-cluster", model, data, null, _dir.PathOf("cluster"));
        Assert.Equal(local, remote);
        Assert.Equal(new long[] { 1300, 700, 2100 }, remote.Select(p => p.Rows));
        AssertSameOutput(_dir.PathOf("local"), _dir.PathOf("cluster"));
        Assert.Equal(4, Files(_dir.PathOf("cluster")).Count); // three parts and _SUCCESS
    }

    [Fact]
    public async Task A_worker_dying_mid_round_has_its_parts_written_again_and_the_output_stays_bitwise()
    {
        // Six partitions of 12000 rows with 1800 feature columns: a fraction of a second of prediction work each.
        var model = await ModelAsync(features: 900);
        var data = PartitionedDataset.Resolve(PartitionedFitTests.Parts(_dir, "data", seed: 3, 12000, 12000, 12000, 12000, 12000, 12000));
        await InProcess.WritePartitionedAsync("predict-lib", model, data, null, _dir.PathOf("local"));

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, fastFailureDetection: FastTiming, serializeMessages: true);
        Task? kill = null;
        var lines = new ConcurrentQueue<string>();
        await OnCluster(nodes, update =>
        {
            lines.Enqueue($"{update.Kind} {update.Stage} {update.Done}/{update.Total}");
            // As the round starts, and the round waits for the death: predictions are partition commands, so the
            // victim (the worker hosting most partitions since the count) answers none of its partitions.
            if (update is { Kind: ProgressKind.Count, Stage: "prediction partitions", Done: 0 } && kill is null)
                kill = nodes.KillWorkerBeforeTheRound(-1);
        }).WritePartitionedAsync("predict-cluster", model, data, null, _dir.PathOf("cluster"));
        await kill!;
        foreach (string line in lines) output.WriteLine(line);
        AssertSameOutput(_dir.PathOf("local"), _dir.PathOf("cluster"));
        Assert.Contains(lines, l => l.StartsWith("Count prediction partitions 6/6", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_output_a_worker_cannot_write_fails_the_job_with_one_line_naming_the_worker()
    {
        var model = await ModelAsync(features: 20);
        var data = PartitionedDataset.Resolve(PartitionedFitTests.Parts(_dir, "data", seed: 3, 300, 300));
        string elsewhere = _dir.PathOf("not-shared");

        await using var nodes = await ClusterNodes.StartAsync(workers: 1, serializeMessages: true);
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => OnCluster(nodes).PredictPartitionsAsync("predict-cluster", model,
            data.Partitions, null, elsewhere));
        output.WriteLine(error.Message);
        var address = Akka.Cluster.Cluster.Get(nodes.Workers[0]).SelfAddress;
        Assert.Equal($"worker {address.Host}:{address.Port}: cannot write predictions to {elsewhere}: no such directory here (on a cluster, --out must " +
                     "be on a file system this client and every worker share; or let the parts stream back to the client: ntk predict --out-delivery auto|streamed)", error.Message);
        Assert.False(Directory.Exists(elsewhere));
    }
}

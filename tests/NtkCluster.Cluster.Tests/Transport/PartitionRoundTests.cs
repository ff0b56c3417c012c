using System.Collections.Concurrent;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Partition rounds on a loopback cluster (real remoting, every message serialized): the workers read the partitions
/// from the shared path and answer one partial each, and the model is bitwise the library's — also when a worker dies
/// mid-round and its partitions are read again on the survivor. A partition a worker cannot read fails the job with
/// one line naming the worker and the path.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionRoundTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static bool FastTiming => Environment.GetEnvironmentVariable("NTK_PRODUCTION_TIMING") != "1";

    private static Task<FitOutcome> OnClusterAsync(ClusterNodes nodes, SubmitPartitionedFit s, Action<ProgressUpdate>? progress = null) =>
        new KrrFitter(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), progress))
            .FitPartitionedEvaluatedAsync("fit-cluster", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);

    [Fact]
    public async Task A_loopback_cluster_reads_the_partitions_itself_and_fits_bitwise_the_library_model()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 40, 500, 900);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 120, Seed = 4, Standardize = true, ScaleTarget = true };
        var plain = PartitionedFitTests.Submission(train, test, settings);
        var split = PartitionedFitTests.Submission(train, null, settings, testFraction: 0.3, splitSeed: 5);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        PartitionedFitTests.AssertSameOutcome(await PartitionedFitTests.InProcessAsync(plain), await OnClusterAsync(nodes, plain));
        PartitionedFitTests.AssertSameOutcome(await PartitionedFitTests.InProcessAsync(split), await OnClusterAsync(nodes, split));
    }

    [Fact]
    public async Task A_worker_dying_mid_round_has_its_partitions_read_again_and_the_model_stays_bitwise()
    {
        // Six partitions of 2048 rows with 900 feature columns: about a second of Gram work each.
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 3, 2048, 2048, 2048, 2048, 2048, 2048);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 900, Seed = 8, Standardize = true };
        var submission = PartitionedFitTests.Submission(train, null, settings);
        var expected = await PartitionedFitTests.InProcessAsync(submission);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, fastFailureDetection: FastTiming, serializeMessages: true);
        Task? kill = null;
        var lines = new ConcurrentQueue<string>();
        var outcome = await OnClusterAsync(nodes, submission, update =>
        {
            lines.Enqueue($"{update.Kind} {update.Stage} {update.Done}/{update.Total}");
            // As the round starts, and the round waits for the death: the victim answers none of its partitions.
            if (update is { Kind: ProgressKind.Count, Stage: "Gram partitions", Done: 0 } && kill is null)
                kill = nodes.KillWorkerBeforeTheRound(-1);
        });
        await kill!;
        foreach (string line in lines) output.WriteLine(line);
        PartitionedFitTests.AssertSameOutcome(expected, outcome);
        // Not vacuous: the worker died while Gram partitions were still to come.
        Assert.Contains(lines, l => l.StartsWith("Count Gram partitions 6/6", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is unreachable", StringComparison.Ordinal));
        Assert.True(kill.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_partition_a_worker_cannot_read_fails_the_job_with_one_line_naming_the_worker_and_the_path()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 3, 300, 300);
        var submission = PartitionedFitTests.Submission(train, null, new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 20 });
        string part = Path.Combine(train, "part-00001.csv");
        File.Delete(part);

        await using var nodes = await ClusterNodes.StartAsync(workers: 1, serializeMessages: true);
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => OnClusterAsync(nodes, submission));
        output.WriteLine(error.Message);
        var address = Akka.Cluster.Cluster.Get(nodes.Workers[0]).SelfAddress;
        Assert.Equal($"worker {address.Host}:{address.Port}: {part}: the file is gone since the job started", error.Message);
    }
}

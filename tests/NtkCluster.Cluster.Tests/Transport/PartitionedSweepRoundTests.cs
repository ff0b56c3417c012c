using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Spectral;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A partitioned sweep on a loopback cluster (real remoting, every message serialized): the workers read the
/// partitions, the hashed sample of rows is gathered from them, leverage scores are summed per partition, and the points
/// (plain and leverage) are bitwise the library's.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedSweepRoundTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_loopback_cluster_sweeps_the_partitions_bitwise_as_the_library_does()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 8, 700, 500, 900);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 18, 400);
        // Scalable leverage scores (per partition, on the workers) for the leverage points: the exact ones are gathered rows.
        var settings = new FitSettings
        {
            KernelSpec = "laplace:gamma=0.4", Lambda = 0.05, Features = 1, Seed = 3, Standardize = true,
            LeverageMode = LeverageScoring.Scalable, PoolSize = 2000,
        };
        var submission = PartitionedSweepTests.Submission(train, test, settings, [25, 50], repeats: 2, exactRows: 600);
        var expected = await PartitionedSweepTests.InProcessAsync(submission);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var onCluster = await new PartitionedSweepRunner(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4)))
            .RunAsync("sweep-cluster", submission.TrainSource, submission.Train, submission.Columns, submission.Test, submission.Split,
                submission.Settings, submission.FeatureCounts, submission.Repeats, submission.ExactRowLimit);
        PartitionedSweepTests.AssertSamePoints(expected, onCluster);
    }
}

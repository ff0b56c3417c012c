using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// The partition rounds of leverage sampling and of gathered fits on a loopback cluster (real remoting, every message
/// serialized): the workers read the partitions, answer the subsample's rows, the candidates' row sums and the gathered
/// rows, and the models are bitwise the library's.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedLeverageClusterTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<FitOutcome> OnClusterAsync(ClusterNodes nodes, SubmitPartitionedFit s) =>
        new KrrFitter(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4)))
            .FitPartitionedEvaluatedAsync("fit-cluster", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);

    [Fact]
    public async Task A_loopback_cluster_classifies_three_partitions_bitwise_as_the_library()
    {
        var submission = PartitionedClassifyTests.Classify(PartitionedClassifyTests.DigitParts(_dir), null, PartitionedClassifyTests.Features);
        var split = submission with { Split = new NtkCluster.Numerics.Partitions.RowSplit(2, 0.25, false) };
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        PartitionedClassifyTests.AssertSameClassification(await PartitionedFitTests.InProcessAsync(split), await OnClusterAsync(nodes, split));
    }

    [Fact]
    public async Task A_loopback_cluster_fits_leverage_and_exact_models_of_three_partitions_bitwise_as_the_library()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        var leverage = PartitionedFitTests.Submission(train, null, PartitionedLeverageTests.Scalable, testFraction: 0.25, splitSeed: 3);
        string small = PartitionedFitTests.Parts(_dir, "small", seed: 5, 150, 90, 160);
        var exact = PartitionedFitTests.Submission(small, null,
            new FitSettings { KernelSpec = "ntk", Lambda = 0.1, Exact = true, Standardize = true }, testFraction: 0.2, splitSeed: 1);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        PartitionedFitTests.AssertSameOutcome(await PartitionedFitTests.InProcessAsync(leverage), await OnClusterAsync(nodes, leverage));
        PartitionedFitTests.AssertSameOutcome(await PartitionedFitTests.InProcessAsync(exact), await OnClusterAsync(nodes, exact));
    }
}

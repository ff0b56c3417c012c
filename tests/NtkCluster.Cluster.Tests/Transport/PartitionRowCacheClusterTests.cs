using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Partition commands go to the partition's own entity, which keeps the rows that fit its worker's memory: on a
/// loopback cluster and in local mode, every partition is parsed from its file once — by the first round that reads
/// rows — and every later round, and a second job on the same data, slices the rows from memory; the models are
/// bitwise those of the library reading the files afresh in every round.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionRowCacheClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The library's fit with no cache at all: every round reads the files.</summary>
    private static Task<FitOutcome> StreamedAsync(SubmitPartitionedFit s) =>
        new KrrFitter(new InProcessBlockRounds(2, rows: StreamedPartitionRows.Instance))
            .FitPartitionedEvaluatedAsync("fit-streamed", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);

    private static Task<FitOutcome> OnClusterAsync(ClusterNodes nodes, string jobId, SubmitPartitionedFit s) =>
        new KrrFitter(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4)))
            .FitPartitionedEvaluatedAsync(jobId, s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);

    [Fact]
    public async Task A_second_round_and_a_second_job_on_a_cluster_read_the_partitions_rows_from_the_workers_memory()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100, 900);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 40, 500, 900);
        var first = PartitionedFitTests.Submission(train, test, new FitSettings
        {
            KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 120, Seed = 4, Standardize = true, ScaleTarget = true,
        });
        var second = PartitionedFitTests.Submission(train, null, new FitSettings { KernelSpec = "ntk", Lambda = 0.1, Features = 50, Seed = 9, Standardize = true },
            testFraction: 0.3, splitSeed: 5);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        long Reads() => nodes.RowCaches.Sum(c => c.FileReads);
        long Hits() => nodes.RowCaches.Sum(c => c.Hits);

        PartitionedFitTests.AssertSameOutcome(await StreamedAsync(first), await OnClusterAsync(nodes, "fit-1", first));
        // Six partitions (four to train on, two to test on), each parsed once: the statistics round read the training
        // partitions and the Gram round sliced them from memory (the training error comes from the normal equations);
        // the test error read the test ones.
        output.WriteLine($"after the first job: {Reads()} file reads, {Hits()} hits; " +
            string.Join(", ", nodes.RowCaches.Select(c => $"{c.CachedPartitions} partitions, {c.CachedBytes} bytes")));
        Assert.Equal(6, Reads());
        Assert.Equal(4, Hits());
        Assert.Equal(6, nodes.RowCaches.Sum(c => c.CachedPartitions));
        // Which worker holds which partition is shard allocation's choice (a worker whose region registers late gets
        // none of the first shards), so the test counts over all workers and asserts nothing of the split.

        // Another job on the same training files (another kernel, a held-out split): nothing is parsed again.
        PartitionedFitTests.AssertSameOutcome(await StreamedAsync(second), await OnClusterAsync(nodes, "fit-2", second));
        output.WriteLine($"after the second job: {Reads()} file reads, {Hits()} hits");
        Assert.Equal(6, Reads());
        Assert.Equal(4 + 3 * 4, Hits()); // statistics, Gram and held-out error, each over the 4 partitions
    }

    [Fact]
    public async Task Local_mode_keeps_the_rows_too_and_a_budget_too_small_for_any_partition_streams_them_to_the_same_model()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 60, 900, 1100, 400);
        var submission = PartitionedFitTests.Submission(train, null, new FitSettings
        {
            KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 80, Seed = 2, Standardize = true,
        }, testFraction: 0.25, splitSeed: 3);
        var expected = await StreamedAsync(submission);

        var kept = new PartitionRowCache(64L << 20);
        await using (var local = await LocalCluster.StartAsync(2, rows: kept))
        {
            Assert.Same(kept, local.Rows);
            PartitionedFitTests.AssertSameOutcome(expected, await local.RunAsync<FitOutcome>(submission));
            PartitionedFitTests.AssertSameOutcome(expected, await local.RunAsync<FitOutcome>(submission));
        }
        Assert.Equal((3L, 3), (kept.FileReads, kept.CachedPartitions));
        Assert.Equal(2 * 3 * 3 - 3, kept.Hits); // two jobs × (statistics, Gram, held-out error) × 3 partitions, less the first reads

        var tiny = new PartitionRowCache(PartitionRowCache.BytesOf(100, submission.Columns));
        await using (var local = await LocalCluster.StartAsync(2, rows: tiny))
            PartitionedFitTests.AssertSameOutcome(expected, await local.RunAsync<FitOutcome>(submission));
        Assert.Equal((3L * 3, 0L, 0), (tiny.FileReads, tiny.Hits, tiny.CachedPartitions));
    }
}

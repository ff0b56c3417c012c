using Akka.Actor;
using Akka.TestKit.Xunit2;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Messages;
using NtkCluster.Worker.Entities;
using Xunit;

namespace NtkCluster.Cluster.Tests.Messaging;

/// <summary>
/// Leverage scoring's partition command (<see cref="ScorePartitionCandidates"/>) stays on its own block entity, one per
/// candidate group and partition, but reads the partition as a partition entity does: where the node's locator says
/// (a shipped copy), its rows through the worker's row cache — and its sums are bitwise those of the file read afresh.
/// </summary>
public sealed class LocatedScoringTests : TestKit
{
    private const string Dispatcher = "akka.actor.default-dispatcher";
    private static readonly PartitionColumns Columns = new(["x1", "x2", "x3"], ["y"], null);
    private readonly CliTempDirectory _dir = new();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _dir.Dispose();
        base.Dispose(disposing);
    }

    private static ScorePartitionCandidates Command(int group, DataPartition partition) => new(
        "fit-1-tau", group, partition, Columns, new RowSplit(5, 0.25, false), Serialization.MessageSamples.Preprocessing(3, 1),
        PlainSampler.Sample(new RbfKernel(0.5), 3, 12, 7), PlainSampler.Sample(new RbfKernel(0.5), 3, 5 + group, (ulong)(40 + group)).Draws);

    [Fact]
    public void Scoring_reads_the_partition_where_the_locator_says_through_the_row_cache_and_matches_the_file_read_afresh()
    {
        // 2500 rows: three blocks of the scorer's 1024, so a cache that cut its blocks elsewhere would change the sums.
        string original = _dir.Write("a.csv", TestData.Csv(2500, seed: 8));
        var partition = PartitionedDataset.Resolve(original).CountRows().Partitions[0];
        var expected = Enumerable.Range(0, 2).Select(g =>
        {
            var c = Command(g, partition);
            return PartitionComputations.ScoreSums(c.Partition, c.Columns, c.Split, c.Preprocessing, c.FirstStage, c.Candidates);
        }).ToArray();
        string copy = Path.Combine(_dir.Path, "copy.csv");
        File.Move(original, copy); // only the located path exists now, as for a partition shipped to this worker
        var locator = new PartitionEntityTests.MovedLocator(copy);
        var cache = new PartitionRowCache(1L << 30);

        for (int g = 0; g < 2; g++)
        {
            Sys.ActorOf(BlockEntity.Props(Dispatcher, rows: cache, locator: locator)).Tell(Command(g, partition));
            var reply = ExpectMsg<PartitionCandidatesScored>(TimeSpan.FromSeconds(30));
            Assert.Equal(g, reply.BlockIndex);
            Assert.Equal(expected[g].Rows, reply.Sums.Rows);
            Assert.True(expected[g].ZPhi.Equals(reply.Sums.ZPhi), $"group {g}: ZᵀΦ differs from the file's");
            Assert.Equal(expected[g].Norms, reply.Sums.Norms);
        }
        // The first group parsed the copy and kept its rows; the second sliced them from memory.
        Assert.Equal((2, 1L, 1L), (locator.Calls, cache.FileReads, cache.Hits));
    }

    [Fact]
    public void Scoring_a_partition_the_locator_cannot_provide_is_answered_unreadable_with_the_reason()
    {
        var partition = PartitionedDataset.Resolve(_dir.Write("a.csv", TestData.Csv(50, seed: 1))).CountRows().Partitions[0];
        Sys.ActorOf(BlockEntity.Props(Dispatcher, rows: new PartitionRowCache(0), locator: new PartitionEntityTests.MovedLocator(null)))
            .Tell(Command(3, partition));
        var reply = ExpectMsg<PartitionUnreadable>();
        Assert.Equal(("fit-1-tau", 3, $"{partition.Name}: no copy of it here"), (reply.JobId, reply.BlockIndex, reply.Reason));
    }
}

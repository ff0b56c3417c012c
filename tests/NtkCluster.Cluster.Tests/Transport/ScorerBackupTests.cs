using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A remote scoring round (<see cref="ShardedBlockRounds.ScoreAsync"/>) over a TestProbe: an entity that answers
/// <see cref="ScorerMissing"/> — the block's own or a backup on another node — is sent the scorer and the block stays
/// pending, so a stalled block's backup scores it instead of answering uselessly; the scores are the scorer's own.
/// </summary>
public sealed class ScorerBackupTests : TestKit
{
    private static readonly Address NodeA = new("akka.tcp", "ntk", "10.0.0.1", 4001);
    private static readonly Address NodeB = new("akka.tcp", "ntk", "10.0.0.2", 4002);

    private const string Job = "job-sc";

    /// <summary>The command put together from the pieces of one transfer routed to <paramref name="entityId"/>.</summary>
    private ScoreCandidateBlock ExpectPieces(TestProbe region, string entityId)
    {
        var first = region.ExpectMsg<BlockCommandChunk>(TimeSpan.FromSeconds(5));
        Assert.Equal(entityId, first.EntityId);
        var pieces = new List<BlockCommandChunk> { first };
        while (pieces.Count < first.Count)
        {
            var next = region.ExpectMsg<BlockCommandChunk>();
            Assert.Equal((entityId, first.TransferId), (next.EntityId, next.TransferId));
            pieces.Add(next);
        }
        byte[] bytes = pieces.OrderBy(p => p.Index).SelectMany(p => p.Bytes).ToArray();
        return Assert.IsType<ScoreCandidateBlock>(NtkMessageSerializer.Deserialize(bytes, first.Manifest));
    }

    [Fact]
    public async Task A_backup_that_lacks_the_scorer_is_sent_it_and_its_scores_are_folded_as_the_scorers_own()
    {
        var scorer = MessageSamples.ExactScorer(new RbfKernel(0.4), 12, 3, 13);
        var pool = MessageSamples.Random(9, 4, 14); // three candidate blocks of 3
        var region = CreateTestProbe();
        // Block 1's shard lives on node A (the one that stalls); a few other shards on node B.
        var homes = ShardHomes.Of(Sys);
        string shardOf1 = ShardHomes.ShardOf($"{Job}.score.1");
        homes.Learn(shardOf1, NodeA);
        foreach (string shard in Enumerable.Range(0, 64).Select(s => s.ToString()).Where(s => s != shardOf1).Take(3)) homes.Learn(shard, NodeB);

        var notices = new ConcurrentQueue<string>();
        var options = new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(20), Attempts: 1)
        {
            Remote = true,
            MinimumStall = TimeSpan.FromMilliseconds(400),
            Notify = notices.Enqueue,
        };
        var round = new ShardedBlockRounds(region, options).ScoreAsync(Job, scorer, pool, 3);

        var block0 = region.ExpectMsg<ScoreCandidateBlock>();
        var receiver = region.LastSender;
        Assert.Equal((0, null), (block0.BlockIndex, block0.Scorer));
        var block1 = region.ExpectMsg<ScoreCandidateBlock>();
        Assert.Equal((1, null), (block1.BlockIndex, block1.Scorer));

        // Block 0's own entity has no scorer: the round sends it the block again with the scorer, itself.
        receiver.Tell(new ScorerMissing(Job, 0), region);
        var supplied0 = region.ExpectMsg<ScoreCandidateBlock>();
        Assert.Equal(0, supplied0.BlockIndex);
        Assert.IsType<ExactLeverageScorer>(supplied0.Scorer);
        receiver.Tell(new CandidateBlockScored(Job, 0, scorer.Score(block0.Candidates)), region);
        var block2 = region.ExpectMsg<ScoreCandidateBlock>();
        Assert.Equal((2, null), (block2.BlockIndex, block2.Scorer));

        // Block 1 stalls: its copy goes, keyless, to a backup on node B ...
        var piece = region.ExpectMsg<BlockCommandChunk>(TimeSpan.FromSeconds(5));
        Assert.True(BackupEntityId.IsBackup(piece.EntityId), piece.EntityId);
        Assert.Equal(NodeB, homes.HomeOf(piece.EntityId));
        var copy = Assert.IsType<ScoreCandidateBlock>(NtkMessageSerializer.Deserialize(piece.Bytes, piece.Manifest));
        Assert.Null(copy.Scorer);
        // ... which has never had the scorer: it is sent the scorer, routed by the backup's id (not the stalled original's).
        var backup = CreateTestProbe(piece.EntityId);
        Assert.Equal(piece.EntityId, backup.Ref.Path.Name);
        receiver.Tell(new ScorerMissing(Job, 1), backup);
        var supplied1 = ExpectPieces(region, piece.EntityId);
        Assert.Equal(1, supplied1.BlockIndex);
        Assert.Equal(block1.Candidates.ToColumnMajorArray(), supplied1.Candidates.ToColumnMajorArray());
        Assert.IsType<ExactLeverageScorer>(supplied1.Scorer);

        // The backup's scores (computed with the scorer it was sent) are folded; the stalled original's later answer,
        // different to tell them apart, is dropped.
        receiver.Tell(new CandidateBlockScored(Job, 2, scorer.Score(pool.SubMatrix(6, 3, 0, 4))), region);
        receiver.Tell(new CandidateBlockScored(Job, 1, supplied1.Scorer!.Score(supplied1.Candidates)), backup);
        receiver.Tell(new CandidateBlockScored(Job, 1, [1, 2, 3]), region);
        var scores = await round.WaitAsync(TimeSpan.FromSeconds(10));
        // Scored block by block, as the workers do.
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(b => scorer.Score(pool.SubMatrix(3 * b, 3, 0, 4))), scores);
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Contains(notices, l => l.StartsWith($"block 1 of job {Job} has waited", StringComparison.Ordinal) &&
                                      l.Contains($"asked again on worker node {NodeB}", StringComparison.Ordinal));
    }
}

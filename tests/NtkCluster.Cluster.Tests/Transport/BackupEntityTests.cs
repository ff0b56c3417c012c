using Akka.Actor;
using Akka.TestKit.Xunit2;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Asking a stalled block again <em>elsewhere</em>: backup entity ids that hash to a shard at home on another node
/// (learned from the answers' senders), and a round over a TestProbe whose stalled block is sent — as pieces routed by
/// the backup's id — to the other node, first answer folded once.
/// </summary>
public sealed class BackupEntityTests : TestKit
{
    private static readonly Address NodeA = new("akka.tcp", "ntk", "10.0.0.1", 4001);
    private static readonly Address NodeB = new("akka.tcp", "ntk", "10.0.0.2", 4002);

    [Fact]
    public void A_backup_id_is_the_original_with_a_replica_suffix_and_neuron_commands_have_none()
    {
        string id = BackupEntityId.Of("job.gram.3", 7);
        Assert.Equal("job.gram.3~backup7", id);
        Assert.True(BackupEntityId.IsBackup(id));
        Assert.False(BackupEntityId.IsBackup("job.gram.3"));
        // A partition's backup is still routed to a partition entity (WorkerHost decides by the prefix).
        Assert.True(PartitionEntityId.IsPartition(BackupEntityId.Of("partition.00ff", 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupEntityId.Of("x", 0));
        Assert.True(BackupEntityId.Allows(StalledRound.Rows("job-e", 0)));
        Assert.False(BackupEntityId.Allows(new NeuronStep("job", 0, 1, [1.0])));
        Assert.False(BackupEntityId.Allows(new ReleaseNeuronBlock("job", 0)));
    }

    [Fact]
    public void Shard_homes_are_learned_from_block_entity_paths_and_a_backup_is_found_on_the_wanted_node()
    {
        var homes = new ShardHomes();
        homes.Learn(ActorPath.Parse("akka.tcp://ntk@10.0.0.2:4002/system/sharding/ntk-block/17/job.gram.0"));
        homes.Learn(ActorPath.Parse("akka.tcp://ntk@10.0.0.1:4001/system/sharding/ntk-neurons/18/job.neurons.0")); // not the block region
        homes.Learn(ActorPath.Parse("akka://ntk/system/sharding/ntk-block/19/job.gram.1")); // local: not a worker node
        Assert.Equal([NodeB], homes.Nodes());
        // The neuron region's shards are kept apart: same shard numbers, other homes.
        Assert.Equal([NodeA], homes.Nodes(BlockSharding.NeuronTypeName));
        string? neuronBackup = homes.BackupOn("job.neurons.1", NodeA, BlockSharding.NeuronTypeName);
        Assert.Equal("18", ShardHomes.ShardOf(neuronBackup!));
        Assert.Equal(NodeA, homes.HomeOf(neuronBackup!, BlockSharding.NeuronTypeName));
        Assert.Null(homes.HomeOf(neuronBackup!)); // shard 18 of the block region: not known
        string? another = homes.BackupOn("job.neurons.1", NodeA, BlockSharding.NeuronTypeName, skip: id => id == neuronBackup);
        Assert.NotNull(another);
        Assert.NotEqual(neuronBackup, another);
        Assert.Equal("18", ShardHomes.ShardOf(another));
        Assert.Null(homes.BackupOn("job.neurons.1", NodeB, BlockSharding.NeuronTypeName));

        string? backup = homes.BackupOn("job.kernel.5", NodeB);
        Assert.NotNull(backup);
        Assert.StartsWith("job.kernel.5~backup", backup);
        Assert.Equal("17", ShardHomes.ShardOf(backup));
        Assert.Equal(NodeB, homes.HomeOf(backup));
        Assert.Null(homes.BackupOn("job.kernel.5", NodeA)); // no shard known there

        homes.Forget(a => a == NodeB);
        Assert.Empty(homes.Nodes());
    }

    [Fact]
    public async Task A_stalled_block_is_asked_again_of_a_backup_on_another_node_and_its_first_answer_is_folded_once()
    {
        var region = CreateTestProbe();
        var stalled = new StalledRound(region, "job-e");
        var commands = stalled.Commands;
        // Block 1's shard lives on node A (the one that stalls); a few other shards on node B.
        var homes = ShardHomes.Of(Sys);
        homes.Learn(ShardHomes.ShardOf(commands[1].EntityId), NodeA);
        foreach (string shard in Enumerable.Range(0, 64).Select(s => s.ToString()).Where(s => s != ShardHomes.ShardOf(commands[1].EntityId)).Take(3))
            homes.Learn(shard, NodeB);
        stalled.StartWithBlock1Stalled();

        // The copy of block 1 goes to a backup entity whose shard is on node B, as pieces routed by the backup's id.
        var piece = region.ExpectMsg<BlockCommandChunk>(TimeSpan.FromSeconds(5));
        Assert.True(BackupEntityId.IsBackup(piece.EntityId), piece.EntityId);
        Assert.StartsWith(commands[1].EntityId + BackupEntityId.Separator, piece.EntityId);
        Assert.Equal(NodeB, homes.HomeOf(piece.EntityId));
        Assert.Equal(1, piece.Count);
        var copy = Assert.IsType<BuildKernelRows>(NtkMessageSerializer.Deserialize(piece.Bytes, piece.Manifest));
        Assert.Equal(commands[1].XBlock.ToColumnMajorArray(), copy.XBlock.ToColumnMajorArray());
        Assert.Equal(commands[1].BlockIndex, copy.BlockIndex);
        Assert.Contains(stalled.Notices, l => l.StartsWith("block 1 of job job-e has waited", StringComparison.Ordinal) &&
                                              l.Contains($"asked again on worker node {NodeB}", StringComparison.Ordinal));

        // The backup answers first; the stalled original's later answer is dropped.
        await stalled.AnswerBlock1TwiceAndCheckTheFirstIsFoldedOnceAsync();
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}

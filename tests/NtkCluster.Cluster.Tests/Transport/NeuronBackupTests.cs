using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Networks;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A neuron block whose step stalls (its node stopped) is restored at once on a backup entity on another node — the
/// checkpoint plus the residuals since, as pieces routed by the backup's id — and addressed there for the rest of the
/// job; the entity it left is never asked again and its late answer is dropped. The neuron region is a TestProbe that
/// plays the workers.
/// </summary>
public sealed class NeuronBackupTests : TestKit
{
    private static readonly Address NodeA = new("akka.tcp", "ntk", "10.0.0.1", 4001);
    private static readonly Address NodeB = new("akka.tcp", "ntk", "10.0.0.2", 4002);
    private const string Job = "job-nn";

    private static NeuronLineage Lineage(int blocks, int checkpointStep, int stepsSince)
    {
        var setups = Enumerable.Range(0, blocks).Select(b => new NeuronBlockSetup(new NetworkSetup(2048, 1.5, 0.01, 0.125),
            MessageSamples.Random(4, 3, 10 + b), [1.0, -1.0, 1.0, -1.0], [1.0, 1.1, 1.2, 1.3], MessageSamples.Random(6, 3, 20))).ToArray();
        var lineage = new NeuronLineage(setups, setups.Select((_, b) => MessageSamples.Random(4, 3, 30 + b)).ToArray(), checkpointStep);
        for (int s = 0; s < stepsSince; s++) lineage.ResidualsSince.Add(Enumerable.Range(0, 6).Select(i => s + i / 10.0).ToArray());
        return lineage;
    }

    private static NeuronStepDone Done(int block, int step, double value) => new(Job, block, step + 1, Enumerable.Repeat(value, 6).ToArray(), value);

    private static T Piece<T>(BlockCommandChunk piece) where T : IBlockCommand
    {
        Assert.Equal(1, piece.Count);
        return Assert.IsType<T>(NtkMessageSerializer.Deserialize(piece.Bytes, piece.Manifest));
    }

    [Fact]
    public async Task A_stalled_neuron_block_is_restored_on_a_backup_on_another_node_and_asked_there_for_the_rest_of_the_job()
    {
        var region = CreateTestProbe();
        var homes = ShardHomes.Of(Sys);
        string own0 = new NeuronStep(Job, 0, 0, []).EntityId, own1 = new NeuronStep(Job, 1, 0, []).EntityId;
        // Block 0's shard is on node A (the one that stalls), block 1's on node B; a few more neuron shards on B. Block
        // shards say nothing about where neuron shards are: all on A.
        homes.Learn(ShardHomes.ShardOf(own0), NodeA, BlockSharding.NeuronTypeName);
        foreach (string shard in Enumerable.Range(0, 64).Select(s => s.ToString()).Where(s => s != ShardHomes.ShardOf(own0)).Take(4))
        {
            homes.Learn(shard, NodeB, BlockSharding.NeuronTypeName);
            homes.Learn(shard, NodeA);
        }
        homes.Learn(ShardHomes.ShardOf(own1), NodeB, BlockSharding.NeuronTypeName);

        var notices = new ConcurrentQueue<string>();
        var options = new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(20), Attempts: 1)
        {
            Remote = true,
            MinimumStall = TimeSpan.FromMilliseconds(400),
            Notify = notices.Enqueue,
        };
        var warnings = new ConcurrentQueue<string>();
        var rounds = new ShardedBlockRounds(new WorkerRegions(CreateTestProbe(), region), options,
            p => { if (p.Kind == ProgressKind.Warning) warnings.Enqueue(p.Stage); });
        var lineage = Lineage(2, checkpointStep: 50, stepsSince: 3);
        double[] residual = [9, 8, 7, 6, 5, 4];

        var step = rounds.Neurons.StepAsync(Job, 53, residual, lineage);
        Assert.Equal(0, region.ExpectMsg<NeuronStep>().BlockIndex);
        var first = region.LastSender;
        Assert.Equal(1, region.ExpectMsg<NeuronStep>().BlockIndex);
        first.Tell(Done(1, 53, 2.0), region);

        // Block 0 stalls: it is reloaded on a backup whose shard is on node B, from the checkpoint and the 3 residuals since.
        var load = region.ExpectMsg<BlockCommandChunk>(TimeSpan.FromSeconds(5));
        Assert.StartsWith(own0 + BackupEntityId.Separator, load.EntityId);
        string backup = load.EntityId;
        Assert.Equal(NodeB, homes.HomeOf(backup, BlockSharding.NeuronTypeName));
        var reload = Piece<LoadNeuronBlock>(load);
        Assert.Equal((0, 50, 3), (reload.BlockIndex, reload.Step, reload.ResidualsSince.Count));
        Assert.Equal(lineage.Checkpoint[0].ToColumnMajorArray(), reload.Weights.ToColumnMajorArray());
        Assert.Equal(lineage.ResidualsSince[2], reload.ResidualsSince[2]);
        region.LastSender.Tell(new NeuronBlockLoaded(Job, 0, 53, new double[6], 0.5), region);
        // Then the step itself, at the backup.
        var again = region.ExpectMsg<BlockCommandChunk>(TimeSpan.FromSeconds(5));
        Assert.Equal(backup, again.EntityId);
        Assert.Equal(residual, Piece<NeuronStep>(again).Residual);
        region.LastSender.Tell(Done(0, 53, 1.0), region);
        // The stalled original answers late, with other values: dropped.
        first.Tell(Done(0, 53, 100.0), region);

        var outputs = await step;
        Assert.Equal(Enumerable.Repeat(3.0, 6), outputs.Outputs);
        Assert.Equal(3.0, outputs.SquaredNorm);
        Assert.Contains(warnings, w => w.Contains($"restoring neuron block 0 of job {Job} at once on backup entity {backup} on worker node {NodeB}", StringComparison.Ordinal) &&
                                       w.Contains("from the checkpoint at step 50 to step 53", StringComparison.Ordinal));

        // The next step goes to the backup for block 0 (pieces by its id) and to its own entity for block 1.
        lineage.ResidualsSince.Add(residual);
        var next = rounds.Neurons.StepAsync(Job, 54, residual, lineage);
        var moved = region.ExpectMsg<BlockCommandChunk>();
        Assert.Equal(backup, moved.EntityId);
        Assert.Equal(54, Piece<NeuronStep>(moved).Step);
        region.LastSender.Tell(Done(0, 54, 1.0), region);
        var stayed = region.ExpectMsg<NeuronStep>();
        Assert.Equal((1, own1), (stayed.BlockIndex, stayed.EntityId));
        region.LastSender.Tell(Done(1, 54, 2.0), region);
        Assert.Equal(Enumerable.Repeat(3.0, 6), (await next).Outputs);

        // Released at the backup, and where it was (fire and forget: it may hold the job's rows still).
        rounds.Neurons.Release(Job, 2);
        var released = new List<string>();
        for (int i = 0; i < 3; i++)
            released.Add(region.ExpectMsg<object>() switch
            {
                BlockCommandChunk c => Piece<ReleaseNeuronBlock>(c) is { BlockIndex: 0 } ? c.EntityId : "?",
                ReleaseNeuronBlock r => r.EntityId,
                var other => other.GetType().Name,
            });
        Assert.Equal(new[] { backup, own0, own1 }.Order(), released.Order());
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}

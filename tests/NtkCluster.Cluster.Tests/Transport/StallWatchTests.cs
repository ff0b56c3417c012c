using System.Collections.Concurrent;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A remote round whose block stalls, with a TestProbe in place of the workers: the block is asked again once it has
/// waited the round's stall threshold, the wait is reported, and of two answers the first is folded, once, in block order.
/// </summary>
public sealed class StallWatchTests : TestKit
{
    private static BuildKernelRows Rows(int block) =>
        new("job-s", block, "rbf:gamma=0.5", MessageSamples.Random(4, 3, block), MessageSamples.Random(6, 3, 100 + block));

    private static KernelRowsComputed Answer(BuildKernelRows r, double shift = 0) =>
        new(r.JobId, r.BlockIndex, KernelSpec.Parse(r.KernelSpec).Evaluate(r.XBlock, r.X).Map(v => v + shift));

    [Fact]
    public async Task A_stalled_block_is_asked_again_reported_and_only_its_first_answer_is_folded_in_block_order()
    {
        var region = CreateTestProbe();
        var notices = new ConcurrentQueue<string>();
        var options = new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(20), Attempts: 1)
        {
            Remote = true,
            MinimumStall = TimeSpan.FromMilliseconds(400),
            Notify = notices.Enqueue,
        };
        var commands = Enumerable.Range(0, 3).Select(Rows).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var round = BlockRound.RunAsync<KernelRowsComputed, List<(int Block, Matrix<double> Rows)>>(region, 3, b => commands[b], new(),
            (acc, r) =>
            {
                acc.Add((r.BlockIndex, r.Rows));
                return acc;
            }, options);

        Assert.Equal(0, region.ExpectMsg<BuildKernelRows>().BlockIndex);
        var receiver = region.LastSender;
        Assert.Equal(1, region.ExpectMsg<BuildKernelRows>().BlockIndex);
        receiver.Tell(Answer(commands[0]), region);
        Assert.Equal(2, region.ExpectMsg<BuildKernelRows>().BlockIndex);
        // Block 1 unanswered: asked again once it has waited the threshold (here the minimum: block 0 took far less).
        var again = region.ExpectMsg<BuildKernelRows>(TimeSpan.FromSeconds(5));
        Assert.Equal(1, again.BlockIndex);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"asked again after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains(notices, l => l.StartsWith("block 1 of job job-s has waited", StringComparison.Ordinal) && l.Contains("asked again"));

        // Both sendings answer, the speculative one first; the other's answer (different values, to tell them apart) is dropped.
        receiver.Tell(Answer(commands[2]), region);
        receiver.Tell(Answer(commands[1]), region);
        receiver.Tell(Answer(commands[1], shift: 1), region);
        var folded = await round;
        Assert.Equal([0, 1, 2], folded.Select(f => f.Block));
        Assert.Equal(Answer(commands[1]).Rows.ToColumnMajorArray(), folded[1].Rows.ToColumnMajorArray());
        Assert.Single(notices, l => l.Contains("block 1 of job job-s has waited"));
    }
}

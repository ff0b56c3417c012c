using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// The harness of the stall tests (<see cref="StallWatchTests"/>, <see cref="BackupEntityTests"/>): a remote round of
/// three kernel-row blocks over a TestProbe in place of the workers, with a 400 ms stall threshold, in which block 1 is
/// left unanswered until the test has seen what the round does about it.
/// </summary>
internal sealed class StalledRound
{
    private readonly TestProbe _region;
    private Task<List<(int Block, Matrix<double> Rows)>>? _round;

    /// <summary>The round's commands, in block order (known before it starts, so a test can place block 1's shard).</summary>
    public BuildKernelRows[] Commands { get; }

    /// <summary>The lines the round reported.</summary>
    public ConcurrentQueue<string> Notices { get; } = new();

    /// <summary>Where the answers come from (the round's receiver); set by <see cref="StartWithBlock1Stalled"/>.</summary>
    public IActorRef Receiver { get; private set; } = ActorRefs.Nobody;

    public StalledRound(TestProbe region, string jobId)
    {
        _region = region;
        Commands = Enumerable.Range(0, 3).Select(b => Rows(jobId, b)).ToArray();
    }

    public static BuildKernelRows Rows(string jobId, int block) =>
        new(jobId, block, "rbf:gamma=0.5", MessageSamples.Random(4, 3, block), MessageSamples.Random(6, 3, 100 + block));

    public static KernelRowsComputed Answer(BuildKernelRows r, double shift = 0) =>
        new(r.JobId, r.BlockIndex, KernelSpec.Parse(r.KernelSpec).Evaluate(r.XBlock, r.X).Map(v => v + shift));

    /// <summary>Starts the round (window 2) and answers block 0 only: blocks 0, 1 and 2 have been sent, block 1 waits.</summary>
    public void StartWithBlock1Stalled()
    {
        var options = new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(20), Attempts: 1)
        {
            Remote = true,
            MinimumStall = TimeSpan.FromMilliseconds(400),
            Notify = Notices.Enqueue,
        };
        _round = BlockRound.RunAsync<KernelRowsComputed, List<(int Block, Matrix<double> Rows)>>(_region, 3, b => Commands[b], new(),
            (acc, r) =>
            {
                acc.Add((r.BlockIndex, r.Rows));
                return acc;
            }, options);

        Assert.Equal(0, _region.ExpectMsg<BuildKernelRows>().BlockIndex);
        Receiver = _region.LastSender;
        Assert.Equal(1, _region.ExpectMsg<BuildKernelRows>().BlockIndex);
        Receiver.Tell(Answer(Commands[0]), _region);
        Assert.Equal(2, _region.ExpectMsg<BuildKernelRows>().BlockIndex);
    }

    /// <summary>
    /// Answers block 2, then block 1 twice — the speculative sending first, the other with different values to tell them
    /// apart — and checks that the round folds the first answer only, once, in block order.
    /// </summary>
    public async Task AnswerBlock1TwiceAndCheckTheFirstIsFoldedOnceAsync()
    {
        Assert.NotNull(_round);
        Receiver.Tell(Answer(Commands[2]), _region);
        Receiver.Tell(Answer(Commands[1]), _region);
        Receiver.Tell(Answer(Commands[1], shift: 1), _region);
        var folded = await _round;
        Assert.Equal([0, 1, 2], folded.Select(f => f.Block));
        Assert.Equal(Answer(Commands[1]).Rows.ToColumnMajorArray(), folded[1].Rows.ToColumnMajorArray());
    }
}

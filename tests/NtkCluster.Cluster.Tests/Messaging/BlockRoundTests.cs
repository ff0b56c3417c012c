using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Messaging;

/// <summary>
/// The coordinator's side of a round, with a TestProbe standing in for the sharding region: partials are reduced
/// in block order whatever order they arrive in, the window bounds what is in flight, and silence is an error.
/// </summary>
public sealed class BlockRoundTests : TestKit
{
    private static BuildKernelRows Request(int b) =>
        new("job-1", b, "rbf:gamma=1", Matrix<double>.Build.Dense(1, 1), Matrix<double>.Build.Dense(1, 1));

    private static KernelRowsComputed Reply(int b, double value) =>
        new("job-1", b, Matrix<double>.Build.Dense(1, 1, value));

    [Fact]
    public async Task Partials_are_reduced_in_block_order_whatever_the_arrival_order()
    {
        // Floating-point addition is not associative: these values sum to 1 in block order and to 0 in reverse.
        double[] values = [1e16, 1.0, -1e16, 1.0];
        var region = CreateTestProbe();
        var order = new List<int>();
        var round = BlockRound.RunAsync<KernelRowsComputed, double>(region, values.Length, Request, 0.0,
            (acc, r) => { order.Add(r.BlockIndex); return acc + r.Rows[0, 0]; },
            new RoundOptions(Window: 4, BlockTimeout: TimeSpan.FromSeconds(10), Attempts: 1));

        var senders = new IActorRef[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var request = region.ExpectMsg<BuildKernelRows>();
            senders[request.BlockIndex] = region.LastSender;
        }
        for (int b = values.Length - 1; b >= 0; b--) senders[b].Tell(Reply(b, values[b]));

        double sum = await round;
        Assert.Equal([0, 1, 2, 3], order);
        Assert.Equal(((1e16 + 1.0) + -1e16) + 1.0, sum);
        Assert.NotEqual(((1.0 + -1e16) + 1.0) + 1e16, sum); // the reverse order gives something else
    }

    [Fact]
    public async Task The_window_bounds_the_blocks_in_flight()
    {
        var region = CreateTestProbe();
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, 5, Request, 0, (acc, _) => acc + 1,
            new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(10), Attempts: 1));
        var first = region.ExpectMsg<BuildKernelRows>();
        var firstSender = region.LastSender;
        var second = region.ExpectMsg<BuildKernelRows>();
        var secondSender = region.LastSender;
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal((0, 1), (first.BlockIndex, second.BlockIndex));

        // Block 1 answering early frees no slot: the coordinator holds it until block 0 is in.
        secondSender.Tell(Reply(1, 0));
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        firstSender.Tell(Reply(0, 0));
        for (int b = 2; b < 5; b++)
        {
            var request = region.ExpectMsg<BuildKernelRows>();
            Assert.Equal(b, request.BlockIndex);
            region.LastSender.Tell(Reply(b, 0));
        }
        Assert.Equal(5, await round);
    }

    [Fact]
    public async Task A_worker_that_never_answers_fails_the_round_with_a_clear_timeout_after_retrying()
    {
        var region = CreateTestProbe();
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, 1, Request, 0, (acc, _) => acc + 1,
            new RoundOptions(Window: 1, BlockTimeout: TimeSpan.FromMilliseconds(300), Attempts: 2));
        region.ExpectMsg<BuildKernelRows>(); // first attempt, unanswered
        region.ExpectMsg<BuildKernelRows>(); // the idempotent retry, unanswered too
        var error = await Assert.ThrowsAsync<JobFailedException>(() => round);
        Assert.Contains("block 0 of job job-1 got no answer", error.Message);
        Assert.Contains("2 attempts", error.Message);
    }

    [Fact]
    public async Task A_late_answer_after_a_retry_is_accepted()
    {
        var region = CreateTestProbe();
        var round = BlockRound.RunAsync<KernelRowsComputed, double>(region, 1, Request, 0.0, (acc, r) => acc + r.Rows[0, 0],
            new RoundOptions(Window: 1, BlockTimeout: TimeSpan.FromMilliseconds(300), Attempts: 3));
        region.ExpectMsg<BuildKernelRows>();
        region.ExpectMsg<BuildKernelRows>();
        region.LastSender.Tell(Reply(0, 7.0));
        Assert.Equal(7.0, await round);
    }

    [Fact]
    public async Task A_block_that_fails_on_its_worker_fails_the_round_at_once_with_the_reason()
    {
        var region = CreateTestProbe();
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, 1, Request, 0, (acc, _) => acc + 1,
            new RoundOptions(Window: 1, BlockTimeout: TimeSpan.FromSeconds(30), Attempts: 2));
        region.ExpectMsg<BuildKernelRows>();
        region.LastSender.Tell(new BlockFailed("job-1", 0, "ArgumentException: draws have 3 columns, expected 4"));
        var error = await Assert.ThrowsAsync<JobFailedException>(() => round);
        Assert.Contains("draws have 3 columns", error.Message);
    }

    [Fact]
    public async Task Requests_from_a_sequence_are_made_only_as_the_window_frees_and_the_sequence_is_closed_at_the_end()
    {
        int made = 0;
        bool closed = false;
        IEnumerable<IBlockCommand> Requests() // as a streamed file produces them: one block read per request
        {
            try
            {
                for (int b = 0; b < 4; b++) { made++; yield return Request(b); }
            }
            finally { closed = true; }
        }

        var region = CreateTestProbe();
        var round = BlockRound.RunAsync<KernelRowsComputed, int>(region, Requests(), 0, (acc, _) => acc + 1,
            new RoundOptions(Window: 2, BlockTimeout: TimeSpan.FromSeconds(10), Attempts: 1));
        region.ExpectMsg<BuildKernelRows>();
        var firstSender = region.LastSender;
        region.ExpectMsg<BuildKernelRows>();
        var secondSender = region.LastSender;
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, made); // only the window's blocks exist

        firstSender.Tell(Reply(0, 0));
        Assert.Equal(2, region.ExpectMsg<BuildKernelRows>().BlockIndex);
        Assert.Equal(3, made);
        var thirdSender = region.LastSender;
        secondSender.Tell(Reply(1, 0));
        Assert.Equal(3, region.ExpectMsg<BuildKernelRows>().BlockIndex);
        region.LastSender.Tell(Reply(3, 0));
        thirdSender.Tell(new BlockFailed("job-1", 2, "IOException: disk gone"));
        await Assert.ThrowsAsync<JobFailedException>(() => round);
        Assert.True(closed, "a failed round closes its sequence (a streamed file)");
    }
}

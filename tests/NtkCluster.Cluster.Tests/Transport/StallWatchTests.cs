using Akka.TestKit.Xunit2;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A remote round whose block stalls, with a TestProbe in place of the workers: the block is asked again once it has
/// waited the round's stall threshold, the wait is reported, and of two answers the first is folded, once, in block order.
/// </summary>
public sealed class StallWatchTests : TestKit
{
    [Fact]
    public async Task A_stalled_block_is_asked_again_reported_and_only_its_first_answer_is_folded_in_block_order()
    {
        var region = CreateTestProbe();
        var stalled = new StalledRound(region, "job-s");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stalled.StartWithBlock1Stalled();

        // Block 1 unanswered: asked again once it has waited the threshold (here the minimum: block 0 took far less).
        var again = region.ExpectMsg<BuildKernelRows>(TimeSpan.FromSeconds(5));
        Assert.Equal(1, again.BlockIndex);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"asked again after {clock.Elapsed.TotalMilliseconds:0} ms");
        // The notice follows the sending (the round sends, then says so): wait for it rather than race it.
        await AwaitConditionAsync(() => Task.FromResult(stalled.Notices.Any(l =>
            l.StartsWith("block 1 of job job-s has waited", StringComparison.Ordinal) && l.Contains("asked again"))), TimeSpan.FromSeconds(5));

        // Both sendings answer, the speculative one first; the other's answer is dropped.
        await stalled.AnswerBlock1TwiceAndCheckTheFirstIsFoldedOnceAsync();
        Assert.Single(stalled.Notices, l => l.Contains("block 1 of job job-s has waited"));
    }
}

using NtkCluster.Coordinator.Gateway;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Execution;
using Xunit;

namespace NtkCluster.Cluster.Tests.Progress;

/// <summary>What a coordinator sends on to a --cluster client of a job that reports every step.</summary>
public sealed class ProgressThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static ProgressUpdate Step(long done, long total = 2000) => ProgressUpdate.Count("step", done, total, "steps", $"loss {done}");

    [Fact]
    public void Counts_go_at_most_once_per_interval_and_the_stage_start_and_end_always()
    {
        var throttle = new ProgressThrottle(Interval);
        var sent = new List<ProgressUpdate>();
        for (int i = 0; i <= 2000; i++)
        {
            var now = TimeSpan.FromMilliseconds(i);
            sent.AddRange(throttle.Offer(Step(i), now));
            if (throttle.TakePending(now) is { } held) sent.Add(held);
        }
        Assert.Equal(0, sent[0].Done);
        Assert.Equal(2000, sent[^1].Done);
        Assert.InRange(sent.Count, 20, 22); // 2 s at 100 ms, plus the start and the end
        Assert.Equal(sent.Select(u => u.Done).Order(), sent.Select(u => u.Done)); // in order, none twice
        Assert.Equal(sent.Count, sent.Select(u => u.Done).Distinct().Count());
        Assert.Null(throttle.Pending);
    }

    [Fact]
    public void A_held_count_goes_before_a_note_or_a_new_stage_and_notes_are_never_held()
    {
        var throttle = new ProgressThrottle(Interval);
        var zero = TimeSpan.Zero;
        Assert.Equal([Step(0)], throttle.Offer(Step(0), zero));
        Assert.Empty(throttle.Offer(Step(1), TimeSpan.FromMilliseconds(10)));
        Assert.Empty(throttle.Offer(Step(2), TimeSpan.FromMilliseconds(20)));
        Assert.Equal(Step(2), throttle.Pending);
        Assert.Null(throttle.TakePending(TimeSpan.FromMilliseconds(50))); // the interval has not passed
        var warning = ProgressUpdate.Warning("restoring neuron block 1 from the checkpoint at step 0 to step 3");
        Assert.Equal([Step(2), warning], throttle.Offer(warning, TimeSpan.FromMilliseconds(30)));
        Assert.Empty(throttle.Offer(Step(3), TimeSpan.FromMilliseconds(40)));
        var gram = ProgressUpdate.Count("Gram blocks", 0, 4, "blocks");
        Assert.Equal([Step(3), gram], throttle.Offer(gram, TimeSpan.FromMilliseconds(45)));
        Assert.Null(throttle.Pending);
    }
}

using System.Diagnostics;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// Watches a remote round for a block that stalls: unanswered for <see cref="RoundOptions.StallFactor"/> times the
/// round's median block time and at least <see cref="RoundOptions.MinimumStall"/>. Such a block is asked again at
/// once, on another worker node (<see cref="RoundReceiver.AskElsewhere"/>) — speculatively, as MapReduce's backup tasks: blocks are idempotent, the first answer wins and a later one is
/// dropped, and the round still folds each block once, in block order — and the round says, as a warning the client
/// shows, that it waits. One line per stalled block, not per check.
/// </summary>
internal sealed class StallWatch
{
    private readonly RoundOptions _options;
    private readonly List<double> _seconds = new();
    private readonly Dictionary<Task, long> _started = new();
    private readonly object _lock = new();

    public StallWatch(RoundOptions options) => _options = options;

    /// <summary>Starts timing a block's ask; its time joins the round's when it is answered.</summary>
    public void Started(Task ask)
    {
        long start = Stopwatch.GetTimestamp();
        lock (_lock) _started[ask] = start;
        ask.ContinueWith(t =>
        {
            lock (_lock)
            {
                _started.Remove(t);
                if (t.IsCompletedSuccessfully) _seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>The stall threshold and the round's median block time; null while no block of the round has been
    /// answered (no typical time yet).</summary>
    public (TimeSpan Threshold, double MedianSeconds)? Threshold()
    {
        double median;
        lock (_lock)
        {
            if (_seconds.Count == 0) return null;
            var sorted = _seconds.Order().ToArray();
            median = sorted[sorted.Length / 2];
        }
        return (TimeSpan.FromSeconds(Math.Max(_options.MinimumStall.TotalSeconds, _options.StallFactor * median)), median);
    }

    /// <summary>
    /// Waits until <paramref name="ask"/> is answered or has stalled; a stalled block is asked again (once) and the
    /// wait reported. Returns without an answer too: the caller awaits the ask itself, with its own timeouts.
    /// </summary>
    public async Task WaitAsync(Task ask, IBlockCommand command, RemoteRound remote, CancellationToken cancel)
    {
        while (!ask.IsCompleted)
        {
            long start;
            lock (_lock)
                if (!_started.TryGetValue(ask, out start)) return;
            // Before any answer there is no typical time: look again in a while.
            var threshold = Threshold();
            var left = (threshold?.Threshold ?? _options.MinimumStall) - Stopwatch.GetElapsedTime(start);
            if (threshold is null || left > TimeSpan.Zero)
            {
                await Task.WhenAny(ask, Task.Delay(left > TimeSpan.Zero ? left : _options.MinimumStall, cancel)).ConfigureAwait(false);
                if (cancel.IsCancellationRequested) return;
                continue;
            }
            double waited = Stopwatch.GetElapsedTime(start).TotalSeconds, median = threshold.Value.MedianSeconds;
            // The block's own entity lives on the node that stalls: the copy goes to a backup entity on another node.
            remote.AskElsewhere(command, $"block {command.BlockIndex} of job {command.JobId} has waited {waited:0.#} s, " +
                                         $"{waited / Math.Max(median, 1e-3):0.#}× the round's median block time ({median:0.##} s)");
            return;
        }
    }
}

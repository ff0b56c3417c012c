using NtkCluster.Numerics.Execution;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// Which of a job's progress updates a coordinator sends on to its <c>--cluster</c> client: a training run reports
/// every step, hundreds a second, and the client shows at most about ten. Notes, warnings, the first update of a
/// stage and a stage's completion always go; further counts of a stage go at most once per interval, and the latest
/// one held back is sent when the interval ends (<see cref="TakePending"/>) or before the next stage or note, so the
/// client always ends up with the last state of every stage.
/// </summary>
public sealed class ProgressThrottle(TimeSpan interval)
{
    private ProgressUpdate? _lastCount;
    private TimeSpan _lastCountAt;

    /// <summary>The latest count held back, if any.</summary>
    public ProgressUpdate? Pending { get; private set; }

    /// <summary>The updates to send now, in order (possibly none), given a new update at monotonic time <paramref name="now"/>.</summary>
    public IReadOnlyList<ProgressUpdate> Offer(ProgressUpdate update, TimeSpan now)
    {
        bool count = update.Kind == ProgressKind.Count;
        bool newStage = count && StartsStage(update);
        if (count && !newStage && !update.IsComplete && now - _lastCountAt < interval)
        {
            Pending = update;
            return [];
        }
        var send = new List<ProgressUpdate>(2);
        // The previous stage's last state goes before what follows it; a later count of the same stage supersedes it.
        if (Pending is not null && (!count || newStage)) send.Add(Pending);
        Pending = null;
        send.Add(update);
        if (count) (_lastCount, _lastCountAt) = (update, now);
        return send;
    }

    /// <summary>The count held back, once the interval since the last one sent has passed; null otherwise.</summary>
    public ProgressUpdate? TakePending(TimeSpan now)
    {
        if (Pending is null || now - _lastCountAt < interval) return null;
        var update = Pending;
        Pending = null;
        (_lastCount, _lastCountAt) = (update, now);
        return update;
    }

    private bool StartsStage(ProgressUpdate u) =>
        _lastCount is null || _lastCount.Stage != u.Stage || _lastCount.Total != u.Total || u.Done < _lastCount.Done;
}

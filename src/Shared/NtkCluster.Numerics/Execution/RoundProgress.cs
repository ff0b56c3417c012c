namespace NtkCluster.Numerics.Execution;

/// <summary>How every round reports its blocks, in process or on a cluster.</summary>
public static class RoundProgress
{
    /// <summary>
    /// A round's progress: reports 0/total now (the round starts, and its rate is measured from here), then every
    /// block folded. Every block is reported; the renderer, not the job, decides how often to show them.
    /// </summary>
    public static Action<int> Counter(Action<ProgressUpdate> progress, string stage, int? total)
    {
        progress(ProgressUpdate.Count(stage, 0, total, "blocks"));
        return done => progress(ProgressUpdate.Count(stage, done + 1, total, "blocks"));
    }
}

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// How a round of block requests is run: how many blocks may be in flight at once (which also bounds how many
/// early answers the coordinator holds while it waits for the next block in order), how long one block may take,
/// and how many times an unanswered block is asked again (blocks are idempotent, so a retry is always safe).
/// </summary>
public sealed record RoundOptions(int Window, TimeSpan BlockTimeout, int Attempts)
{
    public static RoundOptions ForWorkers(int workers, TimeSpan? blockTimeout = null) =>
        new(Math.Max(1, workers), blockTimeout ?? TimeSpan.FromMinutes(5), 2);
}

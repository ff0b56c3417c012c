namespace NtkCluster.Protocol.Client;

/// <summary>
/// Runs a job — one of the <c>Submit*</c> records — and returns its outcome: in this process on a
/// <see cref="LocalCluster"/>, or on a running multi-node cluster through its coordinator (<see cref="RemoteCluster"/>).
/// Commands are written against this, so what they do with an outcome (files, tables, JSON) is the same code in both
/// modes. Progress lines go to the sink the runner was started with.
/// </summary>
public interface IJobRunner : IAsyncDisposable
{
    /// <summary>Submits a job and waits for its outcome.</summary>
    /// <exception cref="NtkCluster.Protocol.Jobs.JobFailedException">The job failed (exit code 1).</exception>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">The job failed because of its input (exit code 2).</exception>
    Task<T> RunAsync<T>(object submission);

    /// <summary>Blocks in flight per round of the last job (what <c>--json</c> reports as <c>workers</c>).</summary>
    int Window { get; }
}

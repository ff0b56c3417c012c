using NtkCluster.Numerics.Execution;

namespace NtkCluster;

/// <summary>How the library's estimators run a job in this process.</summary>
internal static class InProcess
{
    /// <summary>
    /// A synchronous call of an async job. The job starts on the thread pool, so none of its continuations is posted to
    /// the caller's synchronization context (a UI thread blocked here would otherwise deadlock).
    /// </summary>
    public static T Run<T>(Func<CancellationToken, Task<T>> job) => Task.Run(() => job(CancellationToken.None)).GetAwaiter().GetResult();
}

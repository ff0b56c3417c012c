namespace NtkCluster.Protocol.Jobs;

/// <summary>A job that cannot finish: a block failed on its worker, or no worker answered in time. Exit code 1.</summary>
public sealed class JobFailedException : Exception
{
    public JobFailedException(string message) : base(message) { }
}

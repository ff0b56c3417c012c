using Akka.Actor;

namespace NtkCluster.Protocol.Hosting;

/// <summary>Waiting for a node to become Up: the one helper the coordinator, the worker and local mode share.</summary>
public static class ClusterUp
{
    /// <summary>Completes when this node's cluster member is Up (never, if it is not: callers add their own timeout).</summary>
    public static Task WhenUp(this ActorSystem system)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task;
    }

    /// <summary>Waits until this node is Up; false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitUntilUpAsync(this ActorSystem system, TimeSpan timeout)
    {
        var up = system.WhenUp();
        return await Task.WhenAny(up, Task.Delay(timeout)) == up;
    }
}

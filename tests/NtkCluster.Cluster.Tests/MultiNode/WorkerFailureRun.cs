using System.Diagnostics;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// The set-up the worker-failure tests on a process cluster share (<see cref="ClusterFailureTests"/>,
/// <see cref="StalledWorkerTests"/>, <see cref="StalledPartitionWorkerTests"/>): a job started with the live progress
/// bar — its redrawn lines say how far the job is, so a test knows when to kill or stop a worker —, a worker stopped
/// (SIGSTOP) for a while and always woken again, and the same job in local mode, whose outputs the cluster's must equal.
/// </summary>
internal static class WorkerFailureRun
{
    /// <summary>Starts <c>ntk <paramref name="args"/> --cluster …</c> on the cluster, its progress drawn as a bar.</summary>
    public static NodeProcess StartWithProgressBar(string directory, ClusterProcesses cluster, params string[] args) =>
        NodeProcess.Ntk(directory, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, [.. args, "--cluster", cluster.Address]);

    /// <summary>
    /// Stops <paramref name="worker"/> (SIGSTOP), runs <paramref name="meanwhile"/> with a clock started at the stop,
    /// and wakes the worker (SIGCONT) once that is done — however it ended — and the worker has been stopped for at
    /// least <paramref name="atLeast"/>.
    /// </summary>
    public static async Task<T> WhilePausedAsync<T>(NodeProcess worker, TimeSpan atLeast, Func<Stopwatch, Task<T>> meanwhile)
    {
        var clock = Stopwatch.StartNew();
        worker.Pause();
        try
        {
            return await meanwhile(clock);
        }
        finally
        {
            var left = atLeast - clock.Elapsed;
            if (left > TimeSpan.Zero) await Task.Delay(left);
            worker.Resume();
        }
    }

    /// <summary>
    /// Runs the job in local mode (<paramref name="localArgs"/>, its outputs named <c>local.EXT</c>) and checks that
    /// each of the cluster job's outputs <c>cluster.EXT</c> is the same to the byte, and, with
    /// <paramref name="sameJson"/>, that both printed the same JSON summary.
    /// </summary>
    public static async Task AssertLocalModeMatchesAsync(string directory, string[] localArgs, NodeProcess job, bool sameJson,
        params string[] extensions)
    {
        var local = await NtkProcess.RunAsync(directory, null, localArgs);
        Assert.True(local.ExitCode == 0, local.ToString());
        foreach (string ext in extensions)
            ClusterAssert.SameFile(Path.Combine(directory, $"local.{ext}"), Path.Combine(directory, $"cluster.{ext}"));
        if (sameJson) ClusterAssert.SameJson(local.Stdout, job.Stdout);
    }
}

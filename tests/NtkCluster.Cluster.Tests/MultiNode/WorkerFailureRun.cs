using System.Diagnostics;
using System.Text.RegularExpressions;
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
    /// <summary>
    /// The client's warning that blocks of a stopped worker were asked again elsewhere. Two detectors race and either
    /// may speak first: the failure detector ("worker node … is unreachable; block(s) … asked again at once", about
    /// 3–5 s after the stop) and the straggler check ("block … has waited …; asked again on worker node …", a block
    /// unanswered 5 s and well past the round's median, counted from when the block was sent, so possibly before the
    /// stop). Once one has sent a backup, the other has nothing left to ask again.
    /// </summary>
    public static readonly Regex AskedElsewhere = new(
        @"warning: (worker node \S+ is unreachable; block\(s\) [\d, ]+ of job \S+ asked again at once on worker node\(s\) " +
        @"|block \d+ of job \S+ has waited [\d.]+ s, [^\n]*?; (asked again on|it is asked of) worker node )");

    /// <summary>The worker that used the more CPU over half a second: the one computing a block of the round now.</summary>
    public static async Task<NodeProcess> BusiestAsync(ClusterProcesses cluster)
    {
        var before = cluster.Workers.Select(w => CpuTicks(w.Pid)).ToArray();
        await Task.Delay(500);
        return cluster.Workers.Select((w, i) => (Worker: w, Ticks: CpuTicks(w.Pid) - before[i])).MaxBy(w => w.Ticks).Worker;
    }

    /// <summary>CPU ticks (user + system) the process has used so far.</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of the line)
    }

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

using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A worker stopped (SIGSTOP, until the job has ended) in the middle of a partitioned fit's Gram round, with real processes and production
/// failure detection: as soon as it is unreachable, the partitions it was computing are asked of backup partition
/// entities on the other worker — without waiting for it to be downed or for its shards to be re-homed — the fit ends
/// long before <c>--block-timeout</c>, and its model is bitwise local mode's.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class StalledPartitionWorkerTests(ITestOutputHelper output) : IDisposable
{
    private const int Parts = 6;

    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// 2400 features: a Gram partition of 3000 rows takes a second or two, so the round is still running when the
    /// test, having seen a partition done, has found the busier worker (half a second) and stopped it. With 1200 the
    /// whole round took 1.4 s on a quiet machine and could end first: the stopped worker then held nothing.
    /// </summary>
    private static string[] Fit(string name) =>
    [
        "fit", "--train", "parts", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "2400", "--standardize", "--workers", "2",
        "--block-timeout", "300", "--model", $"{name}.json", "--json",
    ];

    [Fact]
    public async Task A_worker_stopped_mid_round_has_its_partitions_asked_again_elsewhere_at_once_and_the_fit_is_local_modes()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "parts"));
        for (int i = 0; i < Parts; i++) _dir.Write($"parts/part-{i:D5}.csv", TestData.Csv(3000, seed: 60 + i));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var job = WorkerFailureRun.StartWithProgressBar(_dir.Path, cluster, Fit("cluster"));
        await job.WaitForOutputAsync(o => Regex.IsMatch(o, @"Gram partitions \[[#-]+\] [12]/6"), "a Gram partition done", TimeSpan.FromSeconds(180));

        // Stop the worker that is computing now (the busier one over half a second): it holds a partition of the round.
        var busy = await WorkerFailureRun.BusiestAsync(cluster);
        // Stopped until the job has ended: no partition may wait for it.
        var (backedUp, ended, code) = await WorkerFailureRun.WhilePausedAsync(busy, TimeSpan.Zero, async clock =>
        {
            await job.WaitForOutputAsync(o => WorkerFailureRun.AskedElsewhere.IsMatch(o), "blocks asked again elsewhere", TimeSpan.FromSeconds(30));
            double askedAgain = clock.Elapsed.TotalSeconds;
            int exit = await job.WaitForExitAsync(TimeSpan.FromSeconds(120));
            return (askedAgain, clock.Elapsed.TotalSeconds, exit);
        });
        output.WriteLine($"partitions asked again {backedUp:0.0} s after SIGSTOP; the job ended {ended:0.0} s after it, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"{job.Output}\n{cluster.Describe()}");
        Assert.Matches(WorkerFailureRun.AskedElsewhere, job.Output);
        // Failure detection (3–5 s on loopback) and the backups' block time, not the block timeout.
        Assert.True(ended < 60, $"the job ended {ended:0.0} s after SIGSTOP");

        await WorkerFailureRun.AssertLocalModeMatchesAsync(_dir.Path, Fit("local"), job, sameJson: true, "json");
    }
}

using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A worker stopped (SIGSTOP, until the job has ended) in the middle of a leverage fit's candidate scoring, with real processes and
/// production failure detection: as soon as it is unreachable, the candidate blocks it was scoring are asked of backup
/// entities on the other worker, which score them (a backup that lacks the scorer is sent it, see
/// <c>LostHomeBackupTests</c>); the fit ends long before <c>--block-timeout</c> and its model is bitwise local mode's.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class StalledScoringWorkerTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Exact scores against 2000 rows: 50 candidate blocks of 256, each a fraction of a second to a second.</summary>
    private static string[] Fit(string data, string name) =>
    [
        "fit", "--train", data, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "100", "--sampling", "leverage",
        "--leverage", "exact", "--pool", "12800", "--seed", "5", "--standardize", "--workers", "2", "--block-timeout", "300",
        "--model", $"{name}.json", "--json",
    ];

    [Fact]
    public async Task A_worker_stopped_mid_scoring_has_its_candidate_blocks_scored_elsewhere_at_once_and_the_fit_is_local_modes()
    {
        string data = _dir.Write("data.csv", TestData.Csv(2000, seed: 35));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var job = NodeProcess.Ntk(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" },
            [.. Fit(data, "cluster"), "--cluster", cluster.Address]);
        await job.WaitForOutputAsync(o => Regex.IsMatch(o, @"candidate blocks \[[#-]+\] ([2-9]|1\d)/50"), "a few candidate blocks done",
            TimeSpan.FromSeconds(180));

        // Stop the worker that is computing now (the busier one over half a second): it holds a candidate block.
        var busy = await WorkerFailureRun.BusiestAsync(cluster);
        // Stopped until the job has ended: no block may wait for it.
        var (backedUp, ended, code) = await WorkerFailureRun.WhilePausedAsync(busy, TimeSpan.Zero, async clock =>
        {
            await job.WaitForOutputAsync(o => WorkerFailureRun.AskedElsewhere.IsMatch(o), "blocks asked again elsewhere", TimeSpan.FromSeconds(30));
            double askedAgain = clock.Elapsed.TotalSeconds;
            int exit = await job.WaitForExitAsync(TimeSpan.FromSeconds(150));
            return (askedAgain, clock.Elapsed.TotalSeconds, exit);
        });
        output.WriteLine($"candidate blocks asked again {backedUp:0.0} s after SIGSTOP; the job ended {ended:0.0} s after it, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"{job.Output}\n{cluster.Describe()}");
        Assert.Matches(WorkerFailureRun.AskedElsewhere, job.Output);
        // Failure detection (3–5 s on loopback) and the rest of the scoring on one worker, not the block timeout.
        Assert.True(ended < 120, $"the job ended {ended:0.0} s after SIGSTOP");

        var local = await NtkProcess.RunAsync(_dir.Path, null, Fit(data, "local"));
        Assert.True(local.ExitCode == 0, local.ToString());
        ClusterAssert.SameFile(Path.Combine(_dir.Path, "local.json"), Path.Combine(_dir.Path, "cluster.json"));
        ClusterAssert.SameJson(local.Stdout, job.Stdout);
    }
}

using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A worker that stops answering without dying (SIGSTOP: a hung VM, a long pause) in the middle of a job, with real
/// processes and production failure detection: the client says the worker is unreachable, its neuron block is restored
/// elsewhere instead of waiting for <c>--block-timeout</c> (on a backup: <see cref="NeuronBlockBackupTests"/>), the
/// result is local mode's, and the worker, stopped long enough to be downed, finds itself downed when woken and rejoins
/// as a new node.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class StalledWorkerTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The client's warning that a round waited on the stopped worker. Two detectors race: the failure detector's
    /// "is unreachable" (about 5 s) and the straggler check (a block waiting 5 s and far beyond the round's median),
    /// which restores the neuron block on a backup at once; whichever fires first, the other may never need to,
    /// because the rounds no longer wait on the stopped node and the job can end before the failure detector speaks.
    /// </summary>
    private static readonly Regex Waited = new(@"warning: (worker node \S+ is unreachable|block \d+ of job \S+ has waited [\d.]+ s)");

    private static string[] Training(string data, string name) =>
    [
        "train-nn", "--train", data, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target", "--width", "2048",
        "--lambda", "0.01", "--steps", "3000", "--checkpoint-every", "50", "--workers", "2", "--out", $"{name}.csv", "--model", $"{name}.json", "--json",
    ];

    [Fact]
    public async Task A_stopped_worker_is_downed_and_its_blocks_restored_elsewhere_long_before_the_block_timeout()
    {
        string data = _dir.Write("data.csv", TestData.Csv(300, seed: 25));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var job = WorkerFailureRun.StartWithProgressBar(_dir.Path, cluster, [.. Training(data, "cluster"), "--block-timeout", "300"]);
        // 3000 steps: with the steps as matrix products a quiet machine runs ~250 steps/s, and 400 steps could end
        // between the progress line the test reads and the SIGSTOP.
        await job.WaitForOutputAsync(o => Regex.Matches(o, @"step \[[#-]+\] (\d+)/3000").Any(m => int.Parse(m.Groups[1].Value) >= 40),
            "a step past 40/3000", TimeSpan.FromSeconds(120));
        var victim = cluster.Workers[0];
        // Stopped 25 s, long enough for the split-brain resolver to down it (stable-after 7 s after the ~5 s
        // detection): its neuron block no longer keeps the round waiting, so the round need not down it itself.
        var clock = await WorkerFailureRun.WhilePausedAsync(victim, TimeSpan.FromSeconds(25), async sinceStop =>
        {
            await job.WaitForOutputAsync(o => Waited.IsMatch(o), "a warning that the round waited", TimeSpan.FromSeconds(60));
            output.WriteLine($"warned {sinceStop.Elapsed.TotalSeconds:0.0} s after SIGSTOP");
            return sinceStop;
        });
        int code = await job.WaitForExitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"the job ended {clock.Elapsed.TotalSeconds:0.0} s after SIGSTOP, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"{job.Output}\n{cluster.Describe()}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"{clock.Elapsed}");
        // The client said the round waited, while it waited.
        Assert.Matches(Waited, job.Output);

        // Woken, the worker finds itself downed and joins its seeds again with a new node.
        await victim.WaitForOutputAsync(o => Regex.Matches(o, " is Up").Count >= 2, "Up a second time", TimeSpan.FromSeconds(90));
        Assert.False(victim.HasExited);

        await WorkerFailureRun.AssertLocalModeMatchesAsync(_dir.Path, Training(data, "local"), job, sameJson: false, "csv", "json");
    }
}

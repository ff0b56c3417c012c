using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A worker that stops answering without dying (SIGSTOP: a hung VM, a long pause) in the middle of a job, with real
/// processes and production failure detection: the client says the round waits, the round downs the worker and asks
/// its blocks again instead of waiting for <c>--block-timeout</c>, the result is local mode's, and the worker, woken,
/// finds itself downed and rejoins as a new node.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class StalledWorkerTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string[] Training(string data, string name) =>
    [
        "train-nn", "--train", data, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target", "--width", "2048",
        "--lambda", "0.01", "--steps", "3000", "--checkpoint-every", "50", "--workers", "2", "--out", $"{name}.csv", "--model", $"{name}.json", "--json",
    ];

    [Fact]
    public async Task A_stopped_worker_is_downed_and_its_blocks_asked_again_long_before_the_block_timeout()
    {
        string data = _dir.Write("data.csv", TestData.Csv(300, seed: 25));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var job = WorkerFailureRun.StartWithProgressBar(_dir.Path, cluster, [.. Training(data, "cluster"), "--block-timeout", "300"]);
        // 3000 steps: with the steps as matrix products a quiet machine runs ~250 steps/s, and 400 steps could end
        // between the progress line the test reads and the SIGSTOP.
        await job.WaitForOutputAsync(o => Regex.Matches(o, @"step \[[#-]+\] (\d+)/3000").Any(m => int.Parse(m.Groups[1].Value) >= 40),
            "a step past 40/3000", TimeSpan.FromSeconds(120));
        var victim = cluster.Workers[0];
        var clock = await WorkerFailureRun.WhilePausedAsync(victim, TimeSpan.Zero, async sinceStop =>
        {
            // Long enough for the failure detector (3 s pause), the round's 2 s, and the re-homing of its shards.
            await job.WaitForOutputAsync("asking", TimeSpan.FromSeconds(60));
            output.WriteLine($"blocks asked again {sinceStop.Elapsed.TotalSeconds:0.0} s after SIGSTOP");
            return sinceStop;
        });
        int code = await job.WaitForExitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"the job ended {clock.Elapsed.TotalSeconds:0.0} s after SIGSTOP, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"{job.Output}\n{cluster.Describe()}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"{clock.Elapsed}");
        // The client said the round waited, while it waited.
        Assert.Matches(@"warning: worker node \S+ is unreachable", job.Output);

        // Woken, the worker finds itself downed and joins its seeds again with a new node.
        await victim.WaitForOutputAsync(o => Regex.Matches(o, " is Up").Count >= 2, "Up a second time", TimeSpan.FromSeconds(90));
        Assert.False(victim.HasExited);

        await WorkerFailureRun.AssertLocalModeMatchesAsync(_dir.Path, Training(data, "local"), job, sameJson: false, "csv", "json");
    }
}

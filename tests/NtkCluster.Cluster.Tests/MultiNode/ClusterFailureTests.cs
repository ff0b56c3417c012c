using System.Diagnostics;
using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Nodes that die while a job runs, each test on a cluster of its own: a worker killed midway (the job must still
/// finish, with local mode's result: the lost neuron block is restored from the coordinator's checkpoint and its
/// blocks asked again), and the coordinator killed midway (the client must say so at once, and the workers wait for the next one).
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ClusterFailureTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A network of 2 neuron blocks (one per worker, most likely) trained for long enough to kill a worker midway.</summary>
    private string[] LongTraining(string data, string name) =>
    [
        "train-nn", "--train", data, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target", "--width", "2048",
        "--lambda", "0.01", "--steps", "1200", "--checkpoint-every", "100", "--workers", "2", "--block-timeout", "20",
        "--out", $"{name}.csv", "--model", $"{name}.json", "--json",
    ];

    [Fact]
    public async Task A_job_finishes_with_local_modes_result_when_a_worker_is_killed_midway()
    {
        string data = _dir.Write("data.csv", TestData.Csv(300, seed: 5));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        // The live bar (redrawn every 100 ms; each \r ends a line of the captured output) says when the job is past step 120.
        using var job = WorkerFailureRun.StartWithProgressBar(_dir.Path, cluster, LongTraining(data, "cluster"));
        await job.WaitForOutputAsync(o => Regex.Matches(o, @"step \[[#-]+\] (\d+)/1200").Any(m => int.Parse(m.Groups[1].Value) >= 120),
            "a step past 120/1200", TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        cluster.Workers[0].Kill();
        output.WriteLine($"killed {cluster.Workers[0].Name} (pid {cluster.Workers[0].Pid}) past 'step 120/1200'");

        int code = await job.WaitForExitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine($"the job ended {clock.Elapsed.TotalSeconds:0.0} s after the kill, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"the job failed after a worker was killed\n{job.Output}\n{cluster.Describe()}");

        await WorkerFailureRun.AssertLocalModeMatchesAsync(_dir.Path, LongTraining(data, "local"), job, sameJson: true, "csv", "json");
    }

    [Fact]
    public async Task A_coordinator_that_dies_fails_the_running_job_at_once_and_the_workers_wait_for_the_next()
    {
        string data = _dir.Write("data.csv", TestData.Csv(300, seed: 6));
        await using var cluster = await ClusterProcesses.StartAsync(1);
        using var job = NodeProcess.Ntk(_dir.Path, null, [.. LongTraining(data, "lost"), "--cluster", cluster.Address, "--verbose"]);
        await job.WaitForOutputAsync("step 0/1200", TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();
        cluster.Coordinator.Kill();

        Assert.Equal(1, await job.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine($"the client failed {clock.Elapsed.TotalSeconds:0.0} s after the coordinator was killed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{clock.Elapsed}");
        Assert.EndsWith($"ntk train-nn: error: the coordinator at {cluster.Address} went away; the job was lost", job.Output.TrimEnd());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "lost.json")));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "lost.csv")));

        // Keep-oldest: a worker that lost the coordinator downs itself; the process lives on and joins the seeds
        // again with a new node, waiting for the next coordinator.
        await cluster.Workers[0].WaitForOutputAsync("(a new node) joining", TimeSpan.FromSeconds(60));
        output.WriteLine(cluster.Workers[0].Output);
        // Which comes first depends on timing: this side downed by keep-oldest, or the coordinator seen removed.
        Assert.Matches("the cluster removed this node .*; rejoining|left the cluster; leaving it too, to rejoin", cluster.Workers[0].Output);
        Assert.False(cluster.Workers[0].HasExited);
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// A train-nn whose worker stops (SIGSTOP) in the middle, with real processes and production failure detection: the
/// neuron block it held is restored from the checkpoint on a backup entity on the other worker as soon as the node is
/// unreachable — before any downing or re-homing — and stays there; the worker, woken before it is downed, comes back
/// with the block's stale weights, which are never asked again. The model is bitwise local mode's.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class NeuronBlockBackupTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>2 neuron blocks (one per worker, most likely); 3000 steps, so that the job outlasts the stop.</summary>
    private static string[] Training(string data, string name) =>
    [
        "train-nn", "--train", data, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target", "--width", "2048",
        "--lambda", "0.01", "--steps", "3000", "--checkpoint-every", "50", "--workers", "2", "--out", $"{name}.csv", "--model", $"{name}.json", "--json",
    ];

    private const string Restored = @"restoring neuron block \d+ of job \S+ at once on backup entity \S+~backup\d+ on worker node \S+, from the checkpoint at step \d+";

    [Fact]
    public async Task A_neuron_block_of_a_stopped_worker_is_restored_on_a_backup_before_the_worker_is_downed_and_the_model_is_local_modes()
    {
        string data = _dir.Write("data.csv", TestData.Csv(300, seed: 35));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var job = NodeProcess.Ntk(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" },
            [.. Training(data, "cluster"), "--cluster", cluster.Address, "--block-timeout", "300"]);
        await job.WaitForOutputAsync(o => Regex.Matches(o, @"step \[[#-]+\] (\d+)/3000").Any(m => int.Parse(m.Groups[1].Value) >= 40),
            "a step past 40/3000", TimeSpan.FromSeconds(120));
        var victim = cluster.Workers[0]; // the oldest: it also hosts the shard coordinators, which a backup must not need
        var clock = Stopwatch.StartNew();
        victim.Pause();
        TimeSpan restoredAfter;
        try
        {
            await job.WaitForOutputAsync(o => Regex.IsMatch(o, Restored), "a neuron block restored on a backup", TimeSpan.FromSeconds(60));
            restoredAfter = clock.Elapsed;
            output.WriteLine($"neuron block restored on a backup {restoredAfter.TotalSeconds:0.0} s after SIGSTOP");
        }
        finally
        {
            // At once: the node becomes reachable again before the split-brain resolver downs it, with the block's
            // entity and its stale weights still there.
            victim.Resume();
        }
        int code = await job.WaitForExitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"the job ended {clock.Elapsed.TotalSeconds:0.0} s after SIGSTOP, exit {code}\n{job.Output}");
        Assert.True(code == 0, $"{job.Output}\n{cluster.Describe()}");

        // The failure detector needs ~5 s (heartbeats every 1 s, acceptable pause 3 s); the old path, through downing
        // and re-homing, took 8–10 s on a quiet machine.
        Assert.True(restoredAfter < TimeSpan.FromSeconds(20), $"{restoredAfter}");
        int restored = Regex.Match(job.Output, Restored).Index;
        foreach (string later in new[] { "downing it", "left the cluster" })
        {
            int at = job.Output.IndexOf(later, StringComparison.Ordinal);
            Assert.True(at < 0 || at > restored, $"'{later}' came before the restore on a backup:\n{job.Output}");
        }
        // Restored once, on the backup, not again from its shard's new home.
        Assert.DoesNotMatch(@"restoring neuron block \d+ from the checkpoint", job.Output);

        var local = await NtkProcess.RunAsync(_dir.Path, null, Training(data, "local"));
        Assert.True(local.ExitCode == 0, local.ToString());
        ClusterAssert.SameFile(Path.Combine(_dir.Path, "local.csv"), Path.Combine(_dir.Path, "cluster.csv"));
        ClusterAssert.SameFile(Path.Combine(_dir.Path, "local.json"), Path.Combine(_dir.Path, "cluster.json"));
        ClusterAssert.SameJson(local.Stdout, job.Stdout);
    }
}

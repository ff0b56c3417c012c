using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Workers outlive their coordinator: a coordinator restarted the way a service manager does it (SIGTERM, then a new
/// process on the same port) finds its workers back, and jobs run again, with real processes on loopback.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class CoordinatorRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Workers_rejoin_a_restarted_coordinator_and_its_next_job_has_local_modes_result()
    {
        string data = _dir.Write("data.csv", TestData.Csv(200, seed: 15));
        await using var cluster = await ClusterProcesses.StartAsync(2);
        var restarted = await cluster.RestartCoordinatorAsync();
        await cluster.WaitForWorkersAsync(2, TimeSpan.FromSeconds(90));

        string[] fit = ["fit", "--train", data, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "32",
            "--standardize", "--workers", "2", "--json"];
        var remote = await NtkProcess.RunAsync(_dir.Path, null, [.. fit, "--model", "cluster.json", "--cluster", cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + cluster.Describe());
        var local = await NtkProcess.RunAsync(_dir.Path, null, [.. fit, "--model", "local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        ClusterAssert.SameFile(Path.Combine(_dir.Path, "local.json"), Path.Combine(_dir.Path, "cluster.json"));
        Assert.Contains("fit", restarted.Output);

        foreach (var worker in cluster.Workers)
        {
            output.WriteLine($"--- {worker.Name} ---\n{worker.Output}");
            Assert.False(worker.HasExited, $"{worker.Name} exited\n{worker.Output}");
            // One line per change of state: the coordinator left, a new node joins, it is Up; none per join attempt.
            Assert.Single(Regex.Matches(worker.Output, "left the cluster; leaving it too, to rejoin"));
            Assert.Single(Regex.Matches(worker.Output, @"\(a new node\) joining"));
            Assert.Equal(2, Regex.Matches(worker.Output, " is Up").Count);
            Assert.DoesNotContain("Couldn't join seed nodes", worker.Output);
            Assert.DoesNotContain("Tried to associate with unreachable remote address", worker.Output);
        }
    }
}

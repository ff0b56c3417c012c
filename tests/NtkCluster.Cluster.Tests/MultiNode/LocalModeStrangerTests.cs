using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Local mode's one-node cluster listens on loopback, where every local user can reach it; its transport must admit
/// no other process. A real <c>ntk-worker</c> pointed at a running local fit's port must get no work, and the fit
/// must end as it would alone. (A local <c>ntk fit</c> of one file runs in process with no port since issue 18;
/// <c>NTK_LOCAL_CLUSTER=1</c> gives it the one-node cluster every other local command still starts.)
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class LocalModeStrangerTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_worker_pointed_at_a_local_fits_port_never_joins_and_the_fit_has_its_result()
    {
        string data = _dir.Write("data.csv", TestData.Csv(3000, seed: 15));
        string[] fit = ["fit", "--train", data, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "1000",
            "--standardize", "--workers", "2", "--json"];
        var oneNodeCluster = new Dictionary<string, string> { ["NTK_LOCAL_CLUSTER"] = "1" };
        using var job = NodeProcess.Ntk(_dir.Path, oneNodeCluster, [.. fit, "--model", "with-stranger.json"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<int> ports;
        while ((ports = job.ListeningPorts()).Count == 0)
        {
            Assert.False(job.HasExited, $"the fit ended before it listened\n{job.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"the fit did not listen within 60 s\n{job.Output}");
            await Task.Delay(50);
        }
        // The fit stands still while the stranger starts and knocks (its connection waits in the kernel's backlog),
        // so the stranger's attempts meet a fit with all of its work still ahead.
        job.Pause();
        using var stranger = NodeProcess.Worker(NodeProcess.FreePort(), ports[0]);
        try
        {
            await stranger.WaitForOutputAsync("joining", TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            job.Resume();
        }
        int code = await job.WaitForExitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"fit on port {ports[0]}:\n{job.Output}\nstranger:\n{stranger.Output}");
        Assert.True(code == 0, job.Output);
        Assert.DoesNotContain(" is Up", stranger.Output);
        // One line says what happened, instead of the transport's dozen lines of errors per attempt.
        Assert.Contains("ntk: warning: another process tried to connect to this job's local cluster; refused", job.Output);
        Assert.DoesNotContain("[error]", job.Output);

        var alone = await NtkProcess.RunAsync(_dir.Path, oneNodeCluster, [.. fit, "--model", "alone.json"]);
        Assert.True(alone.ExitCode == 0, alone.ToString());
        ClusterAssert.SameFile(Path.Combine(_dir.Path, "alone.json"), Path.Combine(_dir.Path, "with-stranger.json"));
    }
}

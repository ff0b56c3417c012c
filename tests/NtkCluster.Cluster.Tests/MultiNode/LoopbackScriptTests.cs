using System.Diagnostics;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// <c>deploy/loopback.sh</c>, the way a newcomer tries a cluster: <c>start 2</c> brings up a coordinator and two
/// workers, a job submitted to it gives local mode's model, <c>status</c> sees the three processes, and <c>stop</c>
/// leaves none behind. It runs the programs of this test build (<c>NTK_LOOPBACK_BIN</c>) with its PID file and logs in
/// a temporary folder, so it neither builds nor touches a cluster the developer may have running.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class LoopbackScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "deploy", "loopback.sh");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("deploy/loopback.sh not found above the test assembly");
    }

    private static Task<ProcessRun> BashAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("bash");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return NtkProcess.RunToEndAsync(psi, $"loopback.sh {string.Join(' ', args)}", ScriptTimeout);
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Start_2_runs_a_job_like_local_mode_and_stop_leaves_no_process()
    {
        using var dir = new CliTempDirectory();
        string data = dir.Write("data.csv", TestData.Csv(200, seed: 5));
        string script = Script();
        // Three consecutive ports: the coordinator's and the workers' after it.
        int port = NodeProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["NTK_LOOPBACK_NO_BUILD"] = "1",
            ["NTK_LOOPBACK_BIN"] = AppContext.BaseDirectory.TrimEnd('/'),
            ["NTK_LOOPBACK_RUN_DIR"] = Path.Combine(dir.Path, "run"),
            ["NTK_LOOPBACK_PORT"] = port.ToString(),
            ["NTK_LOOPBACK_THREADS"] = "1",
            ["DOTNET"] = NtkProcess.DotnetHost,
        };
        int[] pids = [];
        try
        {
            var clock = Stopwatch.StartNew();
            var start = await BashAsync(script, environment, "start", "2");
            output.WriteLine($"loopback.sh start 2 (no build): {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Contains($"NtkCluster is up: coordinator 127.0.0.1:{port} and 2 worker(s)", start.Stdout);
            pids = File.ReadAllLines(Path.Combine(dir.Path, "run", "pids")).Select(l => int.Parse(l.Split(' ')[0])).ToArray();
            Assert.Equal(3, pids.Length);
            Assert.All(pids, pid => Assert.True(Alive(pid), $"pid {pid} is not running"));

            var status = await BashAsync(script, environment, "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("2 worker node(s) Up", status.Stdout);

            string[] fit = ["fit", "--train", data, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "32",
                "--sampling", "leverage", "--standardize", "--workers", "2", "--json"];
            var remote = await NtkProcess.RunAsync(dir.Path, null, [.. fit, "--model", "cluster.json", "--cluster", $"127.0.0.1:{port}"]);
            Assert.True(remote.ExitCode == 0, remote.ToString());
            var local = await NtkProcess.RunAsync(dir.Path, null, [.. fit, "--model", "local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Path.Combine(dir.Path, "local.json"), Path.Combine(dir.Path, "cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        }
        finally
        {
            var stop = await BashAsync(script, environment, "stop");
            Assert.True(stop.ExitCode == 0, stop.ToString());
            // The script returns once no process of its file is a live node any more; one may still be tearing down
            // (its command line already gone), so it gets a moment to disappear.
            var deadline = Stopwatch.StartNew();
            while (pids.Any(Alive) && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100);
            Assert.All(pids, pid => Assert.False(Alive(pid), $"pid {pid} still runs 10 s after loopback.sh stop"));
        }
    }
}

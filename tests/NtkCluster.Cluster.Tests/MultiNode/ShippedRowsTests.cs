using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// <c>--rows</c> on a cluster of real processes: a dataset only the client can read is shipped by the client into the
/// workers' caches, and the model is bitwise local mode's; a second job on the same data ships nothing; <c>--rows
/// shared</c> refuses it with one line naming the worker.
/// </summary>
/// <remarks>
/// The client names its parts as <c>/proc/self/cwd/parts/…</c>: in the client's process that is its working
/// directory, which holds them; in a worker's process it is the worker's own working directory (the temp directory),
/// which does not — a real difference in what the processes see, as between machines without a shared file system.
/// </remarks>
[Collection(MultiNodeCollection.Name)]
public sealed partial class ShippedRowsTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private ClusterProcesses Cluster => fixture.Cluster;

    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    [GeneratedRegex(@"rows shipped by the client: (\d+) unit\(s\), (\d+) bytes")]
    private static partial Regex ShippedNote();

    private static (int Units, long Bytes) Shipped(ProcessRun run)
    {
        var m = ShippedNote().Match(run.Stderr);
        Assert.True(m.Success, $"no shipping tally in\n{run.Stderr}");
        return (int.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
    }

    [Fact]
    public async Task Rows_the_workers_cannot_read_are_shipped_once_and_the_model_is_bitwise_local_modes()
    {
        string parts = Path.Combine(fixture.Dir.Path, "parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(150 + 70 * i, seed: 40 + i));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "parts")), "the workers' working directory must not hold a 'parts' directory");
        const string source = "/proc/self/cwd/parts";
        string[] common = ["fit", "--train", source, "--test", source + "/part-00001.csv", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "48", "--standardize", "--workers", "2", "--json"];
        try
        {
            var remote = await Ntk([.. common, "--model", "shipped-cluster.json", "--cluster", Cluster.Address]);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            Assert.Matches(@"rows: shipped by the client to the workers' caches, because worker 127\.0\.0\.1:\d+ cannot read /proc/self/cwd/parts/part-0000\d\.csv", remote.Stderr);
            var (units, bytes) = Shipped(remote);
            long partBytes = Directory.GetFiles(parts).Sum(f => new FileInfo(f).Length);
            // Each whole-file partition crosses once per worker that needs it: at least once, at most once per worker.
            Assert.InRange(units, 3, 3 * Cluster.Workers.Count);
            Assert.InRange(bytes, partBytes, partBytes * Cluster.Workers.Count);

            var local = await Ntk([.. common, "--model", "shipped-local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "shipped-local.json"), Path.Combine(fixture.Dir.Path, "shipped-cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);

            // The same data again: every partition is in the workers' caches, nothing is shipped, the model is the same.
            var again = await Ntk([.. common, "--model", "shipped-again.json", "--cluster", Cluster.Address]);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal((0, 0L), Shipped(again));
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "shipped-local.json"), Path.Combine(fixture.Dir.Path, "shipped-again.json"));

            // The same content under the path every process can read, always shipped: the caches are keyed by content.
            string[] readable = ["fit", "--train", parts, "--test", Path.Combine(parts, "part-00001.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
                "--features", "48", "--standardize", "--workers", "2", "--json", "--model", "shipped-forced.json", "--rows", "shipped", "--cluster", Cluster.Address];
            var forced = await Ntk(readable);
            Assert.True(forced.ExitCode == 0, forced.ToString());
            Assert.Contains("rows: shipped by the client to the workers' caches (--rows shipped)", forced.Stderr);
            Assert.Equal((0, 0L), Shipped(forced));
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "shipped-local.json"), Path.Combine(fixture.Dir.Path, "shipped-forced.json"));

            // --rows shared: refused before any work, with one line that names the worker and the path; nothing written.
            var shared = await Ntk([.. common, "--model", "shipped-shared.json", "--rows", "shared", "--cluster", Cluster.Address]);
            Assert.Equal(2, shared.ExitCode);
            var lines = shared.Stderr.Split('\n').Where(l => l.Contains("--rows shared", StringComparison.Ordinal)).ToList();
            Assert.Single(lines);
            Assert.Matches(@"--rows shared: worker 127\.0\.0\.1:\d+ cannot read /proc/self/cwd/parts/part-0000\d\.csv", lines[0]);
            Assert.False(File.Exists(Path.Combine(fixture.Dir.Path, "shipped-shared.json")));

            // The shared path that every worker sees as the client does: auto reads it there.
            var auto = await Ntk([.. readable[..^6], "--model", "shipped-auto.json", "--cluster", Cluster.Address]);
            Assert.True(auto.ExitCode == 0, auto.ToString());
            Assert.Contains("rows: read by the workers from the shared path (all 3 file(s) have the client's size and fingerprint on all 2 worker(s))", auto.Stderr);
        }
        finally
        {
            foreach (var worker in Cluster.Workers)
            {
                string cache = Path.Combine(Path.GetTempPath(), $"ntk-worker-cache-{worker.Port}");
                if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            }
        }
    }
}

/// <summary>A worker killed while a job's rows are shipped: its partitions are shipped again to the survivor.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ShippedRowsFailureTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_worker_killed_mid_round_has_its_partitions_shipped_again_and_the_model_is_bitwise_local_modes()
    {
        string parts = Path.Combine(_dir.Path, "parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 12; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(400, seed: 60 + i));
        const string source = "/proc/self/cwd/parts";
        string[] job = ["fit", "--train", source, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "600", "--standardize",
            "--workers", "2", "--block-timeout", "20", "--json"];
        await using var cluster = await ClusterProcesses.StartAsync(2);
        try
        {
            using var remote = NodeProcess.Ntk(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "lines" },
                [.. job, "--model", "cluster.json", "--cluster", cluster.Address, "--verbose"]);
            await remote.WaitForOutputAsync("Gram partitions", TimeSpan.FromSeconds(120));
            cluster.Workers[0].Kill();
            output.WriteLine($"killed {cluster.Workers[0].Name} when the Gram round started");
            int code = await remote.WaitForExitAsync(TimeSpan.FromMinutes(5));
            output.WriteLine(remote.Output);
            Assert.True(code == 0, $"the job failed after a worker was killed\n{remote.Output}\n{cluster.Describe()}");
            var tally = Regex.Match(remote.Output, @"rows shipped by the client: (\d+) unit\(s\)");
            Assert.True(tally.Success, remote.Output);
            Assert.True(int.Parse(tally.Groups[1].Value) >= 12, tally.Value);

            var local = await NtkProcess.RunAsync(_dir.Path, null, [.. job, "--model", "local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Path.Combine(_dir.Path, "local.json"), Path.Combine(_dir.Path, "cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        }
        finally
        {
            foreach (var worker in cluster.Workers)
            {
                string cache = Path.Combine(Path.GetTempPath(), $"ntk-worker-cache-{worker.Port}");
                if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            }
        }
    }
}

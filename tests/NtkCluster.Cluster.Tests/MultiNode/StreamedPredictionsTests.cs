using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// <c>ntk predict --data DIR --out DIR --out-delivery</c> on a cluster of real processes: an output the workers cannot
/// write has its parts streamed back to the client, which writes them — byte for byte local mode's output — also when
/// the rows are shipped; <c>--out-delivery shared</c> refuses such an output with one line naming the worker; an
/// output the workers share is written by them.
/// </summary>
/// <remarks>
/// As in <see cref="ShippedRowsTests"/>, <c>/proc/self/cwd/…</c> is the client's working directory in the client's
/// process and the worker's own (the temp directory) in a worker's: the client's output directory, and the staging
/// directory it makes next to it, do not exist for the workers — as between machines that share no file system.
/// </remarks>
[Collection(MultiNodeCollection.Name)]
public sealed partial class StreamedPredictionsTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private ClusterProcesses Cluster => fixture.Cluster;

    private string Dir => fixture.Dir.Path;

    private static string[] Lines(ProcessRun run) => run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(Dir, null, args);

    [GeneratedRegex(@"predictions streamed back to the client: (\d+) part\(s\), (\d+) bytes")]
    private static partial Regex StreamedNote();

    /// <summary>Every file of a directory, hidden ones included, by name, with its bytes.</summary>
    private static SortedDictionary<string, byte[]> Files(string directory) =>
        new(Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertSameOutput(string expected, string actual)
    {
        var e = Files(expected);
        var a = Files(actual);
        Assert.Equal(e.Keys, a.Keys);
        foreach (var (name, bytes) in e) Assert.True(bytes.AsSpan().SequenceEqual(a[name]), $"{name} differs");
    }

    private async Task<string> FitAsync()
    {
        var fit = await Ntk("fit", "--train", fixture.Data, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "64", "--seed", "4",
            "--standardize", "--scale-target", "--model", "stream-model.json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        return Path.Combine(Dir, "stream-model.json");
    }

    private string Parts(string name, params int[] rows)
    {
        string parts = Path.Combine(Dir, name);
        Directory.CreateDirectory(parts);
        for (int i = 0; i < rows.Length; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(rows[i], seed: 70 + i));
        return parts;
    }

    private void AssertNothingStaged() =>
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Dir), e => Path.GetFileName(e).EndsWith(".partial", StringComparison.Ordinal));

    [Fact]
    public async Task An_output_the_workers_cannot_write_is_streamed_back_bitwise_local_modes_also_with_shipped_rows()
    {
        string model = await FitAsync();
        // About 25 bytes per prediction: the largest part is several chunks long.
        string data = Parts("stream-parts", 900, 41_000, 2500);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "streamed")), "the workers' working directory must not hold 'streamed'");
        try
        {
            var local = await Ntk("predict", "--model", model, "--data", data, "--out", "local-out");
            Assert.True(local.ExitCode == 0, local.ToString());

            // Rows on the shared path, output only the client sees: auto streams the parts back.
            var remote = await Ntk("predict", "--model", model, "--data", data, "--out", "/proc/self/cwd/streamed", "--cluster", Cluster.Address);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            Assert.Contains("rows: read by the workers from the shared path", remote.Stderr);
            Assert.Matches(@"predictions: streamed back to the client, which writes the parts, because worker 127\.0\.0\.1:\d+ cannot write the output: " +
                           @"there is no directory /proc/self/cwd/\.streamed\.[0-9a-f]+\.partial there", remote.Stderr);
            Assert.Contains("ntk predict: 44400 predictions written to /proc/self/cwd/streamed (3 part(s), part-00000.csv first)", Lines(remote));
            AssertSameOutput(Path.Combine(Dir, "local-out"), Path.Combine(Dir, "streamed"));
            var streamed = StreamedNote().Match(remote.Stderr);
            Assert.True(streamed.Success, remote.Stderr);
            long partBytes = Directory.GetFiles(Path.Combine(Dir, "streamed"), "part-*.csv").Sum(f => new FileInfo(f).Length);
            Assert.True(partBytes > 2 * 256 * 1024, $"the largest part must take several chunks ({partBytes} bytes)");
            Assert.Equal(("3", partBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)), (streamed.Groups[1].Value, streamed.Groups[2].Value));

            // Rows only the client can read too: shipped to the workers' caches, parts streamed back, the same bytes.
            var both = await Ntk("predict", "--model", model, "--data", "/proc/self/cwd/stream-parts", "--out", "/proc/self/cwd/streamed-shipped",
                "--cluster", Cluster.Address);
            output.WriteLine(both.Stderr);
            Assert.True(both.ExitCode == 0, both + "\n" + Cluster.Describe());
            Assert.Matches(@"rows: shipped by the client to the workers' caches, because worker 127\.0\.0\.1:\d+ cannot read /proc/self/cwd/stream-parts/part-0000\d\.csv",
                both.Stderr);
            Assert.Contains("predictions: streamed back to the client", both.Stderr);
            AssertSameOutput(Path.Combine(Dir, "local-out"), Path.Combine(Dir, "streamed-shipped"));

            // An output the workers share: written by them (auto), or streamed when asked (--out-delivery streamed) — the same bytes.
            var shared = await Ntk("predict", "--model", model, "--data", data, "--out", "shared-out", "--cluster", Cluster.Address);
            Assert.True(shared.ExitCode == 0, shared.ToString());
            Assert.Contains("predictions: written by the workers into the output (all 2 worker(s) can write its staging directory)", shared.Stderr);
            Assert.DoesNotMatch(StreamedNote(), shared.Stderr);
            AssertSameOutput(Path.Combine(Dir, "local-out"), Path.Combine(Dir, "shared-out"));
            var forced = await Ntk("predict", "--model", model, "--data", data, "--out", "forced-out", "--out-delivery", "streamed", "--quiet",
                "--cluster", Cluster.Address);
            Assert.True(forced.ExitCode == 0, forced.ToString());
            AssertSameOutput(Path.Combine(Dir, "local-out"), Path.Combine(Dir, "forced-out"));

            // --out-delivery shared: refused before any work, one line naming the worker, nothing written.
            var refused = await Ntk("predict", "--model", model, "--data", data, "--out", "/proc/self/cwd/refused", "--out-delivery", "shared",
                "--cluster", Cluster.Address);
            Assert.Equal(2, refused.ExitCode);
            var line = Assert.Single(Lines(refused), l => l.Contains("error", StringComparison.Ordinal));
            Assert.Matches(@"^ntk predict: error: --out-delivery shared: worker 127\.0\.0\.1:\d+ cannot write the output: there is no directory " +
                           @"/proc/self/cwd/\.refused\.[0-9a-f]+\.partial there$", line);
            Assert.False(Directory.Exists(Path.Combine(Dir, "refused")));
            AssertNothingStaged();
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

    [Fact]
    public async Task Kept_columns_reach_the_parts_streamed_back_and_written_by_the_workers_bitwise_local_modes()
    {
        string model = await FitAsync();
        string data = Path.Combine(Dir, "keep-parts");
        Directory.CreateDirectory(data);
        int[] sizes = [1500, 900];
        for (int i = 0, first = 0; i < sizes.Length; first += sizes[i], i++)
        {
            var lines = TestData.Csv(sizes[i], seed: 90 + i).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var sb = new System.Text.StringBuilder("name," + lines[0] + ",id\n");
            for (int r = 1; r < lines.Length; r++) sb.Append($"\"Smith, \"\"{first + r}\"\"\",{lines[r]},00{first + r}\n");
            File.WriteAllText(Path.Combine(data, $"part-{i:D5}.csv"), sb.ToString());
        }
        var local = await Ntk("predict", "--model", model, "--data", data, "--keep", "id,name", "--out", "keep-local", "--quiet");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.StartsWith("id,name,prediction\n001,\"Smith, \"\"1\"\"\",", File.ReadAllText(Path.Combine(Dir, "keep-local", "part-00000.csv")), StringComparison.Ordinal);

        var streamed = await Ntk("predict", "--model", model, "--data", data, "--keep", "id,name", "--out", "/proc/self/cwd/keep-streamed",
            "--cluster", Cluster.Address);
        Assert.True(streamed.ExitCode == 0, streamed + "\n" + Cluster.Describe());
        Assert.Contains("predictions: streamed back to the client", streamed.Stderr);
        AssertSameOutput(Path.Combine(Dir, "keep-local"), Path.Combine(Dir, "keep-streamed"));

        var shared = await Ntk("predict", "--model", model, "--data", data, "--keep", "id,name", "--out", "keep-shared", "--out-delivery", "shared",
            "--cluster", Cluster.Address);
        Assert.True(shared.ExitCode == 0, shared + "\n" + Cluster.Describe());
        Assert.Contains("predictions: written by the workers into the output", shared.Stderr);
        AssertSameOutput(Path.Combine(Dir, "keep-local"), Path.Combine(Dir, "keep-shared"));

        // Rows only the client can read: the workers copy the kept cells from their shipped copies of the partitions.
        try
        {
            var shipped = await Ntk("predict", "--model", model, "--data", "/proc/self/cwd/keep-parts", "--keep", "id,name",
                "--out", "/proc/self/cwd/keep-shipped", "--cluster", Cluster.Address);
            Assert.True(shipped.ExitCode == 0, shipped + "\n" + Cluster.Describe());
            Assert.Contains("rows: shipped by the client to the workers' caches", shipped.Stderr);
            AssertSameOutput(Path.Combine(Dir, "keep-local"), Path.Combine(Dir, "keep-shipped"));
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

    [Fact]
    public async Task An_unknown_output_delivery_is_refused_with_one_line()
    {
        var run = await Ntk("predict", "--model", "m.json", "--data", "d", "--out-delivery", "sometimes");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("ntk predict: error: --out-delivery must be auto|shared|streamed, got 'sometimes'", Assert.Single(Lines(run)));
    }
}

/// <summary>A worker killed while the parts stream back: its partitions are predicted again on the survivor, their
/// parts streamed again from the first byte, and the output is byte for byte local mode's.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class StreamedPredictionsFailureTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_worker_killed_mid_stream_has_its_parts_streamed_again_and_the_output_is_bitwise_local_modes()
    {
        var fit = await NtkProcess.RunAsync(_dir.Path, null, "fit", "--train", _dir.Write("train.csv", TestData.Csv(600, seed: 5)), "--kernel", "rbf:gamma=0.5",
            "--lambda", "0.1", "--features", "900", "--seed", "4", "--standardize", "--scale-target", "--model", "model.json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        string parts = Path.Combine(_dir.Path, "parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 10; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(20_000, seed: 80 + i));
        string[] job = ["predict", "--model", "model.json", "--data", parts];
        await using var cluster = await ClusterProcesses.StartAsync(2);
        using var remote = NodeProcess.Ntk(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "lines" },
            [.. job, "--out", "/proc/self/cwd/cluster-out", "--cluster", cluster.Address, "--verbose"]);
        // Killed as the first part streams back: a part in the client's staging directory still being received.
        await remote.WaitForOutputAsync("prediction partitions", TimeSpan.FromSeconds(120));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline && !Directory.GetDirectories(_dir.Path, ".cluster-out.*.partial")
                   .Any(d => Directory.GetFiles(d, ".part-*.streaming").Length > 0))
            await Task.Delay(10);
        cluster.Workers[0].Kill();
        output.WriteLine($"killed {cluster.Workers[0].Name} as the first part streamed back");
        int code = await remote.WaitForExitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine(remote.Output);
        Assert.True(code == 0, $"the job failed after a worker was killed\n{remote.Output}\n{cluster.Describe()}");
        Assert.Contains("predictions: streamed back to the client", remote.Output);

        var local = await NtkProcess.RunAsync(_dir.Path, null, [.. job, "--out", "local-out"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var expected = Directory.GetFiles(Path.Combine(_dir.Path, "local-out")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        var actual = Directory.GetFiles(Path.Combine(_dir.Path, "cluster-out")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, actual);
        foreach (string name in expected)
            Assert.True(File.ReadAllBytes(Path.Combine(_dir.Path, "local-out", name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir.Path, "cluster-out", name))),
                $"{name} differs");
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_dir.Path), e => Path.GetFileName(e).EndsWith(".partial", StringComparison.Ordinal));
    }
}

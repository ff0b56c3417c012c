using System.Text.Json;
using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// Shipped rows for every partitioned job, not only <c>ntk fit</c>: train-nn, cross-validation (then a sweep), and a fit
/// with scalable leverage sampling (then a spectral report with it) on parts only the client can read are bitwise local
/// mode's; the second job on the same parts finds them in the workers' caches and ships nothing.
/// </summary>
public sealed partial class ShippedRowsTests
{
    /// <summary>Everything a run shipped: the tally of each of its jobs added up (a command may run more than one job).</summary>
    private static (int Units, long Bytes) ShippedInAll(ProcessRun run)
    {
        var notes = ShippedNote().Matches(run.Stderr);
        Assert.True(notes.Count > 0, $"no shipping tally in\n{run.Stderr}");
        return (notes.Sum(m => int.Parse(m.Groups[1].Value)), notes.Sum(m => long.Parse(m.Groups[2].Value)));
    }

    /// <summary>Parts under the client's working directory, named as only the client can read them (see the class remarks).</summary>
    private (string Source, long Bytes) PartsOnlyTheClientReads(string name, int seed, params int[] rows)
    {
        string parts = Path.Combine(fixture.Dir.Path, name);
        Directory.CreateDirectory(parts);
        for (int i = 0; i < rows.Length; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(rows[i], seed: seed + i));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), name)), $"the workers' working directory must not hold a '{name}' directory");
        return ("/proc/self/cwd/" + name, Directory.GetFiles(parts).Sum(f => new FileInfo(f).Length));
    }

    /// <summary>A first job shipped every part, to at least one worker each and at most to both.</summary>
    private void AssertShippedOnce(ProcessRun run, string source, int parts, long bytes)
    {
        Assert.Matches(@"rows: shipped by the client to the workers' caches, because worker 127\.0\.0\.1:\d+ cannot read " + Regex.Escape(source), run.Stderr);
        var (units, shipped) = ShippedInAll(run);
        Assert.InRange(units, parts, parts * Cluster.Workers.Count);
        Assert.InRange(shipped, bytes, bytes * Cluster.Workers.Count);
    }

    private void DeleteWorkerCaches()
    {
        foreach (var worker in Cluster.Workers)
        {
            string cache = Path.Combine(Path.GetTempPath(), $"ntk-worker-cache-{worker.Port}");
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }

    private string Output(string name) => Path.Combine(fixture.Dir.Path, name);

    [Fact]
    public async Task Train_nn_on_rows_the_workers_cannot_read_is_shipped_and_bitwise_local_modes()
    {
        var (source, bytes) = PartsOnlyTheClientReads("ship-nn", seed: 80, 120, 170, 140);
        string[] common = ["train-nn", "--train", source, "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target",
            "--width", "200", "--lambda", "0.01", "--steps", "12", "--workers", "2", "--json"];
        try
        {
            var remote = await Ntk([.. common, "--model", "ship-nn-cluster.json", "--cluster", Cluster.Address]);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            AssertShippedOnce(remote, source, 3, bytes);
            Assert.Contains("data-parallel, read by the workers from the same paths where they see the same files, else shipped", remote.Stderr);
            var local = await Ntk([.. common, "--model", "ship-nn-local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Output("ship-nn-local.json"), Output("ship-nn-cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        }
        finally
        {
            DeleteWorkerCaches();
        }
    }

    [Fact]
    public async Task Cross_validation_on_shipped_rows_is_bitwise_local_modes_and_a_sweep_after_it_ships_nothing()
    {
        var (source, bytes) = PartsOnlyTheClientReads("ship-cv", seed: 90, 200, 250, 300);
        string[] cv = ["cv", "--train", source, "--kernel", "rbf", "--gamma", "0.5,2", "--lambda", "0.01,0.1", "--features", "30",
            "--folds", "3", "--standardize", "--refit", "--workers", "2", "--json"];
        string[] sweep = ["sweep", "--train", source, "--test-fraction", "0.2", "--kernel", "rbf:gamma=0.5", "--lambda", "0.05",
            "--features", "20,40", "--exact-rows", "200", "--workers", "2", "--json"];
        try
        {
            var remote = await Ntk([.. cv, "--model", "ship-cv-cluster.json", "--cluster", Cluster.Address]);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            AssertShippedOnce(remote, source, 3, bytes);
            Assert.Contains("fold Gram partitions", remote.Stderr);
            var local = await Ntk([.. cv, "--model", "ship-cv-local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Output("ship-cv-local.json"), Output("ship-cv-cluster.json"));
            var (l, r) = (ClusterAssert.Json(local.Stdout), ClusterAssert.Json(remote.Stdout));
            foreach (string key in new[] { "grid", "chosen", "n_train" }) Assert.Equal(l.GetProperty(key).GetRawText(), r.GetProperty(key).GetRawText());
            Assert.Equal(l.GetProperty("refit").GetProperty("train_mse").GetRawText(), r.GetProperty("refit").GetProperty("train_mse").GetRawText());

            // Another job type on the same parts: every part is in the workers' caches already.
            var remoteSweep = await Ntk([.. sweep, "--cluster", Cluster.Address]);
            output.WriteLine(remoteSweep.Stderr);
            Assert.True(remoteSweep.ExitCode == 0, remoteSweep + "\n" + Cluster.Describe());
            Assert.Equal((0, 0L), ShippedInAll(remoteSweep));
            var localSweep = await Ntk(sweep);
            Assert.True(localSweep.ExitCode == 0, localSweep.ToString());
            Assert.Equal(Points(ClusterAssert.Json(localSweep.Stdout)), Points(ClusterAssert.Json(remoteSweep.Stdout)));
        }
        finally
        {
            DeleteWorkerCaches();
        }

        static string Points(JsonElement json) => string.Join(";", json.GetProperty("points").EnumerateArray()
            .Select(p => $"{p.GetProperty("epsilon").GetRawText()},{p.GetProperty("error").GetRawText()},{p.GetProperty("train_error").GetRawText()}"));
    }

    [Fact]
    public async Task A_scalable_leverage_fit_on_shipped_rows_is_bitwise_local_modes_and_a_spectral_report_after_it_ships_nothing()
    {
        var (source, bytes) = PartsOnlyTheClientReads("ship-lev", seed: 100, 300, 220, 260);
        string[] fit = ["fit", "--train", source, "--test-fraction", "0.2", "--kernel", "rbf:gamma=0.5", "--lambda", "0.05", "--features", "40",
            "--sampling", "leverage", "--leverage", "scalable", "--pool", "1200", "--first-stage", "40", "--seed", "4", "--standardize",
            "--workers", "2", "--json"];
        string[] spectral = ["spectral", "--train", source, "--kernel", "rbf:gamma=0.5", "--lambda", "0.05", "--features", "40",
            "--sampling", "leverage", "--leverage", "scalable", "--pool", "1200", "--first-stage", "40", "--seed", "4", "--standardize",
            "--exact-rows", "300", "--workers", "2", "--json"];
        try
        {
            var remote = await Ntk([.. fit, "--model", "ship-lev-cluster.json", "--cluster", Cluster.Address]);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            AssertShippedOnce(remote, source, 3, bytes);
            Assert.Contains("candidate partitions", remote.Stderr); // the scoring round ran per partition, on the workers
            var local = await Ntk([.. fit, "--model", "ship-lev-local.json"]);
            Assert.True(local.ExitCode == 0, local.ToString());
            ClusterAssert.SameFile(Output("ship-lev-local.json"), Output("ship-lev-cluster.json"));
            ClusterAssert.SameJson(local.Stdout, remote.Stdout);
            Assert.Equal("leverage", ClusterAssert.Json(remote.Stdout).GetProperty("sampling").GetString());

            var remoteSpectral = await Ntk([.. spectral, "--cluster", Cluster.Address]);
            output.WriteLine(remoteSpectral.Stderr);
            Assert.True(remoteSpectral.ExitCode == 0, remoteSpectral + "\n" + Cluster.Describe());
            Assert.Equal((0, 0L), ShippedInAll(remoteSpectral));
            var localSpectral = await Ntk(spectral);
            Assert.True(localSpectral.ExitCode == 0, localSpectral.ToString());
            ClusterAssert.SameJson(localSpectral.Stdout, remoteSpectral.Stdout);
        }
        finally
        {
            DeleteWorkerCaches();
        }
    }
    [Fact]
    public async Task A_report_on_shipped_rows_holds_local_modes_numbers()
    {
        var (source, bytes) = PartsOnlyTheClientReads("ship-report", seed: 110, 60, 50, 70);
        string[] report(string outDir) => ["report", "--train", source, "--test-fraction", "0.25", "--out", outDir, "--standardize",
            "--scale-target", "--features", "4,8,16", "--repeats", "1", "--pool", "400", "--widths", "8,16", "--steps", "10",
            "--exact-rows", "100", "--workers", "2"];
        try
        {
            var remote = await Ntk([.. report("ship-report-cluster"), "--cluster", Cluster.Address]);
            output.WriteLine(remote.Stderr);
            Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
            AssertShippedOnce(remote, source, 3, bytes);
            var local = await Ntk(report("ship-report-local"));
            Assert.True(local.ExitCode == 0, local.ToString());
            // The report's own job on all rows (its spectral numbers and the fit's errors): the same bytes in both modes.
            ClusterAssert.SameFile(Path.Combine(Output("ship-report-local"), "partitioned.csv"), Path.Combine(Output("ship-report-cluster"), "partitioned.csv"));
            Assert.True(File.Exists(Path.Combine(Output("ship-report-cluster"), "report.html")));
        }
        finally
        {
            DeleteWorkerCaches();
        }
    }
}

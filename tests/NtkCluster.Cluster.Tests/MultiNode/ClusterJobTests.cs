using System.Diagnostics;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>The tests that start real node processes: one at a time, and alone (the machines that run them are small).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiNodeCollection
{
    public const string Name = "multi-node processes";
}

/// <summary>A coordinator and two workers (one compute thread each), shared by the tests of a class, and their data.</summary>
public sealed class TwoWorkerClusterFixture : IAsyncLifetime
{
    public ClusterProcesses Cluster { get; private set; } = null!;
    internal CliTempDirectory Dir { get; } = new();
    public string Data { get; }

    public TwoWorkerClusterFixture() => Data = Dir.Write("data.csv", TestData.Csv(300, seed: 11));

    public async Task InitializeAsync() => Cluster = await ClusterProcesses.StartAsync(2);

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        Dir.Dispose();
    }
}

/// <summary>Shared checks of the multi-node tests.</summary>
internal static class ClusterAssert
{
    /// <summary>Keys whose values depend on the run (time, memory, where it ran, output names).</summary>
    public static readonly string[] RunDependent = ["seconds", "peak_mb", "cluster", "model"];

    /// <summary>The last stdout line of a run, parsed.</summary>
    public static JsonElement Json(string stdout) => JsonDocument.Parse(CliRun.Lines(stdout)[^1]).RootElement;

    /// <summary>Two JSON summaries agree on every key but the run-dependent ones, numbers by their exact text (round-trip doubles).</summary>
    public static void SameJson(string expected, string actual)
    {
        var e = Json(expected);
        var a = Json(actual);
        var keys = e.EnumerateObject().Select(p => p.Name).Where(k => !RunDependent.Contains(k)).ToList();
        Assert.Equal(keys, a.EnumerateObject().Select(p => p.Name).Where(k => !RunDependent.Contains(k)).ToList());
        foreach (var key in keys) Assert.True(e.GetProperty(key).GetRawText() == a.GetProperty(key).GetRawText(), $"{key}: {e.GetProperty(key)} vs {a.GetProperty(key)}");
    }

    public static void SameFile(string expected, string actual) =>
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{actual} differs from {expected}");
}

/// <summary>
/// Jobs on a real multi-process cluster submitted by <c>ntk … --cluster</c>, against the same commands in local mode:
/// models, predictions and JSON must be bitwise the same (the same seeds, block order and solves, whichever node
/// computes a block). And <c>ntk status</c>, and clear failures for addresses where no coordinator is.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ClusterJobTests(TwoWorkerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoWorkerClusterFixture>
{
    private ClusterProcesses Cluster => fixture.Cluster;

    private Task<ProcessRun> Ntk(params string[] args) => NtkProcess.RunAsync(fixture.Dir.Path, null, args);

    [Fact]
    public async Task Status_lists_the_coordinator_and_both_workers()
    {
        output.WriteLine($"cluster start (coordinator + 2 workers, until ntk status reports them): {Cluster.StartSeconds:0.0} s");
        var status = await Cluster.StatusAsync();
        Assert.Equal(2, status.GetProperty("workers").GetInt32());
        var nodes = status.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, nodes.Count);
        Assert.Equal($"akka.tcp://ntk@{Cluster.Address}", nodes[0].GetProperty("address").GetString());
        Assert.Equal(["coordinator"], nodes[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        foreach (var worker in nodes.Skip(1))
        {
            Assert.Equal(["worker"], worker.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal("Up", worker.GetProperty("status").GetString());
            Assert.Equal(1, worker.GetProperty("threads").GetInt32());
        }
        Assert.Equal(Cluster.Workers.Select(w => $"akka.tcp://ntk@127.0.0.1:{w.Port}").Order(), nodes.Skip(1).Select(n => n.GetProperty("address").GetString()).Order());
        Assert.Equal(JsonValueKind.Array, status.GetProperty("jobs").ValueKind);

        var text = await Ntk("status", "--cluster", Cluster.Address);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("2 worker node(s) Up", text.Stdout);
        Assert.Equal(5, CliRun.Lines(text.Stdout).Length); // the summary, the header, three nodes
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("leverage")]
    public async Task A_fit_on_the_cluster_is_bitwise_the_fit_of_local_mode(string sampling)
    {
        string[] common = ["fit", "--train", fixture.Data, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "48",
            "--sampling", sampling, "--standardize", "--workers", "2", "--json"];
        var clock = Stopwatch.StartNew();
        var remote = await Ntk([.. common, "--model", $"{sampling}-cluster.json", "--cluster", Cluster.Address]);
        output.WriteLine($"client → result, {sampling} fit on 225 rows, 48 features, as a process: {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--model", $"{sampling}-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, $"{sampling}-local.json"), Path.Combine(fixture.Dir.Path, $"{sampling}-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        Assert.Equal(Cluster.Address, ClusterAssert.Json(remote.Stdout).GetProperty("cluster").GetString());
        Assert.Contains($"runs on the cluster at {Cluster.Address}", remote.Stderr);
        Assert.Contains("Gram blocks", remote.Stderr); // the job's progress lines, relayed
        Assert.Contains("fit", Cluster.Coordinator.Output);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("drop")]
    public async Task A_fit_with_missing_values_on_the_cluster_is_bitwise_the_fit_of_local_mode(string missing)
    {
        // R's write.csv2 export of a table with NA cells and missing targets (tests/…/Fixtures/missing).
        string data = Path.Combine(AppContext.BaseDirectory, "Fixtures", "missing", "air-train-csv2.csv");
        string[] common = ["fit", "--train", data, "--test-fraction", "0.25", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "32",
            "--missing", missing, "--standardize", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--model", $"missing-{missing}-cluster.json", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--model", $"missing-{missing}-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, $"missing-{missing}-local.json"), Path.Combine(fixture.Dir.Path, $"missing-{missing}-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        Assert.Contains("dropped 2 row(s) with a missing target", remote.Stderr);
    }

    [Fact]
    public async Task A_fit_of_a_directory_of_parts_read_by_the_workers_is_bitwise_the_fit_of_local_mode()
    {
        string parts = Path.Combine(fixture.Dir.Path, "parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(150 + 70 * i, seed: 30 + i));
        // A relative path: the client names the parts by their absolute paths, which the workers read themselves.
        string[] common = ["fit", "--train", "parts", "--test", "parts/part-00001.csv", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "48", "--standardize", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--model", "parts-cluster.json", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--model", "parts-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "parts-local.json"), Path.Combine(fixture.Dir.Path, "parts-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        Assert.Contains("3 partition(s) of", remote.Stderr);
        Assert.Contains("read by the workers from the same paths", remote.Stderr);
        Assert.Contains("Gram partitions", remote.Stderr); // the partition rounds ran on the cluster
    }

    [Fact]
    public async Task A_partitioned_prediction_written_by_the_workers_is_bitwise_the_one_of_local_mode()
    {
        string parts = Path.Combine(fixture.Dir.Path, "predict-parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(900 + 350 * i, seed: 50 + i));
        var fit = await Ntk("fit", "--train", fixture.Data, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "40", "--standardize",
            "--scale-target", "--model", "parts-model.json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        // Relative paths: the client makes them absolute; the workers read the parts and write the output themselves.
        var remote = await Ntk("predict", "--model", "parts-model.json", "--data", "predict-parts", "--out", "predictions-cluster", "--cluster", Cluster.Address);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk("predict", "--model", "parts-model.json", "--data", "predict-parts", "--out", "predictions-local", "--workers", "2");
        Assert.True(local.ExitCode == 0, local.ToString());

        string[] names = ["_SUCCESS", "part-00000.csv", "part-00001.csv", "part-00002.csv"];
        foreach (string dir in new[] { "predictions-local", "predictions-cluster" })
            Assert.Equal(names, Directory.GetFiles(Path.Combine(fixture.Dir.Path, dir)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (string name in names)
            ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "predictions-local", name), Path.Combine(fixture.Dir.Path, "predictions-cluster", name));
        Assert.Contains("rows: read by the workers from the shared path", remote.Stderr);
        Assert.Contains("predictions: written by the workers into the output (all 2 worker(s) can write its staging directory)", remote.Stderr);
        Assert.Contains("3750 predictions written to predictions-cluster (3 part(s)", remote.Stderr);
    }

    [Fact]
    public async Task A_cross_validation_of_a_directory_of_parts_read_by_the_workers_is_bitwise_that_of_local_mode()
    {
        string parts = Path.Combine(fixture.Dir.Path, "cv-parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(200 + 50 * i, seed: 60 + i));
        string[] common = ["cv", "--train", "cv-parts", "--kernel", "rbf", "--gamma", "0.5,2", "--lambda", "0.01,0.1", "--features", "30",
            "--folds", "3", "--standardize", "--refit", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--model", "cv-cluster.json", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--model", "cv-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "cv-local.json"), Path.Combine(fixture.Dir.Path, "cv-cluster.json"));
        var (l, r) = (ClusterAssert.Json(local.Stdout), ClusterAssert.Json(remote.Stdout));
        foreach (string key in new[] { "grid", "chosen", "n_train" }) Assert.Equal(l.GetProperty(key).GetRawText(), r.GetProperty(key).GetRawText());
        Assert.Equal(l.GetProperty("refit").GetProperty("train_mse").GetRawText(), r.GetProperty("refit").GetProperty("train_mse").GetRawText());
        Assert.Contains("fold Gram partitions", remote.Stderr); // the cross-validation's partition rounds ran on the cluster
        Assert.Contains("held-out error partitions", remote.Stderr);
    }

    [Fact]
    public async Task A_sweep_of_a_directory_of_parts_read_by_the_workers_is_bitwise_that_of_local_mode()
    {
        string parts = Path.Combine(fixture.Dir.Path, "sweep-parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 2; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(250 + 50 * i, seed: 70 + i));
        string[] common = ["sweep", "--train", "sweep-parts", "--test-fraction", "0.2", "--kernel", "rbf:gamma=0.5", "--lambda", "0.05",
            "--features", "20,40", "--exact-rows", "200", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk(common);
        Assert.True(local.ExitCode == 0, local.ToString());
        var (l, r) = (ClusterAssert.Json(local.Stdout), ClusterAssert.Json(remote.Stdout));
        string Points(System.Text.Json.JsonElement json) => string.Join(";", json.GetProperty("points").EnumerateArray()
            .Select(p => $"{p.GetProperty("epsilon").GetRawText()},{p.GetProperty("error").GetRawText()},{p.GetProperty("train_error").GetRawText()}"));
        Assert.Equal(Points(l), Points(r));
        Assert.False(r.GetProperty("epsilon_exact").GetBoolean());
        Assert.Contains("sample partitions", remote.Stderr);
    }

    [Fact]
    public async Task Classification_and_cross_validation_on_the_cluster_match_local_mode()
    {
        // Four quadrant classes 0..3 of points in [-1, 1)², from a fixed seed.
        var rng = new Random(5);
        var csv = new System.Text.StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 120; i++)
        {
            double x1 = 2 * rng.NextDouble() - 1, x2 = 2 * rng.NextDouble() - 1;
            csv.Append(System.FormattableString.Invariant($"{x1:R},{x2:R},{(x1 > 0 ? 1 : 0) + (x2 > 0 ? 2 : 0)}\n"));
        }
        string data = fixture.Dir.Write("classes.csv", csv.ToString());
        string[] fit = ["fit", "--train", data, "--test-fraction", "0.25", "--task", "classify", "--kernel", "rbf:gamma=2", "--lambda", "0.01",
            "--features", "40", "--workers", "2", "--json"];
        var remote = await Ntk([.. fit, "--model", "clf-cluster.json", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. fit, "--model", "clf-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "clf-local.json"), Path.Combine(fixture.Dir.Path, "clf-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);

        string[] cv = ["cv", "--train", data, "--task", "classify", "--kernel", "rbf", "--gamma", "0.5,2", "--lambda", "0.01,1", "--folds", "3",
            "--workers", "2", "--json"];
        var remoteCv = await Ntk([.. cv, "--cluster", Cluster.Address]);
        Assert.True(remoteCv.ExitCode == 0, remoteCv + "\n" + Cluster.Describe());
        var localCv = await Ntk(cv);
        Assert.True(localCv.ExitCode == 0, localCv.ToString());
        ClusterAssert.SameJson(localCv.Stdout, remoteCv.Stdout);
        Assert.Equal(4, ClusterAssert.Json(remoteCv.Stdout).GetProperty("grid").GetArrayLength());
    }

    [Fact]
    public async Task Train_nn_on_the_cluster_is_bitwise_train_nn_in_local_mode()
    {
        string[] common = ["train-nn", "--train", fixture.Data, "--test-fraction", "0.3", "--standardize", "--normalize", "--scale-target",
            "--width", "1500", "--lambda", "0.01", "--steps", "60", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--out", "nn-cluster.csv", "--model", "nn-cluster.json", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--out", "nn-local.csv", "--model", "nn-local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "nn-local.csv"), Path.Combine(fixture.Dir.Path, "nn-cluster.csv"));
        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "nn-local.json"), Path.Combine(fixture.Dir.Path, "nn-cluster.json"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        Assert.Contains("step 60/60", remote.Stderr);
    }

    /// <summary>
    /// train-nn on a directory of parts with <c>--cluster</c>: the workers read the parts and every gradient step is a
    /// round over them, and the model and JSON are bitwise local mode's; a checkpoint comes back to the client.
    /// </summary>
    [Fact]
    public async Task Train_nn_on_a_directory_of_parts_on_the_cluster_is_bitwise_local_mode()
    {
        string parts = Path.Combine(fixture.Dir.Path, "nn-parts");
        Directory.CreateDirectory(parts);
        for (int i = 0; i < 3; i++) File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), TestData.Csv(120 + 50 * i, seed: 60 + i));
        string[] common = ["train-nn", "--train", "nn-parts", "--test-fraction", "0.25", "--standardize", "--normalize", "--scale-target",
            "--width", "400", "--lambda", "0.01", "--steps", "25", "--checkpoint-every", "10", "--workers", "2", "--json"];
        var remote = await Ntk([.. common, "--model", "nn-parts-cluster.json", "--checkpoint", "nn-parts-cluster.ckpt", "--cluster", Cluster.Address]);
        Assert.True(remote.ExitCode == 0, remote + "\n" + Cluster.Describe());
        var local = await Ntk([.. common, "--model", "nn-parts-local.json", "--checkpoint", "nn-parts-local.ckpt"]);
        Assert.True(local.ExitCode == 0, local.ToString());

        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "nn-parts-local.json"), Path.Combine(fixture.Dir.Path, "nn-parts-cluster.json"));
        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "nn-parts-local.ckpt"), Path.Combine(fixture.Dir.Path, "nn-parts-cluster.ckpt"));
        ClusterAssert.SameJson(local.Stdout, remote.Stdout);
        Assert.Contains("data-parallel, read by the workers from the same paths", remote.Stderr);
        Assert.Contains("checkpoint at step 25 written to nn-parts-cluster.ckpt", remote.Stderr);
        Assert.Equal("ntk-random-features", ClusterAssert.Json(remote.Stdout).GetProperty("reference").GetString());
    }

    /// <summary>
    /// <c>--checkpoint</c> under <c>--cluster</c>: the training runs on the coordinator node, but every checkpoint is
    /// written by the client, where the user asked, bitwise the file local mode writes; <c>--resume</c> ships the
    /// client's checkpoint up, and the resumed cluster run ends bitwise where an uninterrupted local run ends. Width
    /// 12 000 makes each checkpoint about 770 KB on the wire: more than one chunk each way.
    /// </summary>
    [Fact]
    public async Task Train_nn_checkpoints_on_the_cluster_are_written_by_the_client_and_resume_bitwise()
    {
        string[] common = ["train-nn", "--train", fixture.Data, "--test-fraction", "0.3", "--standardize", "--normalize", "--scale-target",
            "--width", "12000", "--lambda", "0.01", "--checkpoint-every", "7", "--workers", "2", "--json"];
        string[] cluster = ["--cluster", Cluster.Address];
        string Path(string name) => System.IO.Path.Combine(fixture.Dir.Path, name);

        var localFull = await Ntk([.. common, "--steps", "30", "--model", "ckpt-full-local.json", "--checkpoint", "ckpt-full-local.ckpt"]);
        Assert.True(localFull.ExitCode == 0, localFull.ToString());
        var localHalf = await Ntk([.. common, "--steps", "15", "--checkpoint", "ckpt-half-local.ckpt"]);
        Assert.True(localHalf.ExitCode == 0, localHalf.ToString());

        var remoteHalf = await Ntk([.. common, "--steps", "15", "--checkpoint", "ckpt-half-cluster.ckpt", .. cluster]);
        Assert.True(remoteHalf.ExitCode == 0, remoteHalf + "\n" + Cluster.Describe());
        ClusterAssert.SameFile(Path("ckpt-half-local.ckpt"), Path("ckpt-half-cluster.ckpt"));
        Assert.Contains("checkpoint at step 14 written to ckpt-half-cluster.ckpt", remoteHalf.Stderr);
        Assert.Contains("checkpoint at step 15 written to ckpt-half-cluster.ckpt", remoteHalf.Stderr);

        var resumed = await Ntk([.. common, "--steps", "30", "--resume", "ckpt-half-cluster.ckpt", "--checkpoint", "ckpt-full-cluster.ckpt",
            "--model", "ckpt-full-cluster.json", .. cluster]);
        Assert.True(resumed.ExitCode == 0, resumed + "\n" + Cluster.Describe());
        Assert.Contains("resuming from ckpt-half-cluster.ckpt at step 15", resumed.Stderr);
        ClusterAssert.SameFile(Path("ckpt-full-local.json"), Path("ckpt-full-cluster.json"));
        ClusterAssert.SameFile(Path("ckpt-full-local.ckpt"), Path("ckpt-full-cluster.ckpt"));
        ClusterAssert.SameJson(localFull.Stdout, resumed.Stdout);
        // The halfway network is another network: the comparisons above can fail.
        Assert.NotEqual(ClusterAssert.Json(localFull.Stdout).GetProperty("train_mse").GetRawText(),
            ClusterAssert.Json(localHalf.Stdout).GetProperty("train_mse").GetRawText());
        Assert.DoesNotContain(Directory.GetFiles(fixture.Dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spectral_sweep_and_predict_on_the_cluster_match_local_mode()
    {
        string[] spectral = ["spectral", "--train", fixture.Data, "--kernel", "laplace:gamma=0.3", "--lambda", "0.05", "--features", "40",
            "--sampling", "leverage", "--workers", "2", "--json"];
        string[] sweep = ["sweep", "--train", fixture.Data, "--test-fraction", "0.2", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "10,20", "--workers", "2", "--json"];
        foreach (var args in new[] { spectral, sweep })
        {
            var remote = await Ntk([.. args, "--cluster", Cluster.Address]);
            var local = await Ntk(args);
            Assert.True(remote.ExitCode == 0 && local.ExitCode == 0, remote + "\n" + local);
            if (args[0] == "spectral") ClusterAssert.SameJson(local.Stdout, remote.Stdout);
            else Assert.Equal(Points(local.Stdout), Points(remote.Stdout));
        }

        var fit = await Ntk("fit", "--train", fixture.Data, "--kernel", "ntk", "--lambda", "0.5", "--model", "exact.json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var remotePredict = await Ntk("predict", "--model", "exact.json", "--data", fixture.Data, "--out", "p-cluster.csv", "--cluster", Cluster.Address);
        var localPredict = await Ntk("predict", "--model", "exact.json", "--data", fixture.Data, "--out", "p-local.csv");
        Assert.True(remotePredict.ExitCode == 0 && localPredict.ExitCode == 0, remotePredict + "\n" + localPredict);
        ClusterAssert.SameFile(Path.Combine(fixture.Dir.Path, "p-local.csv"), Path.Combine(fixture.Dir.Path, "p-cluster.csv"));

        // Every point's values but its time.
        static string[] Points(string stdout) => ClusterAssert.Json(stdout).GetProperty("points").EnumerateArray()
            .Select(p => string.Join(",", p.EnumerateObject().Where(f => f.Name != "seconds").Select(f => $"{f.Name}={f.Value.GetRawText()}"))).ToArray();
    }

    [Fact]
    public async Task A_running_job_shows_in_status_with_its_latest_progress()
    {
        using var job = NodeProcess.Ntk(fixture.Dir.Path, null, "train-nn", "--train", fixture.Data, "--standardize", "--normalize",
            "--width", "1000", "--lambda", "0.01", "--steps", "3000", "--no-reference", "--cluster", Cluster.Address, "--verbose");
        await job.WaitForOutputAsync("step 0/3000", TimeSpan.FromSeconds(60));
        JsonElement running = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var jobs = (await Cluster.StatusAsync()).GetProperty("jobs");
            if (jobs.GetArrayLength() == 1 && jobs[0].GetProperty("last_progress").GetString()?.StartsWith("step ") == true)
            {
                running = jobs[0];
                break;
            }
            await Task.Delay(200);
        }
        Assert.True(running.ValueKind == JsonValueKind.Object, "ntk status never showed the running job\n" + Cluster.Describe());
        Assert.Equal("train-nn", running.GetProperty("kind").GetString());
        Assert.StartsWith("nn-", running.GetProperty("id").GetString());
        Assert.StartsWith("akka.tcp://ntk-client@127.0.0.1:", running.GetProperty("client").GetString());
        Assert.True(DateTime.TryParse(running.GetProperty("started").GetString(), out _));
        Assert.Contains(running.GetProperty("id").GetString()!, job.Output);

        var text = await Ntk("status", "--cluster", Cluster.Address);
        Assert.Contains($"job {running.GetProperty("id").GetString()} (train-nn)", text.Stdout);
        Assert.Equal(0, await job.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        // The session ends when the client acknowledges the outcome's last chunk, a moment after the client is done.
        for (int i = 0; i < 20 && (await Cluster.StatusAsync()).GetProperty("jobs").GetArrayLength() > 0; i++) await Task.Delay(250);
        Assert.Equal(0, (await Cluster.StatusAsync()).GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task Addresses_without_a_coordinator_fail_within_seconds_with_one_line()
    {
        int free = NodeProcess.FreePort();
        var clock = Stopwatch.StartNew();
        var nobody = await Ntk("status", "--cluster", $"127.0.0.1:{free}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed}");
        Assert.Equal(1, nobody.ExitCode);
        Assert.Equal($"ntk status: error: cannot reach the coordinator at 127.0.0.1:{free}: nothing listens there (connection refused); is 'ntk coordinator' running?",
            Assert.Single(CliRun.Lines(nobody.Stderr)));
        Assert.Equal("", nobody.Stdout);

        var fit = await Ntk("fit", "--train", fixture.Data, "--kernel", "ntk", "--lambda", "1", "--model", "never.json", "--cluster", $"127.0.0.1:{free}");
        Assert.Equal(1, fit.ExitCode);
        Assert.Contains("nothing listens there", CliRun.Lines(fit.Stderr)[^1]);
        Assert.False(File.Exists(Path.Combine(fixture.Dir.Path, "never.json")));

        var worker = await Ntk("status", "--cluster", $"127.0.0.1:{Cluster.Workers[0].Port}");
        Assert.Equal(1, worker.ExitCode);
        Assert.Contains("runs no ntk coordinator", Assert.Single(CliRun.Lines(worker.Stderr)));

        foreach (var bad in new[] { "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":4053", "a b:1" })
        {
            var run = await Ntk("status", "--cluster", bad);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("is not HOST:PORT", Assert.Single(CliRun.Lines(run.Stderr)));
        }
        var stream = await Ntk("fit", "--train", fixture.Data, "--test", fixture.Data, "--kernel", "rbf:gamma=1", "--lambda", "1", "--features", "2",
            "--stream", "--cluster", Cluster.Address);
        Assert.Equal(2, stream.ExitCode);
        Assert.Contains("--stream runs locally only", stream.Stderr);
    }

    /// <summary>
    /// The library's estimators with a <see cref="NtkCluster.Protocol.Client.ClusterExecutor"/>: the same jobs run by the
    /// coordinator on the workers give bitwise the in-process models, and their progress comes back to the caller.
    /// </summary>
    [Fact]
    public async Task Library_estimators_on_the_cluster_give_the_in_process_models_bitwise()
    {
        var data = TestData.Regression(300, 4, seed: 21);
        double[,] x = data.X.ToArray();
        double[] y = data.Y.Column(0).ToArray();
        await using var cluster = await NtkCluster.Protocol.Client.ClusterExecutor.ConnectAsync(fixture.Cluster.Address);

        RandomFeatureRidge Ridge(IJobExecutor executor) => new(Kernel.Laplace(0.2), 0.05, 80)
        {
            Seed = 4, Sampling = FeatureSampling.Leverage, PoolSize = 3000, Executor = executor,
            Preprocessing = new Preprocessing { Standardize = true, ScaleTarget = true },
        };
        var updates = new List<NtkCluster.Numerics.Execution.ProgressUpdate>();
        var remote = await Ridge(cluster).FitAsync(x, y, new Recorder(updates));
        var local = Ridge(InProcessExecutor.Default).Fit(x, y);
        Assert.Equal(Bytes(local), Bytes(remote));
        Assert.Contains(updates, u => u.Stage == "candidate blocks" && u.IsComplete);
        Assert.Equal(Ridge(InProcessExecutor.Default).Diagnose(x).Epsilon, Ridge(cluster).Diagnose(x).Epsilon);

        TwoLayerNetwork Network(IJobExecutor executor) => new(width: 200, lambda: 0.01)
        {
            Steps = 20, Seed = 3, Executor = executor, Preprocessing = new Preprocessing { Standardize = true, Normalize = true },
        };
        var remoteNet = Network(cluster).Fit(x, y);
        var localNet = Network(InProcessExecutor.Default).Fit(x, y);
        Assert.Equal(Bytes(localNet), Bytes(remoteNet));
        Assert.Equal(localNet.Training!.Trajectory, remoteNet.Training!.Trajectory);
        output.WriteLine($"library on the cluster: {updates.Count} progress updates, model and network bitwise the in-process ones");
    }

    private static byte[] Bytes(Model model) => Library.LibraryAgreementTests.Bytes(model.Save);

    private sealed class Recorder(List<NtkCluster.Numerics.Execution.ProgressUpdate> updates) : IProgress<NtkCluster.Numerics.Execution.ProgressUpdate>
    {
        public void Report(NtkCluster.Numerics.Execution.ProgressUpdate value)
        {
            lock (updates) updates.Add(value);
        }
    }
}

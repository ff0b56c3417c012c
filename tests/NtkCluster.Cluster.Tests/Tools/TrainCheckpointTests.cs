using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Tools;

/// <summary>
/// <c>train-nn --checkpoint FILE</c> and <c>--resume FILE</c>: a run of T steps equals, bitwise, a run of T/2 steps
/// checkpointed and then resumed to T (model file and JSON summary except time, memory and the model's path); a
/// checkpoint that does not match the data or settings is refused with one line.
/// </summary>
public sealed class TrainCheckpointTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] TimeFields = ["seconds", "peak_mb", "model"];

    private static string[] Settings(string train, string init) =>
        ["train-nn", "--train", train, "--test-fraction", "0.25", "--standardize", "--scale-target", "--normalize", "--width", "40",
         "--init", init, "--lambda", "0.05", "--kappa", "0.8", "--seed", "9", "--quiet", "--json"];

    private static Dictionary<string, string> JsonFields(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.EnumerateObject().Where(p => !TimeFields.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("leverage")]
    public async Task A_run_checkpointed_halfway_and_resumed_equals_the_uninterrupted_run_bitwise(string init)
    {
        string train = _dir.Write("train.csv", TestData.Csv(40, seed: 12));
        string whole = _dir.PathOf("whole.json"), resumed = _dir.PathOf("resumed.json"), checkpoint = _dir.PathOf("run.ckpt");

        var full = await Ntk.RunAsync([.. Settings(train, init), "--steps", "30", "--checkpoint-every", "7", "--model", whole]);
        var first = await Ntk.RunAsync([.. Settings(train, init), "--steps", "15", "--checkpoint-every", "7", "--checkpoint", checkpoint]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(checkpoint));
        var second = await Ntk.RunAsync([.. Settings(train, init), "--steps", "30", "--checkpoint-every", "7", "--resume", checkpoint,
            "--model", resumed]);

        Assert.Equal(JsonFields(full), JsonFields(second));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
        // The halfway run itself is a different network: the comparison can fail.
        Assert.NotEqual(JsonFields(full)["train_mse"], JsonFields(first)["train_mse"]);
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    /// <summary>
    /// A real <c>ntk train-nn</c> process killed (SIGKILL) at whatever step it has reached once its first checkpoint is
    /// on disk, then resumed, ends bitwise where an uninterrupted run ends.
    /// </summary>
    [Fact]
    public async Task A_killed_process_resumed_from_its_checkpoint_equals_the_uninterrupted_run()
    {
        // Long enough that the first checkpoint is on disk well before the end, even on a loaded machine.
        const string steps = "20000";
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 17)), checkpoint = _dir.PathOf("run.ckpt");
        string whole = _dir.PathOf("whole.json"), resumed = _dir.PathOf("resumed.json");
        using (var process = System.Diagnostics.Process.Start(NtkProcess.StartInfo(_dir.Path, null,
                   [.. Settings(train, "gaussian"), "--steps", steps, "--checkpoint-every", "20", "--checkpoint", checkpoint]))!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(checkpoint) && !process.HasExited && DateTime.UtcNow < deadline) await Task.Delay(10);
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
        Assert.True(File.Exists(checkpoint), "no checkpoint was written within 60 s");
        var at = await Ntk.RunAsync("inspect", "--model", checkpoint, "--json");
        Assert.True(at.ExitCode == 0, at.ToString());
        using (var doc = JsonDocument.Parse(at.StdoutLines[^1]))
        {
            int step = doc.RootElement.GetProperty("steps").GetInt32();
            Assert.True(step > 0 && step < 20000 && step % 20 == 0, $"checkpoint at step {step}: the process was not interrupted mid-run");
        }

        var full = await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", steps, "--model", whole]);
        var second = await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", steps, "--resume", checkpoint, "--model", resumed]);
        Assert.Equal(JsonFields(full), JsonFields(second));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
    }

    /// <summary>
    /// The resumed run really continues from the checkpoint's W(t) (it does not quietly start again at step 0, which
    /// would also end bitwise equal): nudging one stored weight changes the result.
    /// </summary>
    [Fact]
    public async Task The_resumed_run_continues_from_the_stored_weights()
    {
        string train = _dir.Write("train.csv", TestData.Csv(40, seed: 16)), checkpoint = _dir.PathOf("run.ckpt");
        var first = await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", "10", "--checkpoint", checkpoint]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var untouched = JsonFields(await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", "20", "--resume", checkpoint]));

        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint))!;
        var values = doc["network_weights"]!["values"]!.AsArray();
        values[0] = values[0]!.GetValue<double>() + 0.25;
        File.WriteAllText(checkpoint, doc.ToJsonString());
        var nudged = JsonFields(await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", "20", "--resume", checkpoint]));
        Assert.NotEqual(untouched["train_mse"], nudged["train_mse"]);
        Assert.NotEqual(untouched["max_weight_move"], nudged["max_weight_move"]);
    }

    [Fact]
    public async Task A_checkpoint_is_a_network_model_at_its_step()
    {
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 13)), checkpoint = _dir.PathOf("run.ckpt");
        var run = await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", "12", "--checkpoint-every", "5", "--checkpoint", checkpoint]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var inspect = await Ntk.RunAsync("inspect", "--model", checkpoint, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var doc = JsonDocument.Parse(inspect.StdoutLines[^1]);
        Assert.Equal("network", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(12, doc.RootElement.GetProperty("steps").GetInt32());
        var predict = await Ntk.RunAsync("predict", "--model", checkpoint, "--data", train, "--quiet");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(31, predict.StdoutLines.Length);
    }

    [Fact]
    public async Task A_checkpoint_for_other_data_settings_or_fewer_steps_is_refused_with_one_line()
    {
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 14)), other = _dir.Write("other.csv", TestData.Csv(30, seed: 15));
        string checkpoint = _dir.PathOf("run.ckpt"), plain = _dir.PathOf("plain.json");
        var run = await Ntk.RunAsync([.. Settings(train, "gaussian"), "--steps", "10", "--checkpoint", checkpoint, "--model", plain]);
        Assert.True(run.ExitCode == 0, run.ToString());

        var cases = new (string[] Args, string Expected)[]
        {
            ([.. Settings(other, "gaussian"), "--steps", "20", "--resume", checkpoint], "other training data"),
            ([.. Settings(train, "gaussian"), "--steps", "20", "--resume", checkpoint, "--lambda", "0.1"], "lambda=0.05, this run has lambda=0.1"),
            ([.. Settings(train, "gaussian"), "--steps", "8", "--resume", checkpoint], "beyond --steps 8"),
            ([.. Settings(train, "gaussian"), "--steps", "20", "--resume", plain], "not a train-nn checkpoint"),
            ([.. Settings(train, "gaussian"), "--steps", "20", "--resume", _dir.PathOf("absent.ckpt")], "model file not found"),
        };
        foreach (var (args, expected) in cases)
        {
            // --lambda is given twice in one case: replace the first instead.
            var effective = args.Count(a => a == "--lambda") > 1 ? WithoutFirst(args, "--lambda") : args;
            var refused = await Ntk.RunAsync(effective);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Single(refused.StderrLines);
            Assert.Contains(expected, refused.Stderr);
        }
    }

    private static string[] WithoutFirst(string[] args, string option)
    {
        int i = Array.IndexOf(args, option);
        return [.. args[..i], .. args[(i + 2)..]];
    }
}

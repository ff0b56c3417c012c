using System.Text.Json;
using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Progress;

/// <summary>
/// Progress through the real command line: a fit whose stderr is no terminal prints counted lines (done/total) for
/// its rounds; with --quiet it prints none, and its stdout and model are the same either way.
/// </summary>
public sealed class ProgressCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Regex CountLine = new(@"^ntk (?:fit|train-nn): (?<stage>[a-zA-Z -]+) (?<done>\d+)/(?<total>\d+)(?:: [^(]*)?(?: \((?<pct>\d+)%.*\))?$");

    [Fact]
    public async Task A_fit_prints_counted_progress_lines_and_the_same_results_as_with_quiet()
    {
        // 1500 training rows: two Gram row blocks of 1024; 300 test rows: one.
        string train = _dir.Write("train.csv", TestData.Csv(1500, seed: 3));
        string test = _dir.Write("test.csv", TestData.Csv(300, seed: 4));
        string model = _dir.PathOf("model.json");
        string[] args = ["fit", "--train", train, "--test", test, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "64",
            "--seed", "3", "--workers", "2", "--model", model, "--json"];

        var loud = await Ntk.RunAsync(args);
        Assert.True(loud.ExitCode == 0, loud.ToString());
        byte[] loudModel = File.ReadAllBytes(model);
        var quiet = await Ntk.RunAsync([.. args, "--quiet"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        // Lines mode: no carriage returns, the data line first, every round counted to its end.
        Assert.DoesNotContain('\r', loud.Stderr);
        Assert.Contains(loud.StderrLines, l => l.StartsWith("ntk fit: 1500 training rows × 3 features, 300 test rows", StringComparison.Ordinal));
        var counts = loud.StderrLines.Select(l => CountLine.Match(l)).Where(m => m.Success).ToList();
        Assert.All(counts, m => Assert.True(long.Parse(m.Groups["done"].Value) <= long.Parse(m.Groups["total"].Value), m.Value));
        string Last(string stage) => counts.Last(m => m.Groups["stage"].Value == stage).Value;
        Assert.StartsWith("ntk fit: Gram blocks 2/2 (100%", Last("Gram blocks"));
        // The training error comes from the normal equations here (noisy data): no round over the training rows.
        Assert.DoesNotContain(counts, m => m.Groups["stage"].Value == "training-error blocks");
        const string fromNormalEquations = "ntk fit: training error from the normal equations (yᵀy − 2βᵀΨᵀy + βᵀΨᵀΨβ), no pass over the rows";
        Assert.Contains(fromNormalEquations, loud.StderrLines);
        Assert.StartsWith("ntk fit: test-error blocks 1/1 (100%", Last("test-error blocks"));
        Assert.Contains("ntk fit: solving the 64×64 system", loud.StderrLines);
        // --quiet: the other lines only (the data line); the results are the same, to the bit for the model.
        const string note = "ntk fit: solving the 64×64 system";
        Assert.Equal(loud.StderrLines.Where(l => !CountLine.IsMatch(l) && l != note && l != fromNormalEquations), quiet.StderrLines);
        // Short logs: at most the first and the last line of each of the two rounds, and the two notes.
        Assert.InRange(loud.StderrLines.Length - quiet.StderrLines.Length, 2 + 2, 4 + 2);
        Assert.Equal(loudModel, File.ReadAllBytes(model));
        Assert.Equal(loud.StdoutLines.Length, quiet.StdoutLines.Length);
        Assert.Equal(loud.StdoutLines[0], quiet.StdoutLines[0]);
        Assert.Equal(Regex.Replace(loud.StdoutLines[1], @", [0-9.]+ s$", ""), Regex.Replace(quiet.StdoutLines[1], @", [0-9.]+ s$", ""));
        using var loudJson = JsonDocument.Parse(loud.StdoutLines[^1]);
        using var quietJson = JsonDocument.Parse(quiet.StdoutLines[^1]);
        string[] timing = ["seconds", "peak_mb"];
        var a = loudJson.RootElement.EnumerateObject().Where(p => !timing.Contains(p.Name)).Select(p => $"{p.Name}={p.Value.GetRawText()}").ToArray();
        var b = quietJson.RootElement.EnumerateObject().Where(p => !timing.Contains(p.Name)).Select(p => $"{p.Name}={p.Value.GetRawText()}").ToArray();
        Assert.Equal(a, b);
        Assert.Contains(a, p => p.StartsWith("train_mse=", StringComparison.Ordinal));
    }

    /// <summary>
    /// A real process with NTK_PROGRESS=bar draws the live bar (carriage returns, the bar's cells) for train-nn's steps;
    /// with --quiet the same run shows no progress but still its warnings.
    /// </summary>
    [Fact]
    public async Task A_process_draws_the_bar_when_asked_and_quiet_keeps_the_warnings()
    {
        string train = _dir.Write("train.csv", TestData.Csv(150, seed: 5));
        string[] args = ["train-nn", "--train", train, "--width", "200", "--lambda", "0.01", "--steps", "400", "--lr", "1e-4",
            "--workers", "1", "--no-reference", "--standardize"];
        var bar = await NtkProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, args);
        Assert.True(bar.ExitCode == 0, bar.ToString());
        Assert.Matches(new Regex(@"\rntk train-nn: step \[[#-]{20}\] \d+/400 \d+%"), bar.Stderr);
        Assert.Contains("steps/s", bar.Stderr);
        // 400 steps at a tiny η cannot converge: the warning comes after the bar was cleared, on a line of its own.
        Assert.Matches(new Regex(@"(?m)^ntk train-nn: warning: too few steps"), bar.Stderr.Replace("\r", "\n"));

        var quiet = await NtkProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, [.. args, "--quiet"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain('\r', quiet.Stderr);
        Assert.DoesNotContain("step", quiet.Stderr.Replace("too few steps", "").Replace("--steps", ""));
        Assert.Contains("ntk train-nn: warning: too few steps", quiet.Stderr);
        Assert.Equal(bar.Stdout.Split('\n')[0], quiet.Stdout.Split('\n')[0]);
    }
}

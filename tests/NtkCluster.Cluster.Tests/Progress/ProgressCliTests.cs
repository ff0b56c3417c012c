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

        // --verbose: every stage's first line and the fits' notes as well (without it, see the cv and demo tests).
        var loud = await Ntk.RunAsync([.. args, "--verbose"]);
        Assert.True(loud.ExitCode == 0, loud.ToString());
        byte[] loudModel = File.ReadAllBytes(model);
        var quiet = await Ntk.RunAsync([.. args, "--quiet"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        // Lines mode: no carriage returns, the data line first, every round counted to its end.
        Assert.DoesNotContain('\r', loud.Stderr);
        Assert.Contains(loud.StderrLines, l => l.StartsWith($"ntk fit: {train}: 1500 training rows × 3 features, target 'y' (the last column; choose another with --target COL), 300 test rows", StringComparison.Ordinal));
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
        Assert.Equal(Regex.Replace(loud.StdoutLines[1], @"[,;] [0-9.]+ s$", ""), Regex.Replace(quiet.StdoutLines[1], @"[,;] [0-9.]+ s$", ""));
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
        // 40 000 steps: a run must outlast the bar's first redraw (100 ms) for the bar to be drawn at all; 400 and then
        // 4000 steps took under 100 ms as the network steps got faster, and the bar was (rightly) never drawn.
        string[] args = ["train-nn", "--train", train, "--width", "200", "--lambda", "0.01", "--steps", "40000", "--lr", "1e-5",
            "--workers", "1", "--no-reference", "--standardize"];
        var bar = await NtkProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, args);
        Assert.True(bar.ExitCode == 0, bar.ToString());
        Assert.Matches(new Regex(@"\rntk train-nn: step \[[#-]{20}\] \d+/40000 \d+%"), bar.Stderr);
        Assert.Contains("steps/s", bar.Stderr);
        // 40 000 steps at a tiny η cannot converge: the warning comes after the bar was cleared, on a line of its own.
        Assert.Matches(new Regex(@"(?m)^ntk train-nn: warning: too few steps"), bar.Stderr.Replace("\r", "\n"));

        var quiet = await NtkProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, [.. args, "--quiet"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain('\r', quiet.Stderr);
        Assert.DoesNotContain("step", quiet.Stderr.Replace("too few steps", "").Replace("--steps", ""));
        Assert.Contains("ntk train-nn: warning: too few steps", quiet.Stderr);
        Assert.Equal(bar.Stdout.Split('\n')[0], quiet.Stdout.Split('\n')[0]);
    }

    /// <summary>A table row or heading with its timing (the last number of the line) removed: what must not change.</summary>
    private static string[] WithoutTimes(string[] lines) => lines.Select(l => Regex.Replace(l, @"\s+[0-9.]+$", "")).ToArray();

    private static readonly Regex DemoCount = new(@"^ntk demo: (?<stage>[a-zA-Z -]+) (?<done>\d+)/(?<total>\d+)(?: \((?<pct>\d+)%.*\))?$");

    /// <summary>
    /// <c>ntk demo</c> through the one mechanism: its fits' rounds as counted lines on stderr (no terminal here), its
    /// tables alone on stdout; with --quiet no progress at all and the same tables.
    /// </summary>
    [Fact]
    public async Task The_demo_shows_its_fits_progress_on_stderr_and_none_with_quiet()
    {
        var loud = await Ntk.RunAsync("demo", "--workers", "2");
        Assert.True(loud.ExitCode == 0, loud.ToString());
        var quiet = await Ntk.RunAsync("demo", "--workers", "2", "--quiet");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        Assert.DoesNotContain('\r', loud.Stderr);
        Assert.All(loud.StderrLines, l => Assert.StartsWith("ntk demo: ", l, StringComparison.Ordinal));
        // Without a terminal and without --verbose: the data line and one line for all the fits, no notes, no 0/N lines.
        Assert.StartsWith("ntk demo: the embedded diabetes data (442 rows × 10 features, target 'progression')", loud.StderrLines[0], StringComparison.Ordinal);
        Assert.InRange(loud.StderrLines.Length, 2, 4);
        Assert.StartsWith("ntk demo: fits 12/12 (100%", loud.StderrLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(loud.StderrLines, l => l.Contains("solving", StringComparison.Ordinal) || l.Contains(" 0/", StringComparison.Ordinal));
        var verbose = await Ntk.RunAsync("demo", "--workers", "2", "--verbose");
        Assert.True(verbose.ExitCode == 0, verbose.ToString());
        Assert.Contains("ntk demo: solving the 354×354 system", verbose.StderrLines);
        var counts = verbose.StderrLines.Select(l => DemoCount.Match(l)).Where(m => m.Success).ToList();
        // With --verbose: exact fits count kernel rows, primal ones Gram blocks, dual ones feature blocks and projections: each to its end.
        foreach (var stage in new[] { "kernel rows", "Gram blocks", "feature blocks", "projections", "test-error blocks" })
            Assert.Contains(counts, m => m.Groups["stage"].Value == stage && m.Groups["done"].Value == m.Groups["total"].Value && m.Groups["pct"].Value == "100");

        Assert.Equal("", quiet.Stderr);
        Assert.DoesNotContain(loud.StdoutLines, l => l.StartsWith("ntk ", StringComparison.Ordinal));
        Assert.Equal(WithoutTimes(quiet.StdoutLines), WithoutTimes(loud.StdoutLines));
        // Nine random-feature rows for diabetes and one for digits.
        Assert.Equal(10, loud.StdoutLines.Count(l => l.StartsWith("features ", StringComparison.Ordinal)));
    }

    /// <summary>On a terminal (NTK_PROGRESS=bar) the demo draws the bar and its fits' notes in place and clears them before each
    /// row: stderr holds no newline, so nothing is left between the rows of its tables.</summary>
    [Fact]
    public async Task On_a_terminal_the_demo_leaves_no_progress_line_between_its_table_rows()
    {
        var bar = await NtkProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["NTK_PROGRESS"] = "bar" }, "demo", "--workers", "2");
        Assert.True(bar.ExitCode == 0, bar.ToString());
        // The demo's own count of its fits leads the running fit's bar, in every frame that shows the count. Which frames a
        // run shows is timing: its twelve fits take about a second, redrawn every 100 ms, and a frame after a fit's note
        // shows the note — a fast run may show no count at all (the combined frame itself: ProgressRendererTests).
        var frames = bar.Stderr.Split('\r', '\n').Where(f => f.StartsWith("ntk demo: fits ", StringComparison.Ordinal)).ToList();
        var frame = new Regex(@"^ntk demo: fits (\d+/12 · [a-zA-Z -]+ \[[#-]{20}\] \d+/\d+ \d+%|\[[#-]{20}\] \d+/12 \d+%)");
        Assert.All(frames, f => Assert.Matches(frame, f));
        Assert.Contains("\rntk demo: solving the ", bar.Stderr);
        // No progress ends in a newline (a line of its own); anything before the last newline is not ours (a backend notice),
        // but for the data line, which comes before any table.
        Assert.StartsWith("ntk demo: the embedded diabetes data", bar.Stderr, StringComparison.Ordinal);
        var ended = bar.Stderr.Split('\n')[1..^1].Where(l => l.Contains("ntk demo: ", StringComparison.Ordinal)).ToList();
        Assert.True(ended.Count == 0, "progress lines ended by a newline: " + string.Join(" | ", ended.Select(l => l.Replace("\r", "⏎"))));
        Assert.DoesNotContain('\r', bar.Stdout);
        Assert.Equal(12, CliRun.Lines(bar.Stdout).Count(l => l.StartsWith("features ", StringComparison.Ordinal) || l.StartsWith("exact ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// <c>ntk bench gram</c>: runs counted on stderr, ending with the best times, which are the figures on stdout; stdout
    /// holds only the figures and the JSON line, with or without --quiet (which leaves stderr empty).
    /// </summary>
    [Fact]
    public async Task The_bench_counts_its_runs_on_stderr_and_keeps_its_figures_on_stdout()
    {
        string[] args = ["bench", "gram", "--rows", "2000", "--features", "64", "--repeats", "3", "--workers", "2", "--json"];
        var loud = await Ntk.RunAsync(args);
        Assert.True(loud.ExitCode == 0, loud.ToString());
        var quiet = await Ntk.RunAsync([.. args, "--quiet"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        Assert.DoesNotContain('\r', loud.Stderr);
        Assert.Equal("ntk bench gram: a random 2000×64 matrix (seed 0), 3 run(s), 2 worker(s)", loud.StderrLines[0]);
        var last = Regex.Match(loud.StderrLines[^1], @"^ntk bench gram: runs 3/3: best blocked (?<b>[0-9.]+) s, whole (?<w>[0-9.]+) s \(100%");
        Assert.True(last.Success, loud.ToString());
        Assert.Equal(2, loud.StderrLines.Length); // the data line and the stage's end: a short log

        foreach (var run in new[] { loud, quiet })
        {
            Assert.Equal(2, run.StdoutLines.Length);
            Assert.StartsWith("gram 2000×64 on ", run.StdoutLines[0], StringComparison.Ordinal);
            using var json = JsonDocument.Parse(run.StdoutLines[1]);
            Assert.Equal(3, json.RootElement.GetProperty("repeats").GetInt32());
            Assert.True(json.RootElement.GetProperty("seconds").GetDouble() > 0);
        }
        Assert.Equal("", quiet.Stderr);
        // The progress is about the runs measured: its best times are the reported figures.
        var figures = Regex.Match(loud.StdoutLines[0], @"blocked \(2 at once\) (?<b>[0-9.]+) s = .*whole matrix (?<w>[0-9.]+) s = ");
        Assert.True(figures.Success, loud.StdoutLines[0]);
        Assert.Equal(figures.Groups["b"].Value, last.Groups["b"].Value);
        Assert.Equal(figures.Groups["w"].Value, last.Groups["w"].Value);
    }
}

using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// The real built <c>ntk</c> program as a child process: the exit code the shell sees, the one-line error on the
/// real stderr, and the demo's table on the real stdout (nothing else, such as Akka's logging, in between).
/// </summary>
public sealed class ProcessTests
{
    private static Task<ProcessRun> RunNtkAsync(string workingDirectory, params string[] args) =>
        NtkProcess.RunAsync(workingDirectory, null, args);

    [Fact]
    public async Task Real_program_reports_bad_input_with_exit_code_2_and_runs_the_demo()
    {
        using var dir = new CliTempDirectory();

        var bad = await RunNtkAsync(dir.Path, "fit", "--train", "missing.csv", "--kernel", "ntk", "--lambda", "1");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        var errorLines = CliRun.Lines(bad.Stderr);
        Assert.True(errorLines.Length == 1, $"expected one stderr line\n{bad}");
        Assert.Contains("missing.csv", errorLines[0]);
        Assert.DoesNotContain("   at ", bad.Stderr);
        Assert.Equal("", bad.Stdout);

        var demo = await RunNtkAsync(dir.Path, "demo");
        Assert.True(demo.ExitCode == 0, demo.ToString());
        var lines = CliRun.Lines(demo.Stdout);
        Assert.Contains(lines, l => l.Contains("exact", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.StartsWith("features", StringComparison.Ordinal)) >= 5, demo.ToString());
        // One exact row for the regression table and one for the digits classification after it.
        Assert.Equal(2, lines.Count(l => l.StartsWith("exact ", StringComparison.Ordinal)));
        int digits = Array.FindIndex(lines, l => l.StartsWith("digits (classification)", StringComparison.Ordinal));
        Assert.True(digits > 0, demo.ToString());
        var exactClassifier = lines.Skip(digits).First(l => l.StartsWith("exact ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // exact, n/a, train accuracy, test accuracy, seconds: one-vs-rest rbf ridge on digits is about 99% right.
        double testAccuracy = double.Parse(exactClassifier[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(testAccuracy, 0.95, 1.0);
        Assert.Empty(dir.FileNames());
    }
}

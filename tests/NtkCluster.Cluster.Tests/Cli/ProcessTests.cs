using System.Diagnostics;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// The real built <c>ntk</c> program as a child process: the exit code the shell sees, the one-line error on the
/// real stderr, and the demo's table on the real stdout (nothing else, such as Akka's logging, in between).
/// </summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }

    private static async Task<ProcessRun> RunNtkAsync(string workingDirectory, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ntk.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the test assembly");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("NTK_DEBUG");

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            Assert.Fail($"ntk {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s and was killed\n" +
                        $"--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

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
        Assert.Single(lines, l => l.StartsWith("exact ", StringComparison.Ordinal));
        Assert.Empty(dir.FileNames());
    }
}

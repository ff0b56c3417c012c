using System.Diagnostics;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>The outcome of a real <c>ntk</c> process.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built <c>ntk</c> program (next to the test assembly) as a child process with its own environment, and
/// kills it if it overruns, so a hung process never outlives the test.
/// </summary>
public static class NtkProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<ProcessRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
        params string[] args) =>
        await RunToEndAsync(StartInfo(workingDirectory, environment, args), $"ntk {string.Join(' ', args)}", DefaultTimeout);

    /// <summary>How to start the built <c>ntk</c> with these arguments, its output redirected (for a test that must
    /// interrupt it, where <see cref="RunAsync"/> waits for the end).</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ntk.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the test assembly");
        var psi = new ProcessStartInfo(DotnetHost)
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
        psi.Environment.Remove("NTK_BACKEND");
        psi.Environment.Remove("NTK_OPENBLAS_LIBRARY");
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs a prepared child process with no input to its end, collecting its output; kills its whole
    /// process tree and fails the test if it overruns <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunToEndAsync(ProcessStartInfo psi, string description, TimeSpan timeout)
    {
        psi.RedirectStandardOutput = psi.RedirectStandardError = psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            Assert.Fail($"{description} did not finish within {timeout.TotalSeconds} s and was killed\n" +
                        $"--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }
        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}

using System.Diagnostics;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Outputs that are not plain files, through the real <c>ntk</c> program (issue 15, items 1, 8 and 12):
/// <c>/dev/stdout</c> and <c>-</c> write to the process's standard output, a full device fails with one line and exit
/// code 2, a symbolic link keeps pointing at its replaced target, and SIGTERM or SIGINT (Ctrl-C) during a report
/// removes its staging directory.
/// </summary>
public sealed class OutputTargetProcessTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ProcessRun> RunNtkAsync(params string[] args) => NtkProcess.RunAsync(_dir.Path, null, args);

    [Theory]
    [InlineData("/dev/stdout")]
    [InlineData("-")]
    public async Task Predictions_to_standard_output_reach_the_pipe(string output)
    {
        var run = await RunNtkAsync("predict", "--model", model.ModelPath, "--data", model.TrainPath, "--out", output, "--workers", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = CliRun.Lines(run.Stdout);
        Assert.Equal("prediction", lines[0]);
        Assert.Equal(41, lines.Length); // the header and one prediction per row of the 40-row training file
        Assert.Empty(_dir.FileNames());
    }

    [Fact]
    public async Task A_full_device_as_model_is_one_line_and_exit_code_2_and_stays_a_device()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full")) return;
        var run = await RunNtkAsync("fit", "--train", model.TrainPath, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "20",
            "--workers", "1", "--quiet", "--model", "/dev/full");
        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = CliRun.Lines(run.Stderr);
        Assert.Single(lines, l => l.Contains("error", StringComparison.Ordinal));
        Assert.Contains("error: cannot write /dev/full: No space left on device", lines[^1]);
        Assert.Equal(NtkCluster.Numerics.Data.PathKind.Device, NtkCluster.Numerics.Data.FileKind.Of("/dev/full"));
    }

    [Fact]
    public async Task A_symbolic_link_as_out_keeps_pointing_at_its_replaced_target()
    {
        Directory.CreateDirectory(_dir.PathOf("results"));
        string target = _dir.Write("results/predictions.csv", "old\n");
        string link = _dir.PathOf("latest.csv");
        File.CreateSymbolicLink(link, "results/predictions.csv");

        var run = await Ntk.RunAsync("predict", "--model", model.ModelPath, "--data", model.TrainPath, "--out", link, "--workers", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("results/predictions.csv", new FileInfo(link).LinkTarget);
        Assert.StartsWith("prediction\n", File.ReadAllText(target));
        Assert.Equal(["latest.csv", "results/predictions.csv"], _dir.FileNames());
    }

    [Fact]
    public async Task Empty_paths_and_a_huge_block_timeout_are_one_line_and_exit_code_2()
    {
        foreach (var args in new[]
                 {
                     new[] { "fit", "--train", "", "--kernel", "ntk", "--lambda", "1" },
                     ["predict", "--model", model.ModelPath, "--data", model.TrainPath, "--out", ""],
                     ["fit", "--train", model.TrainPath, "--kernel", "ntk", "--lambda", "1", "--model", ""],
                     ["report", "--train", model.TrainPath, "--out", ""],
                     ["fit", "--train", model.TrainPath, "--kernel", "ntk", "--lambda", "1", "--block-timeout", "1e300"],
                 })
        {
            var run = await Ntk.RunAsync(args);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}\n{run}");
            Assert.True(run.StderrLines.Length == 1, run.ToString());
            Assert.DoesNotContain("internal error", run.Stderr);
        }
        Assert.Empty(_dir.FileNames());
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")] // Ctrl-C
    public async Task Sigterm_during_a_report_removes_its_staging_directory(string signal)
    {
        if (!OperatingSystem.IsLinux()) return;
        string train = _dir.Write("train.csv", TestData.Csv(300, seed: 7));
        var psi = NtkProcess.StartInfo(_dir.Path, null, "report", "--train", train, "--out", _dir.PathOf("report"), "--features", "8,16,32,64",
            "--repeats", "2", "--widths", "8,32,128", "--steps", "3000", "--workers", "1", "--quiet");
        if (signal == "INT")
        {
            // Ctrl-C reaches a terminal's foreground job, whose SIGINT has its default action. A test run started in
            // the background of a non-interactive shell (`dotnet test … &`, some CI runners) ignores SIGINT, every child
            // inherits that, and ntk rightly keeps ignoring it (as the runtime does): start ntk through perl (Debian's
            // perl-base is always there) with SIGINT's default action restored, as a terminal would have it.
            string[] command = [psi.FileName, .. psi.ArgumentList];
            psi.ArgumentList.Clear();
            foreach (string arg in (string[])["-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\"", "--", .. command])
                psi.ArgumentList.Add(arg);
            psi.FileName = "perl";
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!Directory.EnumerateDirectories(_dir.Path).Any(d => Path.GetFileName(d).StartsWith(".report.", StringComparison.Ordinal)))
            {
                if (process.HasExited) Assert.Fail($"the report ended before its staging directory was seen\n{await stderr}");
                Assert.True(DateTime.UtcNow < deadline, "no staging directory within 60 s");
                await Task.Delay(20);
            }
            await Task.Delay(300); // into the work
            if (process.HasExited) Assert.Fail($"the report ended before SIGTERM\n{await stderr}");
            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await stdout;
        Assert.Equal(["train.csv"], _dir.FileNames());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_dir.Path), e => Path.GetFileName(e).StartsWith('.'));
    }
}

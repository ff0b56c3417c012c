using System.Diagnostics;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// A disk that fills up while <c>--model</c> is written (issue 15, item 8), simulated with a real filesystem: a 64 KiB
/// tmpfs mounted for the test (root only; elsewhere the test returns at once, and <c>/dev/full</c> covers the device
/// case). The fit fails with one line and exit code 2, the model that was there is untouched, and no temporary file
/// is left on the full disk.
/// </summary>
public sealed class FullDiskProcessTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();
    private readonly string _disk;
    private readonly bool _mounted;

    public FullDiskProcessTests()
    {
        _disk = Path.Combine(_dir.Path, "disk");
        Directory.CreateDirectory(_disk);
        if (!OperatingSystem.IsLinux()) return;
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", _disk])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        mount.WaitForExit(10_000);
        _mounted = mount.ExitCode == 0;
    }

    public void Dispose()
    {
        if (_mounted)
            using (var umount = Process.Start(new ProcessStartInfo("umount", [_disk]) { RedirectStandardError = true })!)
                umount.WaitForExit(10_000);
        _dir.Dispose();
    }

    [Fact]
    public async Task A_model_that_does_not_fit_on_the_disk_is_one_line_exit_code_2_and_the_old_model_is_untouched()
    {
        if (!_mounted) return; // needs root (mount); /dev/full is tested in OutputTargetProcessTests
        string train = _dir.Write("train.csv", TestData.Csv(200, seed: 3));
        string old = Path.Combine(_disk, "model.json");
        File.WriteAllText(old, "{\"the\":\"previous model\"}");

        // 2000 draws of 3 columns and 2000 coefficients: a model of about 200 KB, on a 64 KiB disk.
        var run = await NtkProcess.RunAsync(_dir.Path, null, "fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1",
            "--features", "2000", "--workers", "1", "--quiet", "--model", old);

        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = CliRun.Lines(run.Stderr);
        Assert.Single(lines, l => l.Contains("error", StringComparison.Ordinal));
        Assert.Contains("No space left on device", lines[^1]);
        Assert.Contains(old, lines[^1]);
        // The line names the path the user gave, not the temporary file (.model.json.RANDOM-PID.tmp) beside it.
        Assert.DoesNotContain(".model.json.", lines[^1]);
        Assert.DoesNotContain(".tmp", lines[^1]);
        Assert.DoesNotContain("internal error", run.Stderr);
        Assert.Equal("{\"the\":\"previous model\"}", File.ReadAllText(old));
        Assert.Equal(["model.json"], Directory.GetFileSystemEntries(_disk).Select(Path.GetFileName));
    }
}

using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>A file with no line breaks, through the real program (issue 15, item 9): refused with its line number and
/// exit code 2 once the line passes 64 MiB, not read into memory without bound.</summary>
public sealed class InputLimitProcessTests
{
    [Fact]
    public async Task Train_from_dev_zero_is_refused_at_line_1()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/zero")) return;
        using var dir = new CliTempDirectory();
        var run = await NtkProcess.RunAsync(dir.Path, null, "fit", "--train", "/dev/zero", "--kernel", "ntk", "--lambda", "1", "--quiet");
        Assert.True(run.ExitCode == 2, run.ToString());
        var lines = CliRun.Lines(run.Stderr);
        Assert.Single(lines);
        Assert.Contains("/dev/zero:1: line 1 is longer than 64 MiB", lines[0]);
        Assert.Empty(dir.FileNames());
    }
}

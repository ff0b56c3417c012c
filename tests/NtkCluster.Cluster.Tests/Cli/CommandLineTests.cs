using NtkCluster.Worker;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// What System.CommandLine refuses reaches the user as this program's one-line errors (exit code 2, nothing on
/// stdout), typed values are refused before any work, and the [suggest] directive gives shells their completions.
/// </summary>
public sealed class CommandLineTests
{
    private static async Task<string> Refused(params string[] args)
    {
        var run = await Ntk.RunAsync(args);
        Assert.True(run.ExitCode == 2, $"expected exit code 2\n{run}");
        Assert.Equal("", run.Stdout);
        Assert.Single(run.StderrLines);
        return run.StderrLines[0];
    }

    [Theory]
    [InlineData(new[] { "fit", "--json", "--json" }, "ntk fit: error: option --json given twice")]
    [InlineData(new[] { "fit", "--train", "a.csv", "--train", "b.csv" }, "ntk fit: error: option --train given twice")]
    [InlineData(new[] { "fit", "--json=1" }, "ntk fit: error: option --json takes no value")]
    [InlineData(new[] { "fit", "--train" }, "ntk fit: error: option --train needs a value")]
    [InlineData(new[] { "fit", "--train", "--lamda", "1" }, "ntk fit: error: option --train needs a value")]
    [InlineData(new[] { "fit", "data.csv" }, "ntk fit: error: unexpected argument 'data.csv' for 'ntk fit' (see ntk fit --help)")]
    [InlineData(new[] { "fit", "--lamda=1" }, "ntk fit: error: unknown option '--lamda' for 'ntk fit' (see ntk fit --help)")]
    [InlineData(new[] { "fit", "--lambda", "abc" }, "ntk fit: error: --lambda 'abc' is not a finite number")]
    [InlineData(new[] { "fit", "--lambda", "NaN" }, "ntk fit: error: --lambda 'NaN' is not a finite number")]
    [InlineData(new[] { "fit", "--workers", "1.5" }, "ntk fit: error: --workers '1.5' is not a whole number")]
    [InlineData(new[] { "fit", "--seed", "-1" }, "ntk fit: error: --seed '-1' is not a non-negative whole number")]
    [InlineData(new[] { "bench" }, "ntk bench: error: ntk bench needs a benchmark name: gram (see ntk bench --help)")]
    [InlineData(new[] { "bench", "gram", "--zz" }, "ntk bench: error: unknown option '--zz' for 'ntk bench gram' (see ntk bench gram --help)")]
    [InlineData(new[] { "--zz" }, "ntk: unknown command '--zz' (known: fit, cv, predict, inspect, features, spectral, sweep, train-nn, width-sweep, report, demo, bench, coordinator, status; see ntk --help)")]
    public async Task A_refused_command_line_is_one_documented_line(string[] args, string line) =>
        Assert.Equal(line, await Refused(args));

    [Fact]
    public async Task Values_are_read_as_given_with_an_equals_sign_too()
    {
        // The kernel is checked before any data is read, so this shows --kernel=poly reached the command as 'poly'.
        Assert.Contains("unknown kernel 'poly'", await Refused("fit", "--train=x.csv", "--kernel=poly", "--lambda=0.1"));
    }

    [Theory]
    [InlineData("ntk fit --samp", "--sampling")]
    [InlineData("ntk fit --sampling ", "leverage")]
    [InlineData("ntk fit --sampling ", "plain")]
    [InlineData("ntk width", "width-sweep")]
    public async Task The_suggest_directive_completes_commands_options_and_values(string line, string expected)
    {
        var run = await Ntk.RunAsync($"[suggest:{line.Length}]", line);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(expected, run.StdoutLines);
    }

    [Fact]
    public async Task Help_wins_over_other_errors_and_the_version_prints()
    {
        var help = await Ntk.RunAsync("fit", "--zz", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("usage: ntk fit ", help.Stdout);
        var version = await Ntk.RunAsync("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Equal($"ntk {NtkCluster.ProgramInfo.Version}\n", version.Stdout.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--port", "x" }, "ntk-worker: --port 'x' is not a port number (0 to 65535)")]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--threads", "0" }, "ntk-worker: --threads '0' is not a number of threads from 1 to 1024")]
    [InlineData(new[] { "--port", "4053" }, "ntk-worker: --seeds is required: the coordinator's host:port")]
    [InlineData(new[] { "--seeds" }, "ntk-worker: option --seeds needs a value")]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--zz" }, "ntk-worker: unknown option '--zz' for 'ntk-worker' (see ntk-worker --help)")]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--memory", "lots" }, "ntk-worker: --memory 'lots' is not a memory size (e.g. 512m, 2g, or bytes)")]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--memory", "-1g" }, "ntk-worker: --memory '-1g' is not a memory size (e.g. 512m, 2g, or bytes)")]
    [InlineData(new[] { "--seeds", "127.0.0.1:4053", "--memory", "2q" }, "ntk-worker: --memory '2q' is not a memory size (e.g. 512m, 2g, or bytes)")]
    public void The_worker_refuses_bad_usage_with_one_line(string[] args, string line)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (settings, code) = WorkerCommandLine.Parse(args, stdout, stderr);
        Assert.Null(settings);
        Assert.Equal(2, code);
        Assert.Equal("", stdout.ToString());
        Assert.Equal(line, stderr.ToString().TrimEnd('\n', '\r'));
    }

    [Fact]
    public void The_worker_reads_its_options_into_the_node_settings_and_prints_its_help()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (settings, code) = WorkerCommandLine.Parse(["--seeds", "10.0.0.5:4053", "--host", "0.0.0.0", "--public-host", "w1", "--port", "4054",
            "--threads", "3", "--backend", "managed"], stdout, stderr);
        Assert.Equal(0, code);
        Assert.NotNull(settings);
        Assert.Equal(("0.0.0.0", "w1", 4054, 3, "managed"), (settings.Node.Host, settings.Node.PublicHost, settings.Node.Port, settings.Threads, settings.Backend));
        Assert.Equal(["10.0.0.5:4053"], settings.Node.Seeds);
        Assert.Equal(NtkCluster.Numerics.Partitions.PartitionRowCache.DefaultBudget, settings.MemoryBytes);

        var (help, _) = (new StringWriter(), 0);
        var (none, helpCode) = WorkerCommandLine.Parse(["--help"], help, stderr);
        Assert.Null(none);
        Assert.Equal(0, helpCode);
        Assert.Equal(WorkerCommandLine.Help, help.ToString());
        Assert.Equal("", stderr.ToString());
    }

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("64KB", 64L << 10)]
    [InlineData("1000000", 1000000L)]
    [InlineData("0", 0L)]
    public void The_worker_reads_its_memory_budget_in_binary_units(string text, long bytes)
    {
        var (settings, code) = WorkerCommandLine.Parse(["--seeds", "10.0.0.5:4053", "--memory", text], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        Assert.Equal(bytes, settings!.MemoryBytes);
    }
}

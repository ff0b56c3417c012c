using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Worker;
using Xunit;

namespace NtkCluster.Cluster.Tests.Shipping;

/// <summary><c>ntk fit --rows</c> and <c>ntk-worker --cache-dir/--cache-size</c>: read as typed, refused with one line.</summary>
public sealed class RowsOptionTests
{
    [Fact]
    public async Task An_unknown_rows_mode_is_refused_with_one_line()
    {
        var run = await Ntk.RunAsync("fit", "--train", "data", "--kernel", "rbf:gamma=1", "--lambda", "1", "--features", "8", "--rows", "sometimes");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("ntk fit: error: --rows must be auto|shared|shipped, got 'sometimes'", Assert.Single(run.StderrLines));
    }

    /// <summary>Every command that runs a partitioned job on the workers takes --rows (an unknown option would be refused otherwise).</summary>
    [Theory]
    [InlineData("spectral", new[] { "--kernel", "rbf:gamma=1", "--lambda", "1", "--features", "8" })]
    [InlineData("sweep", new[] { "--kernel", "rbf:gamma=1", "--lambda", "1", "--features", "8" })]
    [InlineData("cv", new[] { "--kernel", "rbf:gamma=1", "--lambda", "1", "--features", "8" })]
    [InlineData("train-nn", new[] { "--width", "8", "--lambda", "1", "--steps", "2" })]
    [InlineData("report", new[] { "--out", "report-dir" })]
    public async Task Every_partitioned_job_command_reads_the_rows_mode(string command, string[] options)
    {
        var run = await Ntk.RunAsync([command, "--train", "data", .. options, "--rows", "sometimes"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"ntk {command}: error: --rows must be auto|shared|shipped, got 'sometimes'", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void The_worker_reads_its_cache_options()
    {
        var (settings, code) = WorkerCommandLine.Parse(["--seeds", "127.0.0.1:4053", "--cache-dir", "cache-here", "--cache-size", "2GiB"], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.Equal(Path.GetFullPath("cache-here"), settings!.CacheDirectory);
        Assert.Equal(2L << 30, settings.CacheBytes);

        var (defaults, _) = WorkerCommandLine.Parse(["--seeds", "127.0.0.1:4053"], TextWriter.Null, TextWriter.Null);
        Assert.Null(defaults!.CacheDirectory);
        Assert.Equal(10L << 30, defaults.CacheBytes);
    }

    [Fact]
    public void A_bad_cache_size_is_refused_with_one_line()
    {
        var stderr = new StringWriter();
        var (settings, code) = WorkerCommandLine.Parse(["--seeds", "127.0.0.1:4053", "--cache-size", "lots"], TextWriter.Null, stderr);
        Assert.Null(settings);
        Assert.Equal(2, code);
        Assert.Equal("ntk-worker: --cache-size 'lots' is not a memory size (e.g. 512m, 2g, or bytes)", stderr.ToString().TrimEnd());
    }
}

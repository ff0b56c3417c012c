using System.Globalization;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk spectral</c> and <c>ntk report</c> with <c>--train DIR</c> through the real command line: spectral prints the
/// library's numbers for a 3-partition directory, and the report runs on a directory, states that its sweep and networks
/// saw a hashed sample, and its all-rows table holds the spectral job's ε.
/// </summary>
public sealed class PartitionedSpectralCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Spectral_on_a_directory_prints_the_library_outcome_and_says_what_the_sample_is()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 5, 900, 600, 1100);
        var settings = new FitSettings
        {
            KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 50, Seed = 8, PoolSize = 500, Sampling = FeatureSampling.Leverage, Standardize = true,
        };
        var data = PartitionedDataset.Resolve(train);
        var library = await new SpectralAnalyzer(new InProcessBlockRounds(2)).AnalyzePartitionedAsync("lib", train, data.Partitions,
            PartitionColumns.ForTraining(data, null, null), null, settings, 0.25, 0.1, 300);

        var run = await Ntk.RunAsync(["spectral", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.05", "--features", "50", "--seed", "8",
            "--pool", "500", "--sampling", "leverage", "--standardize", "--exact-rows", "300", "--workers", "2", "--json"]);
        output.WriteLine(run.ToString());
        var json = Json(run);
        Assert.Equal(library.Epsilon, json.GetProperty("epsilon").GetDouble());
        Assert.Equal(library.SLambda, json.GetProperty("s_lambda").GetDouble());
        Assert.Equal(library.MBound, json.GetProperty("m_bound").GetDouble());
        Assert.Equal((300, 2600), (json.GetProperty("rows_used").GetInt32(), json.GetProperty("rows").GetInt32()));
        Assert.False(json.GetProperty("epsilon_exact").GetBoolean());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("epsilon ≥ ", StringComparison.Ordinal) && l.Contains("lower bound from 300 of 2600 rows"));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("note: the 2600 rows of a partitioned dataset are never in one place", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.StartsWith($"ntk spectral: 3 partition(s) of {train} (3 CSV file(s)) × 3 features", StringComparison.Ordinal));

        // Every row sampled: ε exact, no sample note.
        var exact = await Ntk.RunAsync(["spectral", "--train", Path.Combine(train, "part-*.csv"), "--kernel", "rbf:gamma=0.5", "--lambda", "0.05",
            "--features", "50", "--exact-rows", "3000", "--pool", "500", "--json"]);
        var exactJson = Json(exact);
        Assert.True(exactJson.GetProperty("epsilon_exact").GetBoolean());
        Assert.Equal(2600, exactJson.GetProperty("rows_used").GetInt32());
        Assert.DoesNotContain(exact.StdoutLines, l => l.Contains("never in one place", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_on_a_directory_runs_says_what_ran_on_a_sample_and_holds_the_spectral_jobs_epsilon()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 7, 60, 50, 70);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 17, 30, 30);
        string outDir = _dir.PathOf("report");
        var run = await Ntk.RunAsync(["report", "--train", train, "--test", test, "--out", outDir, "--standardize", "--scale-target",
            "--features", "4,8,16", "--repeats", "1", "--pool", "400", "--widths", "8,16", "--steps", "10", "--exact-rows", "100", "--workers", "2"]);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.Contains(run.StderrLines, l => l.Contains("the sweep and the networks run on a hashed sample of 100 training rows and 60 test rows", StringComparison.Ordinal));

        var lines = File.ReadAllLines(Path.Combine(outDir, "partitioned.csv")).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        Assert.Equal(["features", "sampling", "epsilon", "epsilon_exact", "rows_used", "rows", "s_lambda", "s_lambda_exact", "m_bound", "train_mse", "test_mse"], header);
        double Cell(int row, string column) => double.Parse(lines[row].Split(',')[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
        Assert.Equal((16.0, 0.0, 100.0, 180.0), (Cell(1, "features"), Cell(1, "sampling"), Cell(1, "rows_used"), Cell(1, "rows")));
        Assert.True(Cell(1, "test_mse") > 0);

        // The same job by hand: 'ntk spectral' on the directory with the report's settings (rbf γ = 1/d, λ = 0.1, seed 0).
        var spectral = Json(await Ntk.RunAsync(["spectral", "--train", train, "--kernel", $"rbf:gamma={(1.0 / 3).ToString("R", CultureInfo.InvariantCulture)}",
            "--lambda", "0.1", "--features", "16", "--pool", "400", "--standardize", "--scale-target", "--exact-rows", "100", "--json"]));
        Assert.Equal(spectral.GetProperty("epsilon").GetDouble(), Cell(1, "epsilon"));
        Assert.Equal(spectral.GetProperty("m_bound").GetDouble(), Cell(1, "m_bound"));

        // The sweep's and the networks' captions say they saw a sample, not all rows.
        string markdown = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("On a hashed sample of 100 of the 180 training rows", markdown);
        Assert.Contains("| rows | 180 training rows in 3 partition(s); the sweep and the networks ran on a hashed sample of 100 of them", markdown);
    }
}

using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Random;
using NtkCluster.Numerics.Spectral;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// A sweep of a partitioned dataset (plain and leverage sampling): each point's error is the partitioned fit's, ε is measured on
/// the hashed bottom-k sample of the rows — all of them when they fit, so ε is then exact and equals ε of the whole
/// kernel matrix computed in memory — and the outcome is bitwise the same in-process and in local mode.
/// </summary>
public sealed class PartitionedSweepTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static SubmitPartitionedSweep Submission(string train, string? test, FitSettings settings, int[] counts, int repeats, int exactRows)
    {
        var fit = PartitionedFitTests.Submission(train, test, settings);
        return new SubmitPartitionedSweep(train, fit.Train, fit.Columns, fit.Test, null, settings, counts, repeats, exactRows);
    }

    internal static Task<SweepOutcome> InProcessAsync(SubmitPartitionedSweep s, int parallelism = 2) =>
        new PartitionedSweepRunner(new InProcessBlockRounds(parallelism))
            .RunAsync("sweep-lib", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings, s.FeatureCounts, s.Repeats, s.ExactRowLimit);

    internal static void AssertSamePoints(SweepOutcome expected, SweepOutcome actual)
    {
        static long[] Bits(SweepOutcome o) => o.Points.SelectMany(p => new[] { p.Epsilon, p.Error, p.TrainError }).Append(o.ExactError ?? -1)
            .Select(BitConverter.DoubleToInt64Bits).ToArray();
        Assert.Equal(Bits(expected), Bits(actual));
        Assert.Equal((expected.EpsilonIsExact, expected.Rows), (actual.EpsilonIsExact, actual.Rows));
    }

    [Fact]
    public async Task With_every_row_sampled_epsilon_is_the_whole_kernels_and_each_error_is_the_partitioned_fits()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 3, 300, 450, 250);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 13, 300);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 1, Seed = 7, Standardize = true };
        var outcome = await InProcessAsync(Submission(train, test, settings, [20, 80], repeats: 1, exactRows: 1000));
        Assert.True(outcome.EpsilonIsExact);
        Assert.Equal(1000, outcome.Rows);
        Assert.NotNull(outcome.ExactError);
        Assert.Equal(["plain", "leverage", "plain", "leverage"], outcome.Points.Select(p => p.Sampling));

        // Independent ε: the rows loaded whole, preprocessed in memory, the full kernel matrix and the fit's own draws.
        var rows = Enumerable.Range(0, 3).SelectMany(i => TestData.Parse(Path.Combine(train, $"part-{i:D5}.csv")).Rows).ToArray();
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows.Length, 3, (i, j) => rows[i][j]);
        var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows.Length, 1, (i, _) => rows[i][3]);
        var xs = Preprocessor.Fit(x, y, true, false, false).TransformFeatures(x);
        var kernel = KernelSpec.Parse("rbf:gamma=0.5");
        foreach (var (m, point) in new[] { 20, 80 }.Zip(outcome.Points.Where(p => p.Sampling == "plain")))
        {
            var fit = await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, test, settings with { Features = m }));
            Assert.Equal(fit.TestMse!.Value, point.Error);
            Assert.Equal(fit.TrainMse, point.TrainError);
            double eps = SpectralApproximation.Measure(kernel.Evaluate(xs, xs), FeatureMap.Build(fit.Model.Draws!, xs), 0.05).Epsilon;
            Assert.Equal(eps, point.Epsilon, 1e-9 * eps);
        }
        Assert.True(outcome.Points[2].Epsilon < outcome.Points[0].Epsilon); // more features, a better approximation

        AssertSamePoints(outcome, await InProcessAsync(Submission(train, test, settings, [20, 80], 1, 1000), parallelism: 1));
        await using var cluster = await LocalCluster.StartAsync(3);
        AssertSamePoints(outcome, await cluster.RunAsync<SweepOutcome>(Submission(train, test, settings, [20, 80], 1, 1000)));
    }

    [Fact]
    public async Task Beyond_exact_rows_the_sample_is_the_rows_of_smallest_hash_and_epsilon_a_lower_bound()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 5, 400, 300, 500);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 1, Seed = 2 };
        var submission = Submission(train, null, settings, [30], repeats: 2, exactRows: 150);
        var counted = PartitionedDataset.Resolve(train).CountRows();
        var sample = await RowSampleRounds.GatherAsync(new InProcessBlockRounds(2), "s", counted.Partitions, submission.Columns, null, 2, 150, 1200);
        long[] expected = Enumerable.Range(0, 1200).Select(r => (long)r)
            .OrderBy(r => RowSample.Hash(2, r)).ThenBy(r => r).Take(150).Order().ToArray();
        Assert.Equal(expected, sample.Rows);
        var rows = Enumerable.Range(0, 3).SelectMany(i => TestData.Parse(Path.Combine(train, $"part-{i:D5}.csv")).Rows).ToArray();
        Assert.Equal(expected.Select(r => rows[r][3]), sample.Y.Column(0).ToArray());

        var outcome = await InProcessAsync(submission);
        Assert.False(outcome.EpsilonIsExact);
        Assert.Null(outcome.ExactError);
        Assert.False(outcome.HasTest);
        Assert.Equal(2, outcome.Repeats);
        await using var cluster = await LocalCluster.StartAsync(2);
        AssertSamePoints(outcome, await cluster.RunAsync<SweepOutcome>(submission));
    }

    [Fact]
    public async Task Leverage_points_with_exact_scores_are_the_in_memory_sweeps_on_the_same_rows()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 23, 250, 200, 300);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 33, 200);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 1, Seed = 9, Standardize = true };
        var outcome = await InProcessAsync(Submission(train, test, settings, [15, 40], repeats: 2, exactRows: 1000));

        // The same rows loaded whole: the in-memory sweep scores one pool per seed with exact leverage scores (750 rows)
        // and selects every M from it; the partitioned fit scores the same pool again per M, on the gathered rows.
        static Dataset Load(string dir, int parts, string file)
        {
            File.WriteAllText(file, PartitionedFitTests.Concatenated(dir, parts));
            return Dataset.FromTable(CsvTable.Read(file), null);
        }
        var inMemory = await new SweepRunner(new InProcessBlockRounds(2)).RunAsync("mem", Load(train, 3, Path.Combine(_dir.Path, "train.csv")),
            Load(test, 1, Path.Combine(_dir.Path, "test.csv")), settings, [15, 40], 2, 1000);
        Assert.Equal(inMemory.PoolSize, outcome.PoolSize);
        Assert.Equal(inMemory.Points.Select(p => (p.Features, p.Sampling)), outcome.Points.Select(p => (p.Features, p.Sampling)));
        foreach (var (e, a) in inMemory.Points.Zip(outcome.Points))
        {
            // Same draws and models; the test errors are summed per partition, ε from a kernel matrix built another way.
            Assert.True(Math.Abs(a.Error - e.Error) <= 1e-9 * e.Error, $"M={e.Features} {e.Sampling}: error {a.Error:R} vs in memory {e.Error:R}");
            Assert.True(Math.Abs(a.Epsilon - e.Epsilon) <= 1e-7 * e.Epsilon, $"M={e.Features} {e.Sampling}: ε {a.Epsilon:R} vs in memory {e.Epsilon:R}");
        }
        Assert.True(Math.Abs(outcome.PoolFloor - inMemory.PoolFloor) <= 1e-9 * inMemory.PoolFloor);
        // Not vacuous: leverage and plain draws differ.
        Assert.NotEqual(outcome.Points[0].Error, outcome.Points[1].Error);
    }
}

using System.Globalization;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Cluster.Tests.Transport;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Random;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// <c>ntk spectral</c> on a partitioned dataset: the hashed row sample is the selection an independent brute force makes
/// on the concatenated file, gathered bitwise the same in-process and on a loopback cluster; and the spectral report is
/// bitwise the same in the library's in-process rounds, in local mode and on a loopback cluster — exact when the sample
/// is every row (and then, to rounding, the report of the same rows loaded whole), a lower bound beyond.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedSpectralTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // A small pool keeps exact leverage scoring quick; the draws are as 'ntk spectral' makes them.
    private static readonly FitSettings Plain = new()
    {
        KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 60, Seed = 3, PoolSize = 800, Standardize = true, ScaleTarget = true,
    };

    private static readonly FitSettings Leverage = Plain with { Sampling = FeatureSampling.Leverage, KernelSpec = "laplace:gamma=0.4" };

    private static SubmitPartitionedSpectral Submission(string train, FitSettings settings, int exactRows, RowSplit? split = null)
    {
        var data = PartitionedDataset.Resolve(train);
        return new SubmitPartitionedSpectral(train, data.Partitions, PartitionColumns.ForTraining(data, null, null), split, settings, 0.25, 0.1, exactRows);
    }

    private static Task<SpectralOutcome> InProcessAsync(SubmitPartitionedSpectral s, int parallelism = 2) =>
        Analyze(new InProcessBlockRounds(parallelism), s);

    private static int _jobs;

    // A job id per run, as the coordinator gives: workers keep a job's scorer under its id.
    private static Task<SpectralOutcome> Analyze(IBlockRounds rounds, SubmitPartitionedSpectral s) =>
        new SpectralAnalyzer(rounds).AnalyzePartitionedAsync($"spectral-test-{Interlocked.Increment(ref _jobs)}", s.TrainSource, s.Train, s.Columns, s.Split, s.Settings, s.Epsilon, s.Delta,
            s.ExactRowLimit);

    private static async Task<SpectralOutcome> LocalAsync(SubmitPartitionedSpectral s, int threads)
    {
        await using var cluster = await LocalCluster.StartAsync(threads);
        return await cluster.RunAsync<SpectralOutcome>(s);
    }

    /// <summary>Every property bit for bit, but the wall time.</summary>
    private static void AssertSame(SpectralOutcome expected, SpectralOutcome actual) =>
        BitwiseEquality.AssertSame(expected with { Seconds = 0 }, actual with { Seconds = 0 });

    /// <summary>The rows of CSV parts one after another (each part's header dropped), parsed independently of the readers.</summary>
    private static List<double[]> Concatenated(string dir) =>
        Directory.GetFiles(dir, "*.csv").Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadAllLines(f).Skip(1).Where(l => l.Length > 0))
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();

    [Fact]
    public async Task The_gathered_sample_is_the_hash_rule_applied_to_the_concatenated_file_in_process_and_on_a_loopback_cluster()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        var data = PartitionedDataset.Resolve(train).CountRows();
        var columns = PartitionColumns.ForTraining(data, null, null);
        var all = Concatenated(train);
        Assert.Equal(4100, all.Count);
        const ulong seed = 42;
        const int k = 500;
        // The rule, from the concatenated rows alone: the k smallest (hash of (seed, index), index), in index order.
        var chosen = Enumerable.Range(0, all.Count)
            .OrderBy(i => RowHash.Bits(seed, DrawPurpose.HashedRowSample, i)).ThenBy(i => i).Take(k).Order().ToArray();
        Assert.Contains(chosen, i => i < 1300);
        Assert.Contains(chosen, i => i >= 2000);

        var sample = await RowSampleRounds.GatherAsync(new InProcessBlockRounds(2), "s", data.Partitions, columns, null, seed, k, 4100);
        Assert.Equal(chosen.Select(i => (long)i), sample.Rows);
        for (int r = 0; r < k; r++)
        {
            var row = all[chosen[r]];
            Assert.Equal(row[..3], sample.X.Row(r).ToArray());
            Assert.Equal(row[3], sample.Y[r, 0]);
        }

        // Small requests: many pieces per partition, put together in order.
        var requests = RowSample.Requests(data.Partitions, sample.Rows, maxRows: 37);
        Assert.True(requests.Count > 13);
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4));
        var onCluster = await RowSampleRounds.GatherAsync(rounds, "s", data.Partitions, columns, null, seed, k, 4100);
        BitwiseEquality.AssertSame(sample, onCluster);
        BitwiseEquality.AssertSame(sample, await rounds.PartitionRowsAsync("p", requests, columns));

        // Every row when there are no more than asked for, and the cut is widened when it lets too few through.
        var everything = await RowSampleRounds.GatherAsync(rounds, "e", data.Partitions, columns, null, seed, 5000, 4100);
        Assert.Equal(Enumerable.Range(0, 4100).Select(i => (long)i), everything.Rows);
        var underCounted = await RowSampleRounds.GatherAsync(new InProcessBlockRounds(2), "u", data.Partitions, columns, null, seed, k, 400_000);
        BitwiseEquality.AssertSame(sample, underCounted);
    }

    [Fact]
    public async Task Spectral_on_three_partitions_is_bitwise_the_same_in_process_locally_and_on_a_loopback_cluster()
    {
        string small = PartitionedFitTests.Parts(_dir, "small", seed: 30, 300, 200, 250);
        string large = PartitionedFitTests.Parts(_dir, "large", seed: 50, 1300, 700, 2100);
        var cases = new[]
        {
            Submission(small, Plain, exactRows: 1000),                 // every row: exact ε
            Submission(small, Leverage, exactRows: 1000),
            Submission(large, Leverage, exactRows: 400),                // a 400-row sample: lower bound, estimates
            Submission(large, Plain, exactRows: 400, new RowSplit(7, 0.25, TestSide: false)),
        };
        var expected = new List<SpectralOutcome>();
        foreach (var s in cases) expected.Add(await InProcessAsync(s));

        Assert.True(expected[0].EpsilonIsExact && expected[0].SLambdaIsExact);
        Assert.Equal((750, 750), (expected[0].RowsUsed, expected[0].Rows));
        Assert.False(expected[2].EpsilonIsExact || expected[2].SLambdaIsExact);
        Assert.Equal((400, 4100), (expected[2].RowsUsed, expected[2].Rows));
        Assert.Contains(expected[2].Caveats, c => c.Contains("hashed sample of 400 rows", StringComparison.Ordinal));
        // The split's training side: about three quarters of the rows, counted exactly by the moments round.
        long trainSide = Enumerable.Range(0, 4100).LongCount(i => !RowHash.IsTest(7, i, 0.25));
        Assert.Equal(trainSide, expected[3].Rows);

        for (int i = 0; i < cases.Length; i++) AssertSame(expected[i], await InProcessAsync(cases[i], parallelism: 1));
        for (int i = 0; i < cases.Length; i++) AssertSame(expected[i], await LocalAsync(cases[i], threads: 3));
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4));
        for (int i = 0; i < cases.Length; i++) AssertSame(expected[i], await Analyze(rounds, cases[i]));
    }

    [Fact]
    public async Task A_worker_dying_during_the_sample_rounds_leaves_the_report_bitwise()
    {
        string large = PartitionedFitTests.Parts(_dir, "large", seed: 50, 900, 800, 700, 900, 800);
        var submission = Submission(large, Leverage, exactRows: 400);
        var expected = await InProcessAsync(submission);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, fastFailureDetection: Environment.GetEnvironmentVariable("NTK_PRODUCTION_TIMING") != "1",
            serializeMessages: true);
        Task? kill = null;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), update =>
        {
            lines.Enqueue($"{update.Kind} {update.Stage} {update.Done}/{update.Total}");
            if (update is { Kind: ProgressKind.Count, Stage: "sample partitions", Done: 0 } && kill is null) kill = nodes.KillWorkerBeforeTheRound(-1);
        });
        AssertSame(expected, await Analyze(rounds, submission));
        await kill!;
        Assert.True(kill.IsCompletedSuccessfully);
        // Not vacuous: the worker was lost while the job ran, and its partitions were read again on the survivor.
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_sample_s_lambda_at_lambda_scaled_by_S_over_n_estimates_the_s_lambda_of_all_rows()
    {
        string data = PartitionedFitTests.Parts(_dir, "est", seed: 70, 700, 800);
        var exact = await InProcessAsync(Submission(data, Plain, exactRows: 1500));
        var sampled = await InProcessAsync(Submission(data, Plain, exactRows: 300));
        Assert.True(exact.SLambdaIsExact);
        Assert.False(sampled.SLambdaIsExact);
        Assert.InRange(sampled.SLambda / exact.SLambda, 0.85, 1.15);

        // Not vacuous: the sample's own s_λ at the unscaled λ is far below all rows'.
        var s = Submission(data, Plain, exactRows: 300);
        var setting = await SpectralSetting.PreparePartitionedAsync(new InProcessBlockRounds(2), "setting", data, s.Train, s.Columns, null, Plain, 300);
        var spectrum = NtkCluster.Numerics.Spectral.KernelSpectrum.Of(setting.KernelMatrix!);
        Assert.Equal(sampled.SLambda, spectrum.StatisticalDimension(Plain.Lambda * 300 / 1500));
        Assert.True(spectrum.StatisticalDimension(Plain.Lambda) < 0.7 * exact.SLambda);
    }

    [Fact]
    public async Task With_every_row_sampled_the_report_is_that_of_the_rows_loaded_whole_to_rounding()
    {
        string small = PartitionedFitTests.Parts(_dir, "small", seed: 30, 300, 200, 250);
        var partitioned = await InProcessAsync(Submission(small, Leverage, exactRows: 1000));
        var rows = Concatenated(small);
        var whole = new Dataset(["x1", "x2", "x3"], MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRows(rows.Select(r => r[..3])),
            ["y"], MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRows(rows.Select(r => r[3..])));
        var inMemory = await new SpectralAnalyzer(new InProcessBlockRounds(2)).AnalyzeAsync("whole", whole, Leverage, 0.25, 0.1, 1000);
        // The preprocessing is the partitions' merged moments rather than one pass: the same to rounding, so the same
        // pool, scores and draws, and ε, s_λ and the bound agree far below what they measure.
        Assert.Equal(inMemory.Epsilon, partitioned.Epsilon, 1e-8);
        Assert.Equal(inMemory.SLambda, partitioned.SLambda, 1e-8);
        Assert.Equal(inMemory.MBound, partitioned.MBound, 1e-6);
        Assert.Equal((inMemory.Rows, inMemory.RowsUsed, inMemory.EpsilonIsExact), (partitioned.Rows, partitioned.RowsUsed, partitioned.EpsilonIsExact));
    }
}

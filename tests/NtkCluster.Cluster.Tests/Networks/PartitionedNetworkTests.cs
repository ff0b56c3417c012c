using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Cluster.Tests.Transport;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Networks;

/// <summary>
/// train-nn on a partitioned dataset, data-parallel (<see cref="PartitionedNetworkTrainer"/>): every gradient step is a
/// partition round, so the trajectory depends on the partitioning alone — bitwise the same in-process with any number
/// of threads, in local mode and on a loopback cluster, also when a worker dies mid-step — and it is the in-memory
/// trainer's trajectory to rounding (the sums are taken in another order).
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedNetworkTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static bool FastTiming => Environment.GetEnvironmentVariable("NTK_PRODUCTION_TIMING") != "1";

    private static readonly NetworkSettings Settings = new()
    {
        Width = 300, Lambda = 0.01, Kappa = 1.0, Steps = 60, Seed = 3, Standardize = true, Normalize = true, ScaleTarget = true,
    };

    internal static SubmitPartitionedTrainNetwork Submission(string train, string? test, NetworkSettings settings, double? testFraction = null,
        NetworkCheckpointing? checkpointing = null)
    {
        var data = PartitionedDataset.Resolve(train);
        var columns = PartitionColumns.ForTraining(data, null, null);
        var held = test is null ? null : PartitionedDataset.Resolve(test);
        return new SubmitPartitionedTrainNetwork(train, data.Partitions, columns, held?.Partitions,
            testFraction is double f ? new RowSplit(7, f, false) : null, settings, checkpointing);
    }

    private static Task<NetworkOutcome> InProcessAsync(SubmitPartitionedTrainNetwork s, int parallelism = 2) =>
        new PartitionedNetworkTrainer(new InProcessBlockRounds(parallelism)).TrainAsync("nn-lib", s.TrainSource, s.Train, s.Columns, s.Test, s.Split,
            s.Settings, s.Checkpointing);

    private static byte[] ModelBytes(NetworkModel model) => Library.LibraryAgreementTests.Bytes(path => ModelFile.Save(model, path));

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    private static void AssertSame(NetworkOutcome expected, NetworkOutcome actual)
    {
        Assert.Equal(ModelBytes(expected.Model), ModelBytes(actual.Model));
        Assert.Equal(expected.Trajectory.Select(p => (p.Step, Bits(p.Loss))), actual.Trajectory.Select(p => (p.Step, Bits(p.Loss))));
        Assert.Equal(Bits(expected.LearningRate), Bits(actual.LearningRate));
        Assert.Equal(Bits(expected.TrainMse), Bits(actual.TrainMse));
        Assert.Equal(expected.TestMse.HasValue, actual.TestMse.HasValue);
        if (expected.TestMse is double t) Assert.Equal(Bits(t), Bits(actual.TestMse!.Value));
        Assert.Equal(expected.KrrTrainMse.HasValue, actual.KrrTrainMse.HasValue);
        if (expected.KrrTrainMse is double k) Assert.Equal(Bits(k), Bits(actual.KrrTrainMse!.Value));
        Assert.Equal(expected.TrainGap.HasValue, actual.TrainGap.HasValue);
        if (expected.TrainGap is double g) Assert.Equal(Bits(g), Bits(actual.TrainGap!.Value));
        Assert.Equal(expected.TestGap.HasValue, actual.TestGap.HasValue);
        if (expected.TestGap is double tg) Assert.Equal(Bits(tg), Bits(actual.TestGap!.Value));
        Assert.Equal(Bits(expected.PatternFlips), Bits(actual.PatternFlips));
        Assert.Equal(Bits(expected.MaxWeightMove), Bits(actual.MaxWeightMove));
    }

    /// <summary>The rows of CSV parts in order, loaded whole: the in-memory trainer's dataset.</summary>
    private static Dataset Whole(string directory)
    {
        var rows = Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal).SelectMany(f => TestData.Parse(f).Rows).ToArray();
        var x = Matrix<double>.Build.Dense(rows.Length, 3, (i, j) => rows[i][j]);
        var y = Matrix<double>.Build.Dense(rows.Length, 1, (i, _) => rows[i][3]);
        return new Dataset(["x1", "x2", "x3"], x, ["y"], y);
    }

    /// <summary>
    /// The same rows loaded whole and trained by neuron blocks, and read per partition and trained data-parallel, with
    /// the same η: the loss trajectories agree to 1e-9 relative and the weights to 1e-9 absolute. Not bitwise: the
    /// preprocessing moments are merged per partition (Chan) instead of summed in one pass, the data gradient is summed
    /// per partition and then across partitions instead of per neuron block over all rows, and the ridge term λW is
    /// added after the data term instead of before. Each of these differs by a few ulps per step; gradient descent with
    /// η ≤ 1/L contracts such perturbations instead of amplifying them, so 60 steps stay far inside the tolerance.
    /// </summary>
    [Theory]
    [InlineData(new[] { 1000 })]
    [InlineData(new[] { 400, 250, 350 })]
    public async Task The_loss_trajectory_is_the_in_memory_trainers_to_rounding(int[] parts)
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 50, parts);
        var settings = Settings with { Reference = false };
        var memory = await new NetworkTrainer(new InProcessBlockRounds(2)).TrainAsync("nn-mem", Whole(train), null, settings);
        var partitioned = await InProcessAsync(Submission(train, null, settings with { LearningRate = memory.LearningRate }));

        Assert.Equal(parts.Length, Submission(train, null, settings).Train.Count);
        Assert.Equal(memory.Trajectory.Select(p => p.Step), partitioned.Trajectory.Select(p => p.Step));
        for (int i = 0; i < memory.Trajectory.Count; i++)
        {
            double a = memory.Trajectory[i].Loss, b = partitioned.Trajectory[i].Loss;
            Assert.True(Math.Abs(a - b) <= 1e-9 * Math.Abs(a), $"step {memory.Trajectory[i].Step}: loss {a:R} in memory, {b:R} on partitions");
        }
        // Not vacuous: the network did train.
        Assert.True(memory.Trajectory[^1].Loss < 0.5 * memory.Trajectory[0].Loss, $"the loss went {memory.Trajectory[0].Loss} → {memory.Trajectory[^1].Loss}");
        double weights = (memory.Model.Weights - partitioned.Model.Weights).Enumerate().Max(Math.Abs);
        Assert.True(weights <= 1e-9, $"the weights differ by {weights:E2}");
        Assert.Equal(memory.TrainMse, partitioned.TrainMse, 1e-9);
        Assert.Equal(memory.PatternFlips, partitioned.PatternFlips);
        Assert.Equal(memory.MaxWeightMove, partitioned.MaxWeightMove, 1e-9);

        // The default η: λ_max(H(0)) by power iteration over the partitions, against the exact eigenvalue in memory.
        var defaulted = await InProcessAsync(Submission(train, null, settings with { Steps = 1 }));
        output.WriteLine($"η in memory {memory.LearningRate:R}, by power iteration on partitions {defaulted.LearningRate:R}");
        Assert.True(Math.Abs(defaulted.LearningRate - memory.LearningRate) <= 1e-3 * memory.LearningRate,
            $"η {defaulted.LearningRate} on partitions, {memory.LearningRate} in memory");
    }

    [Fact]
    public async Task Training_is_bitwise_the_same_in_process_with_1_and_3_threads_and_in_local_mode()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 60, 300, 500, 200, 400);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 70, 250, 150);
        var withTest = Submission(train, test, Settings with { Steps = 30 });
        var withSplit = Submission(train, null, Settings with { Steps = 30, LearningRate = 0.01 }, testFraction: 0.25);

        foreach (var submission in new[] { withTest, withSplit })
        {
            var expected = await InProcessAsync(submission, parallelism: 1);
            Assert.NotNull(expected.TestMse);
            Assert.NotNull(expected.KrrTrainMse);
            Assert.NotNull(expected.KrrTestMse);
            Assert.NotNull(expected.TrainGap);
            Assert.NotNull(expected.TestGap);
            AssertSame(expected, await InProcessAsync(submission, parallelism: 3));
            await using var local = await LocalCluster.StartAsync(2);
            AssertSame(expected, await local.RunAsync<NetworkOutcome>(submission));
        }
    }

    [Fact]
    public async Task A_worker_dying_mid_step_on_a_loopback_cluster_leaves_the_network_bitwise_the_librarys()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 80, 800, 800, 800, 800, 800, 800);
        var submission = Submission(train, null, Settings with { Width = 400, Steps = 150, LearningRate = 0.01, Reference = false });
        var expected = await InProcessAsync(submission);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, fastFailureDetection: FastTiming, serializeMessages: true);
        Task? kill = null;
        var lines = new ConcurrentQueue<string>();
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), update =>
        {
            lines.Enqueue($"{update.Kind} {update.Stage} {update.Done}/{update.Total} {update.Text}");
            if (update is { Kind: ProgressKind.Count, Stage: "step", Done: 20 } && kill is null) kill = nodes.KillWorkerBeforeTheRound(-1);
        });
        var outcome = await new PartitionedNetworkTrainer(rounds).TrainAsync("nn-cluster", submission.TrainSource, submission.Train, submission.Columns,
            null, null, submission.Settings);
        await kill!;
        foreach (string line in lines.Where(l => !l.StartsWith("Count step", StringComparison.Ordinal))) output.WriteLine(line);
        AssertSame(expected, outcome);
        // Not vacuous: the worker died while steps were still to come, and the cluster noticed.
        Assert.Contains(lines, l => l.StartsWith("Count step 150/150", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_resumed_from_its_checkpoint_ends_bitwise_where_the_uninterrupted_run_ends()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 90, 300, 200);
        var settings = Settings with { Steps = 20, CheckpointEvery = 7, LearningRate = 0.01, Reference = false };
        string full = _dir.PathOf("full.ckpt"), half = _dir.PathOf("half.ckpt"), resumed = _dir.PathOf("resumed.ckpt");
        var uninterrupted = await InProcessAsync(Submission(train, null, settings, checkpointing: new NetworkCheckpointing(full, null, null)));
        await InProcessAsync(Submission(train, null, settings with { Steps = 10 }, checkpointing: new NetworkCheckpointing(half, null, null)));

        var plain = Submission(train, null, settings);
        var from = NetworkCheckpoints.EnsureResumable(ModelFile.LoadAny(half), half,
            NetworkCheckpoints.DataFingerprint(plain.Columns, plain.Train, plain.Split), settings);
        Assert.Equal(10, from.Steps);
        var continued = await InProcessAsync(plain with { Checkpointing = new NetworkCheckpointing(resumed, from, half) });
        AssertSame(uninterrupted, continued);
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(resumed));

        // Other data is refused: one more part is another dataset.
        File.WriteAllText(Path.Combine(train, "part-00009.csv"), TestData.Csv(50, seed: 3));
        var other = Submission(train, null, settings);
        var e = Assert.Throws<NtkCluster.Numerics.Errors.InvalidInputException>(() => NetworkCheckpoints.EnsureResumable(ModelFile.LoadAny(half), half,
            NetworkCheckpoints.DataFingerprint(other.Columns, other.Train, other.Split), settings));
        Assert.Contains("other training data", e.Message);
    }
}

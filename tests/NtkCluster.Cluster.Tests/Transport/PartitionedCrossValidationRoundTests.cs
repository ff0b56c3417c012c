using System.Collections.Concurrent;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// Cross-validation's partition rounds on a loopback cluster (real remoting, every message serialized, the k fold
/// Grams of a partition cut into frame-sized pieces): the workers read the partitions themselves and the fold scores
/// are bitwise the library's in-process ones.
/// </summary>
[Collection(TransportCollection.Name)]
public sealed class PartitionedCrossValidationRoundTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_loopback_cluster_cross_validates_the_partitions_bitwise_as_the_library_does()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        // 5 folds × a 300×300 Gram (its upper triangle): a partition's answer (1.8 MB) is over one 1 MiB piece.
        var settings = new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 300, Seed = 4, Standardize = true };
        var submission = PartitionedCrossValidationTests.Submission(train, settings, folds: 5, cvSeed: 9, ["rbf:gamma=0.5", "rbf:gamma=2"],
            [1e-3, 0.1], testFraction: 0.25);
        var expected = await PartitionedCrossValidationTests.InProcessAsync(submission);

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var onCluster = await new PartitionedCrossValidator(new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4)))
            .RunAsync("cv-cluster", submission.TrainSource, submission.Train, submission.Columns, submission.Split, submission.Folds,
                submission.KernelSpecs, submission.Lambdas, submission.Settings);
        PartitionedCrossValidationTests.AssertSameScores(expected, onCluster);
    }

    [Fact]
    public async Task A_loopback_cluster_cross_validates_classify_leverage_exact_and_dual_folds_bitwise_as_the_library_does()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 21, 160, 120, 200);
        string digits = PartitionedClassifyTests.DigitParts(_dir);
        var regression = new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 20, Seed = 2, Standardize = true };
        var classify = PartitionedCrossValidationTests.Submission(digits, PartitionedClassifyTests.Features, folds: 3, cvSeed: 1, ["rbf:gamma=0.02"], [0.01]);
        var modes = new (string Name, SubmitPartitionedCrossValidation Submission)[]
        {
            ("classify", classify with { Columns = classify.Columns with { Classify = true } }),
            ("scalable leverage", PartitionedCrossValidationTests.Submission(train, regression with
            {
                Sampling = FeatureSampling.Leverage, LeverageMode = LeverageScoring.Scalable, PoolSize = 400,
            }, folds: 3, cvSeed: 5, ["rbf:gamma=0.5"], [0.01, 1], testFraction: 0.2)),
            ("exact", PartitionedCrossValidationTests.Submission(train, regression with { Exact = true }, folds: 3, cvSeed: 5,
                ["rbf:gamma=0.5", "ntk"], [0.01, 1])),
            ("dual", PartitionedCrossValidationTests.Submission(train, regression with { Features = 200 }, folds: 3, cvSeed: 5, ["rbf:gamma=0.5"], [0.01])),
        };

        await using var nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4));
        foreach (var (name, s) in modes)
        {
            var expected = await PartitionedCrossValidationTests.InProcessAsync(s);
            var onCluster = await new PartitionedCrossValidator(rounds).RunAsync($"cv-{name.Replace(' ', '-')}", s.TrainSource, s.Train, s.Columns,
                s.Split, s.Folds, s.KernelSpecs, s.Lambdas, s.Settings);
            output.WriteLine($"{name}: {string.Join(", ", onCluster.Scores.Select(g => string.Join("/", g)))}");
            PartitionedCrossValidationTests.AssertSameScores(expected, onCluster);
            Assert.Equal(expected.Classes?.Labels, onCluster.Classes?.Labels);
        }
    }

    [Fact]
    public async Task A_worker_dying_mid_round_has_its_partitions_read_again_and_the_scores_stay_bitwise()
    {
        // Six partitions of 2048 rows with 600 feature columns: a good part of a second of fold-Gram work each.
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 3, 2048, 2048, 2048, 2048, 2048, 2048);
        var settings = new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 600, Seed = 8, Standardize = true };
        var submission = PartitionedCrossValidationTests.Submission(train, settings, folds: 3, cvSeed: 1, ["rbf:gamma=0.5"], [0.01, 1]);
        var expected = await PartitionedCrossValidationTests.InProcessAsync(submission);

        bool fastTiming = Environment.GetEnvironmentVariable("NTK_PRODUCTION_TIMING") != "1";
        await using var nodes = await ClusterNodes.StartAsync(workers: 2, fastFailureDetection: fastTiming, serializeMessages: true);
        Task? kill = null;
        var lines = new ConcurrentQueue<string>();
        var rounds = new ShardedBlockRounds(new WorkerRegions(nodes.Blocks, nodes.Neurons), ClusterNodes.Remote(4), update =>
        {
            lines.Enqueue($"{update.Kind} {update.Stage} {update.Done}/{update.Total}");
            // As the round starts, and the round waits for the death: the victim answers none of its partitions.
            if (update is { Kind: ProgressKind.Count, Stage: "fold Gram partitions", Done: 0 } && kill is null)
                kill = nodes.KillWorkerBeforeTheRound(-1);
        });
        var onCluster = await new PartitionedCrossValidator(rounds).RunAsync("cv-kill", submission.TrainSource, submission.Train, submission.Columns,
            submission.Split, submission.Folds, submission.KernelSpecs, submission.Lambdas, submission.Settings);
        await kill!;
        foreach (string line in lines) output.WriteLine(line);
        PartitionedCrossValidationTests.AssertSameScores(expected, onCluster);
        // Not vacuous: the worker died while fold-Gram partitions were still to come.
        Assert.Contains(lines, l => l.StartsWith("Count fold Gram partitions 6/6", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("is unreachable", StringComparison.Ordinal));
    }
}

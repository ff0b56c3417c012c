using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>The transport tests share one collection that runs alone: they time failures and move many megabytes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TransportCollection
{
    public const string Name = "transport";
}

/// <summary>A coordinator node and two worker nodes over loopback TCP, and local mode beside them, for a test class.</summary>
public sealed class MultiNodeFixture : IAsyncLifetime
{
    public ClusterNodes Nodes { get; private set; } = null!;
    public LocalCluster Local { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Nodes = await ClusterNodes.StartAsync(workers: 2, serializeMessages: true);
        Local = await LocalCluster.StartAsync(2);
    }

    public async Task DisposeAsync()
    {
        await Nodes.DisposeAsync();
        await Local.DisposeAsync();
    }
}

/// <summary>
/// Fits and network training across real nodes give the models local mode gives — bitwise: every message between
/// nodes is serialized, cut into pieces when larger than 1 MiB, framed (4 MiB frames), and put back together, and the
/// coordinator reduces in block order either way. Several messages here are far larger than a frame: Gram blocks of
/// 1100 features (9.7 MB), kernel rows of 1024×1200 (9.8 MB), the exact leverage scorer (2.9 MB, sent to each node
/// once per round, not with every scoring request), and the Lemma 4.1 inspection of a neuron block with its two kernel parts (5.8 MB).
/// </summary>
/// <remarks>As in <see cref="SerializeMessagesEndToEndTests"/>, nothing compared goes through a symmetric eigensolver,
/// whose last bits vary from run to run: the network's η is given.</remarks>
[Collection(TransportCollection.Name)]
public sealed class MultiNodeFitTests(MultiNodeFixture fixture, ITestOutputHelper output) : IClassFixture<MultiNodeFixture>
{
    private MultiNodeFixture Fixture => fixture;

    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static RoundOptions LocalOptions => RoundOptions.ForWorkers(2, TimeSpan.FromMinutes(2));

    private RoundOptions RemoteOptions => ClusterNodes.Remote(2, TimeSpan.FromSeconds(30), notify: line => output.WriteLine("notice: " + line));

    [Fact]
    public void Every_node_round_trips_every_message_and_ours_through_the_binary_serializer()
    {
        foreach (var system in Fixture.Nodes.Workers.Append(Fixture.Nodes.Coordinator))
        {
            Assert.True(system.Settings.SerializeAllMessages, $"serialize-messages is off on {system.Name}");
            var serialization = system.Serialization;
            Assert.IsType<NtkMessageSerializer>(serialization.FindSerializerFor(MessageSamples.ByType.Values.First()()[0]));
            Assert.IsType<NtkCluster.Protocol.Client.ClientMessageSerializer>(
                serialization.FindSerializerForType(typeof(NtkCluster.Protocol.Client.IClientMessage)));
        }
    }

    [Fact]
    public void The_frame_is_4_MiB_and_chunks_are_a_quarter_of_it()
    {
        var config = NodeConfig.Build(new NodeOptions());
        Assert.Equal(4L << 20, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(1 << 20, ChunkedTransfer.DefaultChunkBytes);
        Assert.Equal(ChunkedTransfer.DefaultChunkBytes, ClusterNodes.Remote(1).ChunkBytes);
        Assert.False(RoundOptions.ForWorkers(1).Remote); // local mode: plain asks, nothing copied
    }

    [Fact]
    public async Task A_reply_larger_than_the_frame_arrives_whole_from_another_node()
    {
        var x = MessageSamples.Random(1200, 4, 1);
        var command = new BuildKernelRows("rows-1", 0, "rbf:gamma=0.3", x.SubMatrix(0, 1024, 0, 4), x);
        var expected = KernelSpec.Parse("rbf:gamma=0.3").Evaluate(command.XBlock, x);
        Assert.True(NtkMessageSerializer.Serialize(new KernelRowsComputed("rows-1", 0, expected)).Length > 2 * (4 << 20));

        var clock = Stopwatch.StartNew();
        var rows = await BlockRound.RunAsync<KernelRowsComputed, Matrix<double>?>(fixture.Nodes.Blocks, 1, _ => command, null,
            (_, r) => r.Rows, RemoteOptions);
        output.WriteLine($"1024×1200 kernel rows (9.8 MB) from a worker node in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(Bits(expected), Bits(rows!));
    }

    public static TheoryData<string> Fits => new() { "primal", "exact", "dual-leverage" };

    [Theory]
    [MemberData(nameof(Fits))]
    public async Task A_ridge_fit_across_nodes_is_bitwise_the_local_fit(string fit)
    {
        var (data, settings) = fit switch
        {
            // 1100 features ≤ 1200 rows: primal, two row blocks whose ΨᵀΨ (1100×1100, 9.7 MB) exceeds the frame.
            "primal" => (TestData.Regression(1200, 4, 3), new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 1100, Seed = 4, Standardize = true }),
            // Kernel rows of 1024×1200 (9.8 MB).
            "exact" => (TestData.Regression(1200, 4, 5), new FitSettings { KernelSpec = "rbf:gamma=0.2", Lambda = 0.05, Exact = true, Standardize = true, ScaleTarget = true }),
            // 700 features > 600 rows: dual, with ΨΨᵀ blocks of 600×600 (2.9 MB); exact leverage scores over 12
            // candidate blocks, the 600×600 scorer (2.9 MB, cut into pieces) sent only to nodes that lack it.
            _ => (TestData.Regression(600, 4, 6), new FitSettings
            {
                KernelSpec = "rbf:gamma=0.4", Lambda = 0.1, Features = 700, Seed = 5, Sampling = FeatureSampling.Leverage,
                PoolSize = 3000, Standardize = true
            }),
        };

        async Task<(KrrModel Model, Matrix<double> Predictions, double Seconds)> FitAsync(Akka.Actor.IActorRef region, RoundOptions options, string mode)
        {
            var clock = Stopwatch.StartNew();
            var model = await new KrrFitter(new ShardedBlockRounds(region, options)).FitAsync($"{mode}-{fit}", data, settings);
            var predictions = await new ModelPredictor(new ShardedBlockRounds(region, options)).PredictAsync($"{mode}-predict-{fit}", model, data.X);
            return (model, predictions, clock.Elapsed.TotalSeconds);
        }

        var local = await FitAsync(fixture.Local.Region, LocalOptions, "local");
        long ScorersReceived() => fixture.Nodes.Workers.Sum(w => NtkCluster.Worker.Entities.NodeScorers.For(w).Received);
        long scorersBefore = ScorersReceived();
        var remote = await FitAsync(fixture.Nodes.Blocks, RemoteOptions, "remote");
        long shipped = ScorersReceived() - scorersBefore;
        output.WriteLine($"{fit}: the leverage scorer crossed to a worker {shipped} time(s)");
        if (fit == "dual-leverage")
        {
            // Each block in the first window may find its node without the scorer, and each node may once more;
            // never one per block (12 here).
            Assert.InRange(shipped, 1, RemoteOptions.Window + fixture.Nodes.Workers.Count);
        }
        else Assert.Equal(0, shipped);
        output.WriteLine($"{fit}: local mode {local.Seconds:F2} s, 3 nodes {remote.Seconds:F2} s");
        BitwiseEquality.AssertSame(local.Model, remote.Model, "model");
        Assert.Equal(Bits(local.Predictions), Bits(remote.Predictions));
        var coefficients = local.Model.IsExact ? local.Model.DualCoefficients! : local.Model.Coefficients!;
        Assert.Contains(coefficients.ToColumnMajorArray(), v => v != 0); // not vacuous
        if (fit == "dual-leverage") Assert.Equal("leverage", remote.Model.Sampling);
    }

    [Fact]
    public async Task Two_network_steps_across_nodes_are_bitwise_the_local_steps()
    {
        var train = TestData.Regression(600, 3, 7);
        var test = TestData.Regression(50, 3, 8);
        // 1100 neurons: two neuron blocks, one on each worker node or both on one. A checkpoint after step 1 inspects
        // the blocks mid-run; the final inspection carries each block's parts of H(T) and H(0) (2 × 600×600).
        var settings = new NetworkSettings
        {
            Width = 1100, Lambda = 0.01, Kappa = 1.0, LearningRate = 0.2, Steps = 2, Seed = 9, Standardize = true, Normalize = true,
            CheckpointEvery = 1,
        };

        async Task<(NetworkOutcome Outcome, double Seconds)> TrainAsync(Akka.Actor.IActorRef blocks, Akka.Actor.IActorRef neurons, RoundOptions options, string mode)
        {
            var clock = Stopwatch.StartNew();
            var outcome = await new NetworkTrainer(new ShardedBlockRounds(new WorkerRegions(blocks, neurons), options)).TrainAsync($"{mode}-nn", train, test, settings);
            return (outcome, clock.Elapsed.TotalSeconds);
        }

        var (local, localSeconds) = await TrainAsync(fixture.Local.Region, fixture.Local.Neurons, LocalOptions, "local");
        var (remote, remoteSeconds) = await TrainAsync(fixture.Nodes.Blocks, fixture.Nodes.Neurons, RemoteOptions, "remote");
        output.WriteLine($"network: local mode {localSeconds:F2} s, 3 nodes {remoteSeconds:F2} s");
        BitwiseEquality.AssertSame(local.Model, remote.Model, "model");
        Assert.Equal(Bits(local.TrainPredictions), Bits(remote.TrainPredictions));
        Assert.Equal(Bits(local.TestPredictions!), Bits(remote.TestPredictions!));
        Assert.Equal(local.Trajectory, remote.Trajectory);
        Assert.Equal(local.MaxWeightMove, remote.MaxWeightMove);
        Assert.Equal(local.PatternFlips, remote.PatternFlips);
        Assert.Equal(local.TrainGap, remote.TrainGap);
        Assert.Equal(local.TestGap, remote.TestGap);
        Assert.NotNull(remote.KernelDrift); // the inspection with both kernel parts came through
        Assert.True(remote.MaxWeightMove > 0, "the weights did not move");
    }
}

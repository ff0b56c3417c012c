using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// With <c>serialize-messages = on</c> every message to an actor goes through the serializer and back, even in one
/// process: a ridge fit and network steps then give bitwise the models they give without it — what a worker on
/// another node computes from the bytes is what it computes from the objects.
/// </summary>
/// <remarks>
/// The jobs are driven through <see cref="KrrFitter"/> and <see cref="NetworkTrainer"/> against the cluster's
/// regions, not through the coordinator actor: job submissions (SubmitFit …) are local-only objects with no wire
/// format, which strict serialization refuses. Commands to entities pass through the serializer at the region,
/// the shard and the entity; replies go to ask-promises, which Akka does not verify (the round-trip tests cover them).
/// <para>Nothing compared here goes through a symmetric eigensolver: OpenBLAS's dsyevd returns one of two results in
/// the last bits from run to run (it depends on where the arrays land in memory), with or without serialization.
/// So the network's η is given rather than derived from λ_max(H(0)), the kernel drift is not compared, and the
/// scalable scorer (whose ε₁ comes from eigenvalues) is covered bitwise by <see cref="ModelAndScorerTests"/>.</para>
/// </remarks>
public sealed class SerializeMessagesEndToEndTests
{
    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static async Task<T> WithClusterAsync<T>(bool serialize, Func<LocalCluster, RoundOptions, Task<T>> run)
    {
        await using var cluster = await LocalCluster.StartAsync(2, serializeMessages: serialize);
        Assert.Equal(serialize, cluster.System.Settings.SerializeAllMessages);
        return await run(cluster, RoundOptions.ForWorkers(2, TimeSpan.FromMinutes(2)));
    }

    public static TheoryData<string> Fits => new() { "primal-plain", "dual-leverage", "exact" };

    [Theory]
    [MemberData(nameof(Fits))]
    public async Task A_ridge_fit_is_bitwise_the_same_with_every_message_serialized(string fit)
    {
        var data = TestData.Regression(300, 4, 3);
        var settings = fit switch
        {
            // M·d2 = 50 ≤ n: ΨᵀΨ from row blocks.
            "primal-plain" => new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 50, Seed = 4, Standardize = true },
            // M·d2 = 400 > n: ΨΨᵀ from feature blocks, projections, and exact leverage scores of a candidate pool.
            "dual-leverage" => new FitSettings
            {
                KernelSpec = "ntk", Lambda = 0.1, Features = 100, Seed = 5, Sampling = FeatureSampling.Leverage,
                PoolSize = 1500, Standardize = true, Normalize = true
            },
            _ => new FitSettings { KernelSpec = "rbf:gamma=0.2", Lambda = 0.05, Exact = true, Standardize = true, ScaleTarget = true },
        };

        async Task<(KrrModel Model, Matrix<double> Predictions)> FitAsync(bool serialize) => await WithClusterAsync(serialize, async (cluster, options) =>
        {
            var model = await new KrrFitter(new ShardedBlockRounds(cluster.Region, options)).FitAsync($"fit-{fit}", data, settings);
            var predictions = await new ModelPredictor(new ShardedBlockRounds(cluster.Region, options)).PredictAsync($"predict-{fit}", model, data.X);
            return (model, predictions);
        });

        var plain = await FitAsync(serialize: false);
        var serialized = await FitAsync(serialize: true);
        BitwiseEquality.AssertSame(plain.Model, serialized.Model, "model");
        Assert.Equal(Bits(plain.Predictions), Bits(serialized.Predictions));
        var coefficients = plain.Model.IsExact ? plain.Model.DualCoefficients! : plain.Model.Coefficients!;
        Assert.Contains(coefficients.ToColumnMajorArray(), v => v != 0); // not vacuous
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("leverage")]
    public async Task Two_network_steps_are_bitwise_the_same_with_every_message_serialized(string init)
    {
        var train = TestData.Regression(60, 3, 7);
        var test = TestData.Regression(20, 3, 8);
        // 1100 neurons: two neuron blocks. A checkpoint after step 1 inspects the blocks mid-run as well as at the end.
        var settings = new NetworkSettings
        {
            Width = 1100, Init = OptionNames.ParseInitialization(init), Lambda = 0.01, Kappa = 1.0, LearningRate = 0.2, Steps = 2, Seed = 9, Standardize = true,
            Normalize = true, PoolSize = 1500, CheckpointEvery = 1,
        };

        Task<NetworkOutcome> TrainAsync(bool serialize) => WithClusterAsync(serialize, (cluster, options) =>
            new NetworkTrainer(new ShardedBlockRounds(new WorkerRegions(cluster.Region, cluster.Neurons), options))
                .TrainAsync($"nn-{init}", train, test, settings));

        var plain = await TrainAsync(serialize: false);
        var serialized = await TrainAsync(serialize: true);
        BitwiseEquality.AssertSame(plain.Model, serialized.Model, "model");
        Assert.Equal(Bits(plain.TrainPredictions), Bits(serialized.TrainPredictions));
        Assert.Equal(Bits(plain.TestPredictions!), Bits(serialized.TestPredictions!));
        Assert.Equal(plain.Trajectory, serialized.Trajectory);
        Assert.Equal(plain.LearningRate, serialized.LearningRate);
        Assert.Equal(plain.MaxWeightMove, serialized.MaxWeightMove);
        Assert.Equal(plain.PatternFlips, serialized.PatternFlips);
        Assert.Equal(plain.TrainGap, serialized.TrainGap);
        Assert.True(plain.MaxWeightMove > 0, "the weights did not move");
    }
}

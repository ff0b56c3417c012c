using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Protocol.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>
/// Leverage sampling through the actors: kernel rows, first-stage Gram blocks and candidate-score blocks are
/// computed concurrently by the workers, yet the pool, its scores, the selected draws, their weights and the model
/// are bitwise the same for any number of workers.
/// </summary>
public sealed class LeverageDeterminismTests(ITestOutputHelper output)
{
    // Scalable scores: 2100 rows, three row blocks of 1024 (the first stage's Gram, the Gram of Ψ and the streamed
    // candidate features all cross block boundaries). Exact scores factor the n×n K+λI on the coordinator, O(n³):
    // about 16 s per fit at 2100 rows here, so the exact case uses 1300 rows, still two row blocks for the kernel
    // matrix and the Gram. In both, the 1000-candidate pool is scored in four blocks of 256.
    private static readonly Dataset Large = MakeData(2100, 5);
    private static readonly Dataset Small = new(Large.FeatureNames, Large.X.SubMatrix(0, 1300, 0, 5), Large.TargetNames, Large.Y.SubMatrix(0, 1300, 0, 1));

    private static Dataset MakeData(int n, int d)
    {
        var rng = new System.Random(23);
        var x = Matrix<double>.Build.Dense(n, d, (_, _) => rng.NextDouble() * 4 - 2);
        var y = Matrix<double>.Build.Dense(n, 1, (i, _) => Math.Sin(x[i, 0]) + x[i, 1] * x[i, 2] + 0.1 * rng.NextDouble());
        return new Dataset(Enumerable.Range(1, d).Select(j => $"x{j}").ToArray(), x, ["y"], y);
    }

    private async Task<FitOutcome> FitAsync(int workers, FitSettings settings)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(workers);
        var data = settings.LeverageMode == LeverageScoring.Exact ? Small : Large;
        var outcome = await cluster.RunAsync<FitOutcome>(new SubmitFit(data, null, settings));
        output.WriteLine($"{settings.LeverageMode}, {workers} worker(s): {clock.Elapsed.TotalSeconds:F2} s");
        return outcome;
    }

    [Theory]
    [InlineData("exact", "rbf:gamma=0.5", 200)]
    [InlineData("scalable", "rbf:gamma=0.5", 200)]
    [InlineData("subsample", "rbf:gamma=0.5", 200)]
    public async Task Same_seed_gives_bitwise_the_same_leverage_features_and_model_for_1_and_3_workers(string mode, string kernel, int features)
    {
        var settings = new FitSettings
        {
            KernelSpec = kernel, Lambda = 0.1, Features = features, Sampling = FeatureSampling.Leverage, LeverageMode = OptionNames.ParseScoring(mode),
            PoolSize = 1000, FirstStageFeatures = 100, Seed = 42, Standardize = true,
        };
        var one = await FitAsync(1, settings);
        var three = await FitAsync(3, settings);

        Assert.Equal(mode, one.Sampling!.Mode);
        Assert.Equal(mode, three.Sampling!.Mode);
        Assert.Equal(1000, one.Sampling.PoolScores!.Length);
        Assert.Equal(one.Sampling.PoolScores, three.Sampling.PoolScores);
        Assert.Equal(one.Sampling.FirstStageEpsilon, three.Sampling.FirstStageEpsilon);
        Assert.Equal(mode != "exact", one.Sampling.FirstStageEpsilon is not null);
        if (mode == "subsample") Assert.InRange(one.Sampling.ScoringRows!.Value, 2000, Large.X.RowCount);
        else Assert.Equal(mode == "exact" ? Small.X.RowCount : Large.X.RowCount, one.Sampling.ScoringRows);
        Assert.Equal(one.Sampling.ScoringRows, three.Sampling.ScoringRows);
        Assert.Equal(mode == "exact", one.Sampling.ExactStatisticalDimension is not null);

        var a = one.Model.Draws!;
        var b = three.Model.Draws!;
        Assert.Equal(features, a.Count);
        Assert.Equal(a.Draws.ToColumnMajorArray(), b.Draws.ToColumnMajorArray());
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(one.Model.Coefficients!.ToColumnMajorArray(), three.Model.Coefficients!.ToColumnMajorArray());
        Assert.Equal(one.TrainMse, three.TrainMse);
        Assert.Equal("leverage", one.Model.Sampling);
        // The draws really are a leverage selection: weights vary (τ̄/τ_j), unlike plain sampling's all-ones.
        Assert.True(a.Weights.Distinct().Count() > 1, "all weights equal: no leverage weighting happened");
    }
}

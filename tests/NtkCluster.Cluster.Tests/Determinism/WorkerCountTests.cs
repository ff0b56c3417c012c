using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// The same seed gives the same model whatever the number of workers: several row blocks and feature blocks are
/// computed concurrently and arrive in varying order, yet partials are reduced in block order. And the distributed
/// fit equals the same fit done in one piece by the math library.
/// </summary>
public sealed class WorkerCountTests
{
    // 2500 rows: three row blocks of 1024, so concurrency and arrival order really vary.
    private static readonly Dataset Data = MakeData(2500, 5);

    private static Dataset MakeData(int n, int d)
    {
        var rng = new System.Random(11);
        var x = Matrix<double>.Build.Dense(n, d, (_, _) => rng.NextDouble() * 4 - 2);
        var y = Matrix<double>.Build.Dense(n, 1, (i, _) => Math.Sin(x[i, 0]) + x[i, 1] * x[i, 2] + 0.1 * rng.NextDouble());
        return new Dataset(Enumerable.Range(1, d).Select(j => $"x{j}").ToArray(), x, ["y"], y);
    }

    private static async Task<KrrModel> FitAsync(int workers, FitSettings settings)
    {
        await using var cluster = await LocalCluster.StartAsync(workers);
        return (await cluster.RunAsync<FitOutcome>(new SubmitFit(Data, null, settings))).Model;
    }

    public static TheoryData<string, bool, int> Cases => new()
    {
        { "rbf:gamma=0.5", false, 300 },  // primal: 300 columns over 3 row blocks
        { "ntk", false, 600 },            // dual: 600 draws × d2=5 = 3000 columns > n, 10 feature blocks
        { "laplace:gamma=0.3", true, 0 }, // exact: 3 blocks of kernel rows
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Same_seed_gives_bitwise_the_same_model_for_1_2_and_3_workers(string kernel, bool exact, int features)
    {
        var settings = new FitSettings { KernelSpec = kernel, Lambda = 0.1, Exact = exact, Features = features, Seed = 42, Standardize = true };
        var one = await FitAsync(1, settings);
        var two = await FitAsync(2, settings);
        var three = await FitAsync(3, settings);
        var reference = Coefficients(one);
        Assert.Equal(reference, Coefficients(two));
        Assert.Equal(reference, Coefficients(three));
        if (!exact) Assert.Equal(one.Draws!.Draws.ToColumnMajorArray(), three.Draws!.Draws.ToColumnMajorArray());
    }

    [Fact]
    public async Task Different_seeds_give_different_models()
    {
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 50, Seed = 1 };
        var a = await FitAsync(2, settings);
        var b = await FitAsync(2, settings with { Seed = 2 });
        Assert.NotEqual(Coefficients(a), Coefficients(b));
    }

    [Fact]
    public async Task The_distributed_primal_fit_equals_the_one_piece_library_fit()
    {
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 200, Seed = 3 };
        var model = await FitAsync(3, settings);
        var draws = PlainSampler.Sample(new RbfKernel(0.5), 5, 200, 3);
        var psi = FeatureMap.Build(draws, Data.X);
        var beta = RidgeSolver.Solve(psi.TransposeThisAndMultiply(psi), 0.1, psi.TransposeThisAndMultiply(Data.Y));
        double rel = (model.Coefficients! - beta).FrobeniusNorm() / beta.FrobeniusNorm();
        Assert.True(rel < 1e-9, $"relative difference {rel:E2}");
    }

    private static double[] Coefficients(KrrModel m) =>
        (m.IsExact ? m.DualCoefficients! : m.Coefficients!).ToColumnMajorArray();
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Features;

/// <summary>How rounds cut their work into blocks: sizes within their memory cap, whole feature blocks, and block
/// partial sums that add up to the whole.</summary>
public sealed class BlockPlanTests
{
    [Theory]
    [InlineData(1797, 1, 2048)]    // the NTK's patterns on digits: the draw cap binds
    [InlineData(1797, 64, 128)]    // Ψ_b of 64 columns per draw: 1797·64·128 doubles ≤ 16 Mi
    [InlineData(600, 1, 2048)]
    [InlineData(3_000_000, 2, 64)] // never below one feature block, however large n is
    [InlineData(0, 0, 2048)]
    public void Outer_blocks_hold_whole_feature_blocks_within_the_memory_cap(int rows, int columnsPerDraw, int expected)
    {
        int draws = BlockPlan.OuterFeatureBlock(rows, columnsPerDraw);
        Assert.Equal(expected, draws);
        Assert.Equal(0, draws % BlockPlan.DefaultFeatureBlock);
        if (draws > BlockPlan.DefaultFeatureBlock)
            Assert.True((long)rows * columnsPerDraw * draws <= BlockPlan.MaxGramBlockDoubles);
    }

    [Theory]
    [InlineData("ntk")]
    [InlineData("rbf:gamma=0.5")]
    public void Outer_partials_over_the_planned_blocks_add_up_to_the_whole(string spec)
    {
        var kernel = KernelSpec.Parse(spec);
        var rng = new System.Random(4);
        var x = Matrix<double>.Build.Dense(40, 3, (_, _) => 2 * rng.NextDouble() - 1);
        var draws = PlainSampler.Sample(kernel, 3, 5000, seed: 8);
        var plan = new BlockPlan(draws.Count, BlockPlan.OuterFeatureBlock(x.RowCount, FeatureMap.OuterColumnsPerDraw(draws)));
        Assert.Equal(3, plan.Count); // 2048 + 2048 + 904 draws
        var sum = Matrix<double>.Build.Dense(40, 40);
        for (int b = 0; b < plan.Count; b++) sum += FeatureMap.OuterGram(draws, x, plan.Start(b), plan.Length(b));
        var psi = FeatureMap.Build(draws, x);
        var whole = psi * psi.Transpose();
        Assert.True((sum - whole).FrobeniusNorm() <= 1e-12 * whole.FrobeniusNorm(), $"‖Σ_b − ΨΨᵀ‖ = {(sum - whole).FrobeniusNorm():G3}");
        Assert.True(whole.FrobeniusNorm() > 0);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// Resampling a candidate pool ∝ τ with weights τ̄/τ_j (Def 3.2 restricted to the pool): reproducible for a seed,
/// frequencies proportional to τ, zero-τ candidates never chosen, and invalid scores refused.
/// </summary>
public sealed class LeverageSelectionTests(ITestOutputHelper output)
{
    private static readonly RbfKernel Kernel = new(0.5);

    /// <summary>A pool of <paramref name="size"/> rbf draws on d = 2 whose first coordinate is the candidate's index, so a selected row names its candidate.</summary>
    private static Matrix<double> IndexedPool(int size)
    {
        var pool = PlainSampler.Sample(Kernel, 2, size, seed: 3).Draws;
        for (int j = 0; j < size; j++) pool[j, 0] = j;
        return pool;
    }

    private static int[] Chosen(FeatureDraws draws) =>
        Enumerable.Range(0, draws.Count).Select(r => (int)draws.Draws[r, 0]).ToArray();

    [Fact]
    public void Same_seed_gives_the_same_selection_and_other_seeds_differ()
    {
        var pool = IndexedPool(200);
        var tau = Enumerable.Range(0, 200).Select(j => 0.5 + (j % 7)).ToArray();
        var a = LeverageSelection.Select(Kernel, 2, pool, tau, 60, seed: 11);
        var b = LeverageSelection.Select(Kernel, 2, pool, tau, 60, seed: 11);
        var c = LeverageSelection.Select(Kernel, 2, pool, tau, 60, seed: 12);
        Assert.Equal(a.Draws.ToColumnMajorArray(), b.Draws.ToColumnMajorArray());
        Assert.Equal(a.Weights, b.Weights);
        Assert.NotEqual(Chosen(a), Chosen(c));
        // Every selected row is a pool row, verbatim.
        foreach (var (draws, j) in new[] { a, c }.SelectMany(d => Enumerable.Range(0, d.Count).Select(r => (d, r))))
            Assert.Equal(pool.Row(Chosen(draws)[j]).ToArray(), draws.Draws.Row(j).ToArray());
        Assert.Same(Kernel, a.Kernel);
        Assert.Equal(2, a.InputDimension);
        Assert.Equal(60, a.Count);
    }

    [Fact]
    public void Candidates_with_zero_leverage_are_never_selected()
    {
        // Zeros first, last, and in runs: the cumulative sums have flat stretches at both ends and in the middle.
        var tau = new[] { 0, 0, 1.0, 0, 0, 0, 2.5, 0, 1e-3, 0, 0, 4.0, 0, 0 };
        var pool = IndexedPool(tau.Length);
        var counts = new int[tau.Length];
        for (ulong seed = 0; seed < 50; seed++)
        {
            var draws = LeverageSelection.Select(Kernel, 2, pool, tau, 2000, seed);
            foreach (int j in Chosen(draws)) counts[j]++;
        }
        output.WriteLine("counts: " + string.Join(", ", counts));
        for (int j = 0; j < tau.Length; j++)
        {
            if (tau[j] == 0) Assert.True(counts[j] == 0, $"candidate {j} has τ = 0 but was selected {counts[j]} times");
            else Assert.True(counts[j] > 0, $"candidate {j} (τ = {tau[j]}) never selected in 100 000 draws");
        }
    }

    [Fact]
    public void A_single_positive_candidate_among_zeros_is_always_selected()
    {
        foreach (int position in new[] { 0, 3, 6 })
        {
            var tau = new double[7];
            tau[position] = 0.25;
            var pool = IndexedPool(7);
            var draws = LeverageSelection.Select(Kernel, 2, pool, tau, 500, seed: (ulong)position);
            Assert.All(Chosen(draws), j => Assert.Equal(position, j));
            // τ̄/τ_j = (0.25/7)/0.25 = 1/7.
            Assert.All(draws.Weights, w => Assert.Equal(0.25 / 7 / 0.25, w, 15));
        }
    }

    [Fact]
    public void Frequencies_are_proportional_to_leverage()
    {
        var tau = new[] { 0.5, 1.0, 2.0, 3.0, 3.5 };
        const int total = 100_000;
        var pool = IndexedPool(tau.Length);
        var draws = LeverageSelection.Select(Kernel, 2, pool, tau, total, seed: 2020);
        var counts = new int[tau.Length];
        foreach (int j in Chosen(draws)) counts[j]++;
        double sum = tau.Sum(), chiSquare = 0;
        for (int j = 0; j < tau.Length; j++)
        {
            double expected = total * tau[j] / sum;
            chiSquare += (counts[j] - expected) * (counts[j] - expected) / expected;
        }
        output.WriteLine($"counts {string.Join(", ", counts)}; χ² = {chiSquare:F2} (4 degrees of freedom)");
        // χ²₄ survival at 35 is e^{−17.5}(1 + 17.5) ≈ 5e-7.
        Assert.True(chiSquare < 35, $"χ² = {chiSquare:F2} with 4 degrees of freedom: frequencies are not ∝ τ ({string.Join(", ", counts)})");
        // And a χ² against the uniform distribution is huge: the check distinguishes ∝ τ from ignoring τ.
        double uniformChi = counts.Sum(c => (c - total / 5.0) * (c - total / 5.0) / (total / 5.0));
        Assert.True(uniformChi > 1000, $"χ² against uniform only {uniformChi:F1}");
    }

    [Fact]
    public void Weights_are_the_pool_mean_over_the_selected_score()
    {
        var rng = new System.Random(4);
        var tau = Enumerable.Range(0, 257).Select(_ => Math.Exp(3 * rng.NextDouble() - 1.5)).ToArray();
        var pool = IndexedPool(tau.Length);
        var draws = LeverageSelection.Select(Kernel, 2, pool, tau, 300, seed: 8);
        // τ̄ summed in pool order, as a plain left-to-right sum.
        double s = 0;
        foreach (double t in tau) s += t;
        double mean = s / tau.Length;
        var chosen = Chosen(draws);
        for (int r = 0; r < draws.Count; r++)
            Assert.Equal(mean / tau[chosen[r]], draws.Weights[r]);
        // Def 3.2's weights average to 1 over q: E_q[p/q] = 1. Over 300 draws, loosely.
        double average = draws.Weights.Average();
        output.WriteLine($"mean weight {average:G4}");
        Assert.InRange(average, 0.8, 1.25);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Rejects_scores_that_are_not_finite_and_non_negative(double bad)
    {
        var pool = IndexedPool(4);
        var tau = new[] { 1.0, 2.0, bad, 3.0 };
        var e = Assert.Throws<ArgumentException>(() => LeverageSelection.Select(Kernel, 2, pool, tau, 5, seed: 0));
        Assert.Contains("candidate 2", e.Message);
    }

    [Fact]
    public void Rejects_all_zero_scores_and_bad_shapes()
    {
        var pool = IndexedPool(4);
        Assert.Throws<InvalidOperationException>(() => LeverageSelection.Select(Kernel, 2, pool, new double[4], 5, seed: 0));
        Assert.Throws<ArgumentException>(() => LeverageSelection.Select(Kernel, 2, pool, new[] { 1.0, 2.0, 3.0 }, 5, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeverageSelection.Select(Kernel, 2, pool, new[] { 1.0, 2, 3, 4 }, 0, seed: 0));
    }
}

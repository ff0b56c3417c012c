using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// Def 3.1: τ(w) = tr[Φ(w)ᵀ(K+λI)⁻¹Φ(w)]. The scorer's batched forms — for the NTK the shortcut sᵀ(A∘XXᵀ)s with
/// s = 1[Xw ≥ 0] — against the definition computed one candidate at a time with MathNet's Cholesky, Φ(w) written
/// out from the kernel's feature map.
/// </summary>
public sealed class ExactLeverageScorerTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kernels => new() { "ntk", "rbf:gamma=0.5", "laplace:gamma=0.3" };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Scores_equal_the_definition_computed_naively(string spec)
    {
        var kernel = KernelSpec.Parse(spec);
        // The NTK on unit rows and on raw rows of mixed norms: the shortcut must not assume ‖x‖ = 1.
        var x = kernel is NtkKernel ? SamplingTestSupport.Uniform(45, 4, seed: 3) : SamplingTestSupport.Uniform(45, 3, seed: 3);
        const double lambda = 0.02;
        var k = kernel.Evaluate(x, x);
        var candidates = PlainSampler.Sample(kernel, x.ColumnCount, 200, seed: 9).Draws;

        var scored = ExactLeverageScorer.Create(kernel, x, k, lambda).Score(candidates);
        var naive = SamplingTestSupport.NaiveTau(kernel, x, k, lambda, candidates);
        Assert.Equal(candidates.RowCount, scored.Length);
        double worst = 0;
        for (int r = 0; r < scored.Length; r++)
        {
            double rel = Math.Abs(scored[r] - naive[r]) / naive[r];
            worst = Math.Max(worst, rel);
            Assert.True(rel <= 1e-9, $"candidate {r}: scorer {scored[r]:R}, definition {naive[r]:R} (relative {rel:G3})");
        }
        output.WriteLine($"{spec}: max relative difference {worst:G3} over {scored.Length} candidates; τ ∈ [{naive.Min():G4}, {naive.Max():G4}]");
    }

    [Fact]
    public void Ntk_shortcut_on_unit_rows_and_a_dead_neuron()
    {
        var kernel = new NtkKernel();
        var x = SamplingTestSupport.UnitRows(50, 5, seed: 21);
        // Shift every row into the half-space x₁ > 0, so that w = −e₁ activates no row: Φ(w) = 0 and τ(w) = 0 exactly.
        for (int i = 0; i < x.RowCount; i++) x[i, 0] = Math.Abs(x[i, 0]) + 0.1;
        const double lambda = 0.05;
        var k = kernel.Evaluate(x, x);
        var candidates = PlainSampler.Sample(kernel, 5, 101, seed: 4).Draws;
        candidates.SetRow(100, new double[] { -1, 0, 0, 0, 0 });

        var scored = ExactLeverageScorer.Create(kernel, x, k, lambda).Score(candidates);
        var naive = SamplingTestSupport.NaiveTau(kernel, x, k, lambda, candidates);
        for (int r = 0; r < 100; r++)
            Assert.True(Math.Abs(scored[r] - naive[r]) <= 1e-9 * naive[r], $"candidate {r}: {scored[r]:R} vs {naive[r]:R}");
        Assert.Equal(0.0, naive[100]);
        Assert.Equal(0.0, scored[100]);
    }

    [Fact]
    public void Scores_do_not_depend_on_how_candidates_are_batched()
    {
        var kernel = new RbfKernel(0.5);
        var x = SamplingTestSupport.Uniform(30, 3, seed: 2);
        var scorer = ExactLeverageScorer.Create(kernel, x, kernel.Evaluate(x, x), 0.1);
        var candidates = PlainSampler.Sample(kernel, 3, 20, seed: 1).Draws;
        var together = scorer.Score(candidates);
        for (int r = 0; r < 20; r++)
        {
            double alone = scorer.Score(candidates.SubMatrix(r, 1, 0, candidates.ColumnCount))[0];
            Assert.True(Math.Abs(alone - together[r]) <= 1e-12 * together[r], $"candidate {r}: alone {alone:R}, in a batch {together[r]:R}");
        }
    }
}

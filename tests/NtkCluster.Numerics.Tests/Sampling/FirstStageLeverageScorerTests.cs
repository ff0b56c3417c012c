using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// The scalable scorer replaces (K+λI)⁻¹ by the first stage's (ZZᵀ+λI)⁻¹ and corrects by (1+ε₁), capped at
/// ‖Φ‖²/λ. When ε₁ is the first stage's true upper-side error (measured here on all rows, as max(0, μ_max − 1) of
/// the pencil (ZZᵀ+λI, K+λI)), (K+λI)⁻¹ ⪯ (1+ε₁)(ZZᵀ+λI)⁻¹, so every score must be ≥ the exact τ; and (K+λI)⁻¹ ⪯ I/λ
/// makes ‖Φ‖²/λ a cap. Also: without the correction the bound fails (so the test sees a missing correction), and
/// with a large first stage the scores approach the exact τ.
/// </summary>
public sealed class FirstStageLeverageScorerTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, double> Cases => new()
    {
        // First stages of 200 columns on n = 250 rows: ε₁ of order 1, so the correction matters and most scores stay
        // below the cap ‖Φ‖²/λ (a capped score is a trivially valid bound).
        { "rbf:gamma=0.3", 200, 0.1 },
        { "laplace:gamma=0.3", 200, 0.1 },
        { "ntk", 50, 0.1 },   // 50 draws × d2 = 4 → 200 first-stage columns
    };

    private static Matrix<double> Data(IFeatureKernel kernel, int n) =>
        kernel is NtkKernel ? SamplingTestSupport.UnitRows(n, 4, seed: 31) : SamplingTestSupport.Uniform(n, 4, seed: 31);

    /// <summary>The first stage's Gram ZᵀZ and its upper-side error ε₁ on all rows.</summary>
    private static (Matrix<double> Gram, double Epsilon1) FirstStage(Matrix<double> k, FeatureDraws firstStage, Matrix<double> x, double lambda)
    {
        var z = FeatureMap.Build(firstStage, x);
        var report = SpectralApproximation.Measure(k, z, lambda);
        return (z.TransposeThisAndMultiply(z), Math.Max(0.0, report.MaxEigenvalue - 1.0));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Corrected_scores_bound_the_exact_leverage_from_above_and_stay_below_the_cap(string spec, int firstStageDraws, double lambda)
    {
        var kernel = KernelSpec.Parse(spec);
        var x = Data(kernel, 250);
        var k = kernel.Evaluate(x, x);
        var firstStage = PlainSampler.Sample(kernel, x.ColumnCount, firstStageDraws, seed: 1001);
        var (gram, epsilon1) = FirstStage(k, firstStage, x, lambda);
        var candidates = PlainSampler.Sample(kernel, x.ColumnCount, 500, seed: 77).Draws;

        var exact = ExactLeverageScorer.Create(kernel, x, k, lambda).Score(candidates);
        var scorer = new FirstStageLeverageScorer(kernel, x, firstStage, gram, lambda, epsilon1);
        Assert.Equal(epsilon1, scorer.FirstStageEpsilon);
        var bound = scorer.Score(candidates);
        var norms = SamplingTestSupport.SquaredNorms(kernel, x, candidates);

        double minRatio = double.PositiveInfinity, meanRatio = 0;
        int capped = 0;
        for (int r = 0; r < bound.Length; r++)
        {
            double cap = norms[r] / lambda;
            Assert.True(bound[r] >= exact[r] * (1 - 1e-9), $"candidate {r}: scalable score {bound[r]:R} below exact τ {exact[r]:R} (ε₁ = {epsilon1:G4})");
            Assert.True(bound[r] <= cap * (1 + 1e-12), $"candidate {r}: scalable score {bound[r]:R} above ‖Φ‖²/λ = {cap:R}");
            minRatio = Math.Min(minRatio, bound[r] / exact[r]);
            meanRatio += bound[r] / exact[r] / bound.Length;
            if (bound[r] >= cap * (1 - 1e-12)) capped++;
        }
        output.WriteLine($"{spec}: ε₁ = {epsilon1:G4}; bound/exact min {minRatio:G4}, mean {meanRatio:G4}; {capped} of {bound.Length} at the cap; exact mean τ {exact.Average():G4}");
        Assert.True(epsilon1 > 0, "the first stage should overshoot somewhere; otherwise the correction is not exercised");
        Assert.True(capped < bound.Length / 2, $"{capped} of {bound.Length} scores at the cap: the lower-bound check would mostly test the cap");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Without_the_correction_some_scores_undershoot(string spec, int firstStageDraws, double lambda)
    {
        // The same first stage with ε₁ = 0: τ̃ alone is not an upper bound, which is why the correction exists.
        // This is what shows the previous test can fail.
        var kernel = KernelSpec.Parse(spec);
        var x = Data(kernel, 250);
        var k = kernel.Evaluate(x, x);
        var firstStage = PlainSampler.Sample(kernel, x.ColumnCount, firstStageDraws, seed: 1001);
        var (gram, _) = FirstStage(k, firstStage, x, lambda);
        var candidates = PlainSampler.Sample(kernel, x.ColumnCount, 500, seed: 77).Draws;
        var exact = ExactLeverageScorer.Create(kernel, x, k, lambda).Score(candidates);
        var uncorrected = new FirstStageLeverageScorer(kernel, x, firstStage, gram, lambda, 0.0).Score(candidates);
        int below = Enumerable.Range(0, exact.Length).Count(r => uncorrected[r] < exact[r] * (1 - 1e-9));
        output.WriteLine($"{spec}: {below} of {exact.Length} uncorrected scores below the exact τ");
        Assert.True(below > 0, "no uncorrected score fell below τ; the upper-bound test would not detect a missing correction");
    }

    [Fact]
    public void A_larger_first_stage_gives_scores_closer_to_exact()
    {
        // The corrected score is min((1+ε₁)·τ̃, ‖Φ‖²/λ), so on average it sits about a factor (1+ε₁) above τ: its
        // distance to τ cannot fall below roughly ε₁, which for random features shrinks only like 1/√s. Observed on
        // this data (rbf γ=0.3, n=100, 500 candidates; mean |score − τ|/τ):
        //   λ=0.01: s=600 → corrected 3.2, τ̃ alone 0.29; s=2000 → corrected 1.1 (ε₁ = 0.96), τ̃ alone 0.09
        //   λ=1:    s=100 → corrected 1.39, τ̃ alone 0.19; s=600 → corrected 0.40 (ε₁ = 0.35), τ̃ alone 0.062;
        //           s=1000 → corrected 0.26, s=2000 → 0.19
        // The scorer inverts the s×s matrix ZᵀZ+λI, so s = 2000 costs about 30 s here; s = 600 keeps this test under
        // a second. The bounds below leave about a factor 1.5–2.5 over what is observed. (A uniform factor 1+ε₁ cancels
        // in q ∝ τ̃ and in the weights τ̄/τ, so it is τ̃'s accuracy, the second bound, that shapes the selection.)
        var kernel = new RbfKernel(0.3);
        var x = SamplingTestSupport.Uniform(100, 4, seed: 12);
        const double lambda = 1.0;
        var k = kernel.Evaluate(x, x);
        var candidates = PlainSampler.Sample(kernel, 4, 500, seed: 5).Draws;
        var exact = ExactLeverageScorer.Create(kernel, x, k, lambda).Score(candidates);

        (double Corrected, double Uncorrected, double Epsilon1) Distance(int draws)
        {
            var firstStage = PlainSampler.Sample(kernel, 4, draws, seed: 2024);
            var (gram, epsilon1) = FirstStage(k, firstStage, x, lambda);
            var corrected = new FirstStageLeverageScorer(kernel, x, firstStage, gram, lambda, epsilon1).Score(candidates);
            var uncorrected = new FirstStageLeverageScorer(kernel, x, firstStage, gram, lambda, 0.0).Score(candidates);
            double c = Enumerable.Range(0, exact.Length).Average(r => Math.Abs(corrected[r] - exact[r]) / exact[r]);
            double u = Enumerable.Range(0, exact.Length).Average(r => Math.Abs(uncorrected[r] - exact[r]) / exact[r]);
            output.WriteLine($"first stage {draws} draws: ε₁ = {epsilon1:G4}, mean relative difference corrected {c:G4}, uncorrected {u:G4}");
            return (c, u, epsilon1);
        }

        var small = Distance(100);
        var large = Distance(600);
        Assert.True(large.Uncorrected < 0.15, $"600 first-stage draws on n = 100: τ̃ mean relative difference {large.Uncorrected:G4}");
        Assert.True(large.Corrected < 0.6, $"600 first-stage draws on n = 100: corrected mean relative difference {large.Corrected:G4}");
        Assert.True(large.Corrected < small.Corrected && large.Uncorrected < small.Uncorrected && large.Epsilon1 < small.Epsilon1,
            $"more first-stage draws did not get closer: {large} vs {small}");
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// The subsample mode scores candidates against n′ hashed rows with λ′ = λ·n′/n. What it guarantees: with ε₁ the first
/// stage's true upper-side error on the subsample (at λ′), the corrected scores bound the subsample's exact leverage
/// τ_S(w; λ′) from above — checked against <see cref="ExactLeverageScorer"/> on the subsample. What it estimates: the
/// full data's τ(w; λ), checked against the exact scorer on all rows (a statistical statement, with the margins that
/// were observed).
/// </summary>
public sealed class SubsampleScoringTests(ITestOutputHelper output)
{
    [Fact]
    public void Scoring_rows_grow_with_the_statistical_dimension_between_the_floor_and_the_ceiling_and_never_exceed_n()
    {
        Assert.Equal(SubsampleScoring.MinimumRows, SubsampleScoring.ScoringRows(10, 1_000_000));
        Assert.Equal(1500, SubsampleScoring.ScoringRows(10, 1500));
        // 4·500·ln(500e) = 4·500·7.2146 = 14429.3 → 14430
        Assert.Equal(14430, SubsampleScoring.ScoringRows(500, 1_000_000));
        Assert.Equal(SubsampleScoring.MaximumRows, SubsampleScoring.ScoringRows(5000, 1_000_000));
        Assert.Equal(SubsampleScoring.MaximumRows, SubsampleScoring.ScoringRows(double.PositiveInfinity, 1_000_000));
        Assert.True(SubsampleScoring.ScoringRows(200, 1_000_000) < SubsampleScoring.ScoringRows(400, 1_000_000));
    }

    [Fact]
    public void The_hashed_order_is_the_partitions_smallest_row_sample_keys_and_nested()
    {
        const int n = 3000;
        const ulong seed = 17;
        var order = SubsampleScoring.HashedOrder(n, seed);
        var partition = PartitionFixture(n);
        var keys = RowSample.SmallestKeys(partition, null, seed, 700);
        Assert.Equal(RowSample.Rows(keys).Select(r => (int)r).ToArray(), SubsampleScoring.First(order, 700));
        // The pilot is inside every larger sample: ε₁ is measured on rows that are scored against.
        Assert.Empty(SubsampleScoring.First(order, 1000).Except(SubsampleScoring.First(order, 2000)));
        Assert.Equal(Enumerable.Range(0, n), SubsampleScoring.First(order, n + 5));
    }

    private static DataPartition PartitionFixture(int rows) =>
        new(0, "p.csv", DataFormat.Csv, new FileFingerprint(1000, DateTime.UnixEpoch, "x"), -1, 0, 1000, rows, 0, 0);

    [Theory]
    [InlineData("rbf:gamma=0.3", 0.5)]
    [InlineData("laplace:gamma=0.3", 0.5)]
    public void Corrected_subsample_scores_bound_the_subsamples_exact_leverage_and_estimate_the_full_one(string spec, double lambda)
    {
        var kernel = KernelSpec.Parse(spec);
        const int n = 1200, subsample = 400;
        var x = SamplingTestSupport.Uniform(n, 4, seed: 31);
        var rows = SubsampleScoring.First(SubsampleScoring.HashedOrder(n, 5), subsample);
        var xs = SubsampleScoring.Rows(x, rows);
        double scaled = SubsampleScoring.ScaledLambda(lambda, subsample, n);
        Assert.Equal(lambda / 3, scaled, 15);
        var ks = kernel.Evaluate(xs, xs);

        var firstStage = PlainSampler.Sample(kernel, 4, 150, seed: 1001);
        var z = FeatureMap.Build(firstStage, xs);
        double epsilon1 = Math.Max(0.0, SpectralApproximation.Measure(ks, z, scaled).MaxEigenvalue - 1.0);
        var candidates = PlainSampler.Sample(kernel, 4, 400, seed: 77).Draws;
        var corrected = new FirstStageLeverageScorer(kernel, xs, firstStage, z.TransposeThisAndMultiply(z), scaled, epsilon1).Score(candidates);
        var uncorrected = new FirstStageLeverageScorer(kernel, xs, firstStage, z.TransposeThisAndMultiply(z), scaled, 0.0).Score(candidates);
        var onSubsample = ExactLeverageScorer.Create(kernel, xs, ks, scaled).Score(candidates);
        var full = ExactLeverageScorer.Create(kernel, x, kernel.Evaluate(x, x), lambda).Score(candidates);

        for (int r = 0; r < candidates.RowCount; r++)
            Assert.True(corrected[r] >= onSubsample[r] * (1 - 1e-9),
                $"candidate {r}: corrected score {corrected[r]:R} below the subsample's exact τ {onSubsample[r]:R} (ε₁ = {epsilon1:G4})");
        int below = Enumerable.Range(0, candidates.RowCount).Count(r => uncorrected[r] < onSubsample[r] * (1 - 1e-9));
        Assert.True(below > 0, "no uncorrected score fell below τ_S: the bound check would not see a missing correction");

        // The estimate of the full τ(w; λ): the subsample's exact τ_S(w; λ·n′/n) against it.
        var ratios = Enumerable.Range(0, full.Length).Select(r => onSubsample[r] / full[r]).Order().ToArray();
        double median = ratios[ratios.Length / 2];
        int coveredAfterCorrection = Enumerable.Range(0, full.Length).Count(r => corrected[r] >= full[r]);
        output.WriteLine($"{spec}: ε₁ = {epsilon1:G4}; τ_S/τ min {ratios[0]:G4}, median {median:G4}, max {ratios[^1]:G4}; " +
                         $"mean τ_S {onSubsample.Average():G4} vs τ {full.Average():G4}; {below} uncorrected below τ_S; " +
                         $"{coveredAfterCorrection} of {full.Length} corrected scores ≥ the full τ");
        // τ is concave in the empirical covariance (A ↦ A(A+μ)⁻¹ is operator concave) and a uniform subsample's
        // covariance averages to the full one, so by Jensen τ_S is biased low: the ratios sit below 1, by more when s_λ
        // is a larger share of n′ (here s_λ ≈ 130 (rbf) and 330 (laplace) of n′ = 400, a deliberately hard case; observed
        // medians 0.92 and 0.88, means 0.89 and 0.68, minima 0.80 and 0.54).
        Assert.InRange(median, 0.75, 1.05);
        Assert.InRange(onSubsample.Average() / full.Average(), 0.6, 1.05);
        Assert.True(ratios[0] > 0.4, $"a candidate's subsample τ_S is {ratios[0]:G4} of its full τ");
        // The correction (1+ε₁) covers that bias here: every corrected score is above the full data's exact τ.
        Assert.Equal(full.Length, coveredAfterCorrection);
    }
}

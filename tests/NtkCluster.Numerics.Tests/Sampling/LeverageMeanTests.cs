using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// eq. 4: s_λ(K) = ∫ q_λ(w) dw = E_{w∼p}[τ(w)], since E_p[Φ(w)Φ(w)ᵀ] = K gives E_p tr[Φᵀ(K+λI)⁻¹Φ] = tr[(K+λI)⁻¹K].
/// The Monte-Carlo mean of the exact leverage function over draws from p must match the statistical dimension
/// computed from K's eigenvalues, within a tolerance from the sample spread of τ.
/// </summary>
public sealed class LeverageMeanTests(ITestOutputHelper output)
{
    private const int Candidates = 20_000;

    public static TheoryData<string, double> Cases => new()
    {
        { "rbf:gamma=0.5", 0.05 },
        { "laplace:gamma=0.5", 0.05 },
        { "ntk", 0.01 },
    };

    private static Matrix<double> Data(IFeatureKernel kernel) =>
        kernel is NtkKernel ? SamplingTestSupport.UnitRows(60, 4, seed: 8) : SamplingTestSupport.Uniform(60, 3, seed: 8);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mean_leverage_over_p_is_the_statistical_dimension(string spec, double lambda)
    {
        var kernel = KernelSpec.Parse(spec);
        var x = Data(kernel);
        var k = kernel.Evaluate(x, x);
        var scorer = ExactLeverageScorer.Create(kernel, x, k, lambda);
        var candidates = PlainSampler.Sample(kernel, x.ColumnCount, Candidates, seed: 123).Draws;
        var tau = scorer.Score(candidates);

        var (mean, se) = SamplingTestSupport.MeanAndError(tau);
        double sLambda = KernelSpectrum.Of(k).StatisticalDimension(lambda);
        double z = Math.Abs(mean - sLambda) / se;
        output.WriteLine($"{spec}, λ={lambda}: mean τ = {mean:G6} ± {se:G3} (SE), s_λ = {sLambda:G6} (n = {x.RowCount}), |z| = {z:F2}, τ ∈ [{tau.Min():G4}, {tau.Max():G4}]");
        Assert.True(sLambda > 1 && sLambda < x.RowCount - 1, $"s_λ = {sLambda}: pick λ so that s_λ is neither trivial nor n");
        Assert.True(z <= 5.0, $"mean τ {mean:G6} is {z:F2} standard errors from s_λ {sLambda:G6}");
        // And the scorer's own s_λ (n − λ·tr[(K+λI)⁻¹]) is the same number.
        Assert.True(Math.Abs(scorer.StatisticalDimension - sLambda) <= 1e-8 * sLambda,
            $"ExactLeverageScorer.StatisticalDimension {scorer.StatisticalDimension:R} vs spectrum {sLambda:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scorer_statistical_dimension_matches_the_spectrum_over_many_lambdas(string spec, double lambda)
    {
        var kernel = KernelSpec.Parse(spec);
        var x = Data(kernel);
        var k = kernel.Evaluate(x, x);
        var spectrum = KernelSpectrum.Of(k);
        foreach (double l in new[] { lambda / 10, lambda, lambda * 10, 1.0 })
        {
            double viaScorer = ExactLeverageScorer.Create(kernel, x, k, l).StatisticalDimension;
            double viaSpectrum = spectrum.StatisticalDimension(l);
            double rel = Math.Abs(viaScorer - viaSpectrum) / viaSpectrum;
            output.WriteLine($"{spec}, λ={l:G3}: scorer {viaScorer:R}, spectrum {viaSpectrum:R}, relative {rel:G3}");
            Assert.True(rel <= 1e-8, $"λ={l}: {viaScorer:R} vs {viaSpectrum:R} (relative {rel:G3})");
        }
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Sampling;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Sampling;

/// <summary>
/// Def 3.2: with draws from q and weights p/q, E[ΨΨᵀ] = K. For a finite pool sampled ∝ τ with weights τ̄/τ_j the
/// expectation is the pool's own kernel K_pool = (1/P)Σ_j Φ(w_j)Φ(w_j)ᵀ. Checked by Monte Carlo over many
/// selection seeds, with the tolerance taken from the spread across seeds; and the same average without the
/// weights is shown to be biased, so the check has the power to see a missing or wrong weight.
/// </summary>
public sealed class WeightUnbiasednessTests(ITestOutputHelper output)
{
    private const int N = 40, D = 3, PoolSize = 300, M = 50, Repeats = 400;
    private const double Lambda = 0.05;

    [Fact]
    public void Weighted_selection_averages_to_the_pool_kernel_and_unweighted_does_not()
    {
        var kernel = new RbfKernel(0.5);
        var x = SamplingTestSupport.Uniform(N, D, seed: 5);
        var k = kernel.Evaluate(x, x);
        var plainPool = PlainSampler.Sample(kernel, D, PoolSize, seed: 17);
        var pool = plainPool.Draws;
        // The pool kernel from plain weights-1 draws: FeatureMap scales by √(1/P), so ΦΦᵀ = (1/P)Σ φφᵀ.
        var poolPhi = FeatureMap.Build(plainPool, x);
        var kPool = poolPhi * poolPhi.Transpose();
        var tau = ExactLeverageScorer.Create(kernel, x, k, Lambda).Score(pool);
        output.WriteLine($"τ over the pool: min {tau.Min():G4}, mean {tau.Average():G4}, max {tau.Max():G4}");
        // The contrast this test relies on: τ must vary across the pool, or weights would be ≈ 1 anyway.
        Assert.True(tau.Max() > 2 * tau.Min(), $"τ barely varies ({tau.Min():G4}…{tau.Max():G4}); the test would have no power");

        var weighted = new Accumulator(N);
        var unweighted = new Accumulator(N);
        var ones = Enumerable.Repeat(1.0, M).ToArray();
        for (int seed = 0; seed < Repeats; seed++)
        {
            var draws = LeverageSelection.Select(kernel, D, pool, tau, M, (ulong)seed);
            var psi = FeatureMap.Build(draws, x);
            weighted.Add(psi * psi.Transpose());
            var bare = FeatureMap.Build(new FeatureDraws(kernel, D, draws.Draws, ones), x);
            unweighted.Add(bare * bare.Transpose());
        }

        var (zWeighted, errWeighted) = weighted.WorstZ(kPool);
        var (zUnweighted, errUnweighted) = unweighted.WorstZ(kPool);
        output.WriteLine($"weighted:   max |mean − K_pool| / SE = {zWeighted:F2}, max |mean − K_pool| = {errWeighted:G3}");
        output.WriteLine($"unweighted: max |mean − K_pool| / SE = {zUnweighted:F2}, max |mean − K_pool| = {errUnweighted:G3}");
        // 820 distinct entries: for normal averages P(max |z| > 5) ≈ 820 · 5.7e-7 < 1e-3.
        Assert.True(zWeighted <= 5.0, $"weighted average is {zWeighted:F2} standard errors from K_pool on some entry");
        Assert.True(zUnweighted >= 10.0, $"the unweighted average is only {zUnweighted:F2} standard errors from K_pool: the weights would not be tested");
    }

    /// <summary>Entrywise sums and sums of squares of n×n samples.</summary>
    private sealed class Accumulator(int n)
    {
        private readonly Matrix<double> _sum = Matrix<double>.Build.Dense(n, n);
        private readonly Matrix<double> _squares = Matrix<double>.Build.Dense(n, n);
        private int _count;

        public void Add(Matrix<double> sample)
        {
            _sum.Add(sample, _sum);
            _squares.Add(sample.PointwiseMultiply(sample), _squares);
            _count++;
        }

        /// <summary>The largest |mean − target| in standard errors over the upper triangle, and the largest |mean − target|.</summary>
        public (double Z, double AbsoluteError) WorstZ(Matrix<double> target)
        {
            double worstZ = 0, worstError = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = i; j < n; j++)
                {
                    double mean = _sum[i, j] / _count;
                    double variance = Math.Max(0, (_squares[i, j] - _count * mean * mean) / (_count - 1));
                    double se = Math.Sqrt(variance / _count);
                    double error = Math.Abs(mean - target[i, j]);
                    worstError = Math.Max(worstError, error);
                    // A zero-variance entry must match exactly (up to rounding).
                    double z = se > 0 ? error / se : (error <= 1e-12 ? 0 : double.PositiveInfinity);
                    worstZ = Math.Max(worstZ, z);
                }
            }
            return (worstZ, worstError);
        }
    }
}

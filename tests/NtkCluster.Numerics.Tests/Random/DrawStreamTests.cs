using MathNet.Numerics.Distributions;
using NtkCluster.Numerics.Random;
using Xunit;

namespace NtkCluster.Numerics.Tests.Random;

public sealed class DrawStreamTests
{
    private const int Draws = 200_000;

    private static ulong[] First(DrawStream s, int count)
    {
        var values = new ulong[count];
        for (int i = 0; i < count; i++) values[i] = s.NextUInt64();
        return values;
    }

    [Theory]
    [InlineData(0UL, DrawPurpose.FeatureDraws, 0L)]
    [InlineData(42UL, DrawPurpose.TrainTestSplit, 7L)]
    [InlineData(ulong.MaxValue, DrawPurpose.Testing, long.MaxValue)]
    [InlineData(123456789UL, DrawPurpose.LeverageSelection, -1L)]
    public void Same_key_gives_same_sequence(ulong seed, DrawPurpose purpose, long block)
    {
        var a = new DrawStream(seed, purpose, block);
        var b = new DrawStream(seed, purpose, block);
        Assert.Equal(First(a, 1000), First(b, 1000));

        // The derived draws too, interleaved as a sampler would use them (the Gaussian spare is part of the state).
        var c = new DrawStream(seed, purpose, block);
        var d = new DrawStream(seed, purpose, block);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(c.NextGaussian(), d.NextGaussian());
            Assert.Equal(c.NextDouble(), d.NextDouble());
            Assert.Equal(c.NextInt(17), d.NextInt(17));
            Assert.Equal(c.NextCauchy(0.7), d.NextCauchy(0.7));
        }
    }

    [Fact]
    public void Different_block_purpose_or_seed_gives_different_sequences()
    {
        ulong[] reference = First(new DrawStream(5, DrawPurpose.FeatureDraws, 3), 16);
        var others = new[]
        {
            First(new DrawStream(5, DrawPurpose.FeatureDraws, 4), 16),   // block index
            First(new DrawStream(5, DrawPurpose.FeatureDraws, 2), 16),
            First(new DrawStream(5, DrawPurpose.TrainTestSplit, 3), 16), // purpose
            First(new DrawStream(5, DrawPurpose.CandidatePool, 3), 16),
            First(new DrawStream(6, DrawPurpose.FeatureDraws, 3), 16),   // seed
            First(new DrawStream(4, DrawPurpose.FeatureDraws, 3), 16),
        };
        foreach (var other in others)
        {
            // 64-bit outputs of unrelated streams coincide with probability 2^-64 each: none may match.
            for (int i = 0; i < reference.Length; i++) Assert.NotEqual(reference[i], other[i]);
        }
    }

    [Fact]
    public void Many_neighbouring_keys_give_distinct_streams()
    {
        // 4000-odd distinct keys (seed 1 with block 0 is counted once): their first outputs must all differ.
        var seen = new HashSet<ulong>();
        for (long block = 0; block < 2000; block++) Assert.True(seen.Add(new DrawStream(1, DrawPurpose.FeatureDraws, block).NextUInt64()));
        for (ulong seed = 2; seed < 2002; seed++) Assert.True(seen.Add(new DrawStream(seed, DrawPurpose.FeatureDraws, 0).NextUInt64()));
        foreach (DrawPurpose purpose in Enum.GetValues<DrawPurpose>())
            Assert.True(seen.Add(new DrawStream(9999, purpose, 0).NextUInt64()));
    }

    [Fact]
    public void First_draws_of_neighbouring_blocks_and_seeds_are_uniform()
    {
        // Neighbouring keys must give unrelated states: the first uniform of blocks 0..N-1 (and of seeds 0..N-1)
        // must itself look like an i.i.d. uniform sample.
        const int n = 20_000;
        var byBlock = Enumerable.Range(0, n).Select(b => new DrawStream(77, DrawPurpose.FeatureDraws, b).NextDouble()).ToArray();
        var bySeed = Enumerable.Range(0, n).Select(s => new DrawStream((ulong)s, DrawPurpose.FeatureDraws, 0).NextDouble()).ToArray();
        Assert.True(Statistics.KolmogorovSmirnov(byBlock, u => u) < Statistics.KolmogorovCritical001);
        Assert.True(Statistics.KolmogorovSmirnov(bySeed, u => u) < Statistics.KolmogorovCritical001);
    }

    [Fact]
    public void Uniforms_are_in_their_intervals_and_uniform()
    {
        var s = new DrawStream(2024, DrawPurpose.Testing, 0);
        var u = new double[Draws];
        for (int i = 0; i < Draws; i++)
        {
            u[i] = s.NextDouble();
            Assert.InRange(u[i], 0.0, Math.BitDecrement(1.0));
            double open = s.NextOpenDouble();
            Assert.True(open > 0 && open < 1, $"NextOpenDouble gave {open}");
        }
        Assert.True(Statistics.KolmogorovSmirnov(u, x => x) < Statistics.KolmogorovCritical001);
        var (mean, variance) = Statistics.MeanVariance(u);
        Assert.True(Math.Abs(mean - 0.5) < 4 * Math.Sqrt(1.0 / 12 / Draws), $"mean {mean}");
        Assert.True(Math.Abs(variance - 1.0 / 12) < 0.002, $"variance {variance}");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(31337UL)]
    public void Gaussian_has_mean_zero_and_variance_one(ulong seed)
    {
        var s = new DrawStream(seed, DrawPurpose.Testing, 0);
        var z = new double[Draws];
        for (int i = 0; i < Draws; i++) z[i] = s.NextGaussian();

        var (mean, variance) = Statistics.MeanVariance(z);
        double seMean = 1.0 / Math.Sqrt(Draws);              // σ/√N
        double seVariance = Math.Sqrt(2.0 / (Draws - 1));    // √(2σ⁴/(N−1)) for normal data
        Assert.True(Math.Abs(mean) < 4 * seMean, $"mean {mean}, 4 SE = {4 * seMean}");
        Assert.True(Math.Abs(variance - 1) < 4 * seVariance, $"variance {variance}, 4 SE = {4 * seVariance}");

        // The shape, not only two moments: KS against Φ, and the tail mass beyond ±2.
        Assert.True(Statistics.KolmogorovSmirnov(z, v => Normal.CDF(0, 1, v)) < Statistics.KolmogorovCritical001);
        double tail = z.Count(v => Math.Abs(v) > 2) / (double)Draws;
        double p = 2 * Normal.CDF(0, 1, -2);
        Assert.True(Math.Abs(tail - p) < 4 * Math.Sqrt(p * (1 - p) / Draws), $"P(|z|>2) = {tail}, expected {p}");

        // Box–Muller returns its values in pairs: the two members of a pair must be uncorrelated.
        double sxy = 0;
        for (int i = 0; i + 1 < Draws; i += 2) sxy += z[i] * z[i + 1];
        double correlation = sxy / (Draws / 2);
        Assert.True(Math.Abs(correlation) < 4 / Math.Sqrt(Draws / 2), $"pair correlation {correlation}");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(7)]
    public void Next_int_is_uniform_over_its_range(int bins)
    {
        var s = new DrawStream(99, DrawPurpose.Testing, 1);
        const int n = 100_000;
        var counts = new int[bins];
        for (int i = 0; i < n; i++)
        {
            int k = s.NextInt(bins);
            Assert.InRange(k, 0, bins - 1);
            counts[k]++;
        }
        double expected = (double)n / bins;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        // Loose bound: the 1e-4 upper quantile of χ² with bins−1 ≤ 9 degrees of freedom is below 34.
        double bound = ChiSquared.InvCDF(bins - 1, 1 - 1e-4);
        Assert.True(chiSquare < bound, $"χ² = {chiSquare} ≥ {bound}; counts {string.Join(",", counts)}");
    }

    [Fact]
    public void Next_int_is_unbiased_for_a_large_non_power_of_two_bound()
    {
        // n = 3·2^29: "r mod n" of 32 random bits would hit [0, 2^30) — two thirds of the range — with probability
        // 3/4 instead of 2/3 (those values wrap three times, the rest twice). Unbiased sampling must give 2/3.
        const int bound = 3 << 29;
        var s = new DrawStream(5, DrawPurpose.Testing, 2);
        const int n = 60_000;
        int low = 0;
        for (int i = 0; i < n; i++)
        {
            int k = s.NextInt(bound);
            Assert.InRange(k, 0, bound - 1);
            if (k < 1 << 30) low++;
        }
        double p = 2.0 / 3;
        Assert.True(Math.Abs(low / (double)n - p) < 4 * Math.Sqrt(p * (1 - p) / n), $"fraction below 2^30: {low / (double)n}");
    }

    [Fact]
    public void Next_int_of_one_is_zero_and_non_positive_bounds_are_rejected()
    {
        var s = new DrawStream(1, DrawPurpose.Testing, 0);
        for (int i = 0; i < 100; i++) Assert.Equal(0, s.NextInt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.NextInt(-3));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(0.04)]
    public void Cauchy_has_median_zero_and_quartiles_at_plus_minus_scale(double scale)
    {
        var s = new DrawStream(8, DrawPurpose.Testing, 3);
        var c = new double[Draws];
        for (int i = 0; i < Draws; i++)
        {
            c[i] = s.NextCauchy(scale);
            Assert.True(double.IsFinite(c[i]));
        }
        var sorted = (double[])c.Clone();
        Array.Sort(sorted);

        // Standard error of the sample p-quantile: √(p(1−p)/N) / f(q_p); Cauchy density f(0) = 1/(πs), f(±s) = 1/(2πs).
        double seMedian = Math.Sqrt(0.25 / Draws) * Math.PI * scale;
        double seQuartile = Math.Sqrt(0.1875 / Draws) * 2 * Math.PI * scale;
        double median = Statistics.Quantile(sorted, 0.5);
        double q1 = Statistics.Quantile(sorted, 0.25);
        double q3 = Statistics.Quantile(sorted, 0.75);
        Assert.True(Math.Abs(median) < 4 * seMedian, $"median {median}, 4 SE = {4 * seMedian}");
        Assert.True(Math.Abs(q1 + scale) < 4 * seQuartile, $"lower quartile {q1}, expected {-scale} ± {4 * seQuartile}");
        Assert.True(Math.Abs(q3 - scale) < 4 * seQuartile, $"upper quartile {q3}, expected {scale} ± {4 * seQuartile}");

        var cauchy = new Cauchy(0, scale);
        Assert.True(Statistics.KolmogorovSmirnov(c, cauchy.CumulativeDistribution) < Statistics.KolmogorovCritical001);
    }
}

using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Kernels;

/// <summary>The fused projection-and-cosine of a random Fourier feature column (few input columns).</summary>
public sealed class ProjectedCosineTests
{
    private static (double[] X, double[] W) Data(int n, int d, int seed, double spread)
    {
        var rng = new System.Random(seed);
        var x = Enumerable.Range(0, n * d).Select(_ => (2 * rng.NextDouble() - 1) * spread).ToArray();
        var w = Enumerable.Range(0, d).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        return (x, w);
    }

    /// <summary>Against the textbook formula, √2·Math.Cos(Σ x·w + b) with the projection summed naively: the two differ
    /// by the cosine's ulp and the projections' roundings (a few ulp of Σ|x·w|), nothing more.</summary>
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 3.0)]
    [InlineData(7, 50.0)]
    [InlineData(16, 2.0)]
    public void Matches_scale_times_cos_of_the_plain_projection(int d, double spread)
    {
        const int n = 1003;
        var (x, w) = Data(n, d, d, spread);
        var output = new double[n];
        ProjectedCosine.Apply(x, n, w, 1.25, Math.Sqrt(2.0), output);
        for (int i = 0; i < n; i++)
        {
            double p = 0, magnitude = 0;
            for (int k = 0; k < d; k++) { p += x[k * n + i] * w[k]; magnitude += Math.Abs(x[k * n + i] * w[k]); }
            double expected = Math.Sqrt(2.0) * Math.Cos(p + 1.25);
            double tolerance = Math.Sqrt(2.0) * (4e-16 + 4 * d * 1.2e-16 * (magnitude + 1.25));
            Assert.True(Math.Abs(output[i] - expected) <= tolerance, $"row {i}: {output[i]} against {expected}");
        }
    }

    /// <summary>Each entry is bitwise scale·Cos(Projection + phase), whatever lane width computed it and wherever the
    /// row falls (vector body or scalar tail), out-of-range arguments included.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Every_lane_width_and_the_scalar_formula_give_the_same_bits(int d)
    {
        const int n = 77;
        var (x, w) = Data(n, d, 40 + d, 10.0);
        x[30] = 3e6; // row 30's argument beyond VectorCosine.FastRange: the Math.Cos fallback inside a vector
        foreach (var lanes in new[] { VectorCosine.Lanes.Widest, VectorCosine.Lanes.Vector, VectorCosine.Lanes.Scalar })
        {
            var output = new double[n];
            ProjectedCosine.Apply(x, n, w, 0.5, 0.3, output, lanes);
            for (int i = 0; i < n; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(0.3 * VectorCosine.Cos(ProjectedCosine.Projection(x, n, w, i) + 0.5)),
                    BitConverter.DoubleToInt64Bits(output[i]));
        }
    }

    [Fact]
    public void Rejects_short_buffers()
    {
        var x = new double[10];
        Assert.Throws<ArgumentException>(() => ProjectedCosine.Apply(x, 6, new double[2], 0, 1, new double[6]));
        Assert.Throws<ArgumentException>(() => ProjectedCosine.Apply(x, 5, new double[2], 0, 1, new double[4]));
        Assert.Throws<ArgumentException>(() => ProjectedCosine.Apply(x, 5, ReadOnlySpan<double>.Empty, 0, 1, new double[5]));
    }
}

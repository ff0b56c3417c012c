using NtkCluster.Numerics.Kernels;
using Xunit;

namespace NtkCluster.Numerics.Tests.Kernels;

/// <summary>The SIMD cosine of the Fourier features against the C library's (correctly rounded on glibc).</summary>
public sealed class VectorCosineTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(10.0)]
    [InlineData(1000.0)]
    [InlineData(VectorCosine.FastRange)]
    public void Within_about_one_ULP_of_Math_Cos(double range)
    {
        var rng = new System.Random(3);
        var z = Enumerable.Range(0, 200_003).Select(_ => (2 * rng.NextDouble() - 1) * range).ToArray();
        var output = new double[z.Length];
        VectorCosine.Apply(z, 0.0, 1.0, output);
        double worst = 0;
        for (int i = 0; i < z.Length; i++) worst = Math.Max(worst, Math.Abs(output[i] - Math.Cos(z[i])));
        Assert.True(worst <= 3.4e-16, $"max |error| {worst:E2} over |z| ≤ {range}");
    }

    /// <summary>Error in units in the last place of Math.Cos's result (glibc's cos is correctly rounded), over the
    /// argument sizes a fit meets: standardized data (|wᵀx + b| below about 20), raw columns such as flights'
    /// distances (thousands), and the edge of the fast range. Measured: 1 ulp up to 20; 2 ulp among the wider
    /// draws, at results near cos's zeros where one ulp is tiny (in absolute terms the error stays at 1.1·10⁻¹⁶).</summary>
    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(20.0, 1.0)]
    [InlineData(1000.0, 2.0)]
    [InlineData(VectorCosine.FastRange, 2.0)]
    public void Max_ulp_error_against_Math_Cos_is_bounded(double range, double maxUlp)
    {
        var rng = new System.Random(13);
        var z = Enumerable.Range(0, 500_001).Select(_ => (2 * rng.NextDouble() - 1) * range).ToArray();
        var output = new double[z.Length];
        VectorCosine.Apply(z, 0.0, 1.0, output);
        double worst = Enumerable.Range(0, z.Length).Max(i => UlpError(output[i], Math.Cos(z[i])));
        Assert.True(worst <= maxUlp, $"max error {worst:F2} ulp over |z| ≤ {range}");
    }

    /// <summary>Near the zeros of cos the result is tiny and the reduction's error shows in relative terms: arguments
    /// (k + ½)π ± 10⁻ᵉ, e = 1 … 11, k up to ±2000.</summary>
    [Fact]
    public void Relative_error_near_the_zeros_stays_within_one_and_a_half_ulp()
    {
        var z = new List<double>();
        for (int k = -2000; k < 2000; k += 7)
            for (int e = 1; e < 12; e++) z.Add((k + 0.5) * Math.PI + Math.Pow(10, -e) * (k % 2 == 0 ? 1 : -1));
        var output = new double[z.Count];
        VectorCosine.Apply(z.ToArray(), 0.0, 1.0, output);
        double worst = Enumerable.Range(0, z.Count).Max(i => UlpError(output[i], Math.Cos(z[i])));
        Assert.True(worst <= 1.5, $"max error {worst:F2} ulp near the zeros");
    }

    /// <summary>The 512-bit lanes, the machine's Vector&lt;double&gt; lanes and the scalar loop give the same bits,
    /// out-of-range and non-finite elements included (on a machine without AVX-512 the first two coincide).</summary>
    [Fact]
    public void Every_lane_width_gives_the_same_bits()
    {
        var rng = new System.Random(6);
        var z = Enumerable.Range(0, 4099).Select(i => i % 61 == 0 ? 1e7 * (2 * rng.NextDouble() - 1) : (2 * rng.NextDouble() - 1) * 300).ToArray();
        z[17] = double.NaN;
        z[1000] = double.PositiveInfinity;
        var results = new[] { VectorCosine.Lanes.Widest, VectorCosine.Lanes.Vector, VectorCosine.Lanes.Scalar }.Select(lanes =>
        {
            var output = new double[z.Length];
            VectorCosine.Apply(z, 0.375, -0.7, output, lanes);
            return output.Select(BitConverter.DoubleToInt64Bits).ToArray();
        }).ToArray();
        Assert.Equal(results[2], results[0]);
        Assert.Equal(results[2], results[1]);
    }

    /// <summary>ulps of |actual − reference| measured at the reference's magnitude.</summary>
    private static double UlpError(double actual, double reference)
    {
        double magnitude = Math.Abs(reference);
        return Math.Abs(actual - reference) / (Math.BitIncrement(magnitude) - magnitude);
    }

    [Fact]
    public void Known_values_and_quadrants()
    {
        Assert.Equal(1.0, VectorCosine.Cos(0.0));
        foreach (double z in new[] { Math.PI / 3, Math.PI / 2, Math.PI, 3 * Math.PI / 2, -Math.PI / 4, 7.5, -1234.5678 })
            Assert.InRange(VectorCosine.Cos(z) - Math.Cos(z), -3.4e-16, 3.4e-16);
    }

    [Fact]
    public void Vector_paths_and_scalar_tail_are_bitwise_equal()
    {
        // Each element's value must not depend on whether it fell in a vector or in the tail (array length, offset).
        var rng = new System.Random(4);
        var z = Enumerable.Range(0, 41).Select(_ => (2 * rng.NextDouble() - 1) * 50).ToArray();
        for (int start = 0; start < 9; start++)
        {
            var slice = z.AsSpan(start);
            var output = new double[slice.Length];
            VectorCosine.Apply(slice, 0.25, 1.5, output);
            for (int i = 0; i < slice.Length; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(1.5 * VectorCosine.Cos(slice[i] + 0.25)), BitConverter.DoubleToInt64Bits(output[i]));
        }
    }

    /// <summary>The Fourier features take their cosines in place (Z's array becomes Ψ's): the same bits as into a
    /// separate output, out-of-range and non-finite lanes (the scalar fallback inside a vector) included.</summary>
    [Fact]
    public void In_place_gives_bitwise_what_a_separate_output_gives()
    {
        var rng = new System.Random(5);
        var z = Enumerable.Range(0, 1001).Select(i => i % 97 == 0 ? 3e6 * (2 * rng.NextDouble() - 1) : (2 * rng.NextDouble() - 1) * 40).ToArray();
        z[10] = double.NaN;
        z[501] = double.NegativeInfinity;
        var separate = new double[z.Length];
        VectorCosine.Apply(z, 0.75, 1.25, separate);
        var inPlace = (double[])z.Clone();
        VectorCosine.Apply(inPlace, 0.75, 1.25, inPlace);
        Assert.Equal(separate.Select(BitConverter.DoubleToInt64Bits), inPlace.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Math.Cos(z[0] + 0.75) * 1.25, inPlace[0]); // z[0] is out of range: Math.Cos, not the polynomial
    }

    [Fact]
    public void Out_of_range_and_non_finite_follow_Math_Cos()
    {
        double[] z = [1e6, -3e9, double.NaN, double.PositiveInfinity, 0.5, 1e300, -0.0, 2.0, 3.0];
        var output = new double[z.Length];
        VectorCosine.Apply(z, 0.0, 1.0, output);
        for (int i = 0; i < z.Length; i++)
        {
            double expected = Math.Abs(z[i]) <= VectorCosine.FastRange ? VectorCosine.Cos(z[i]) : Math.Cos(z[i]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(output[i]));
        }
        Assert.Equal(Math.Cos(1e6), output[0]);
        Assert.True(double.IsNaN(output[2]) && double.IsNaN(output[3]));
    }
}

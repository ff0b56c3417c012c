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

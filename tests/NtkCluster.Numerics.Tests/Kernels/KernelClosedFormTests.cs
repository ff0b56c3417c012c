using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Kernels;

public sealed class KernelClosedFormTests(ITestOutputHelper output)
{
    public static TheoryData<string> AllKernels => new() { "rbf:gamma=0.3", "laplace:gamma=0.4", "ntk" };

    private static Matrix<double> RandomMatrix(int rows, int cols, int seed, double spread = 1.0)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => spread * (2 * rng.NextDouble() - 1));
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void Matrix_evaluate_equals_scalar_evaluate_elementwise(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        var a = RandomMatrix(9, 4, 1, 2.0);
        var b = RandomMatrix(6, 4, 2, 2.0);
        b.SetRow(0, a.Row(3));          // an identical pair
        b.SetRow(1, a.Row(5) * -1.0);   // an antipodal pair
        b.SetRow(2, Vector<double>.Build.Dense(4)); // the zero vector
        Matrix<double> k = kernel.Evaluate(a, b);
        Assert.Equal(a.RowCount, k.RowCount);
        Assert.Equal(b.RowCount, k.ColumnCount);
        double worst = 0;
        for (int i = 0; i < a.RowCount; i++)
            for (int j = 0; j < b.RowCount; j++)
            {
                double scalar = kernel.Evaluate(a.Row(i).ToArray(), b.Row(j).ToArray());
                worst = Math.Max(worst, Math.Abs(k[i, j] - scalar));
                Assert.True(Math.Abs(k[i, j] - scalar) <= 1e-12, $"{spec} ({i},{j}): matrix {k[i, j]:R}, scalar {scalar:R}");
            }
        output.WriteLine($"{spec}: max |K(A,B) − K(a,b)| = {worst:G3}");
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void Symmetric_kernel_block_is_symmetric_with_the_right_diagonal(string spec)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        var a = RandomMatrix(12, 5, 3, 1.5);
        Matrix<double> k = kernel.Evaluate(a, a);
        // ntk: K(x,x) = ‖x‖²/2 in exact arithmetic, but the closed form goes through arccos(c) at c = 1 where
        // arccos(1 − ε) ≈ √(2ε): one rounding in c costs ~1e-8 relative (the fixture README's tolerance note).
        // The bound 1e-7 accepts that conditioning and nothing more; rbf and laplace must be exact to 1e-12.
        double tolerance = kernel is NtkKernel ? 1e-7 : 1e-12;
        for (int i = 0; i < a.RowCount; i++)
        {
            double expectedDiagonal = kernel is NtkKernel ? a.Row(i).DotProduct(a.Row(i)) / 2 : 1.0;
            Assert.True(Math.Abs(k[i, i] - expectedDiagonal) <= tolerance * Math.Max(1, expectedDiagonal),
                $"{spec}: K(x,x) = {k[i, i]:R}, expected {expectedDiagonal:R}");
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(k[i, j] - k[j, i]) <= 1e-13, $"{spec}: K not symmetric at ({i},{j})");
        }
    }

    [Fact]
    public void Closed_forms_match_their_definitions()
    {
        double[] x = [0.5, -0.2, 1.0], z = [-0.3, 0.8, 0.4];
        // ‖x−z‖² = 0.64 + 1 + 0.36 = 2, ‖x−z‖₁ = 0.8 + 1 + 0.6 = 2.4, xᵀz = −0.15 − 0.16 + 0.4 = 0.09.
        Assert.Equal(Math.Exp(-0.3 * 2.0), new RbfKernel(0.3).Evaluate(x, z), 14);
        Assert.Equal(Math.Exp(-0.4 * 2.4), new LaplaceKernel(0.4).Evaluate(x, z), 14);
        double c = 0.09 / (Math.Sqrt(1.29) * Math.Sqrt(0.89));
        Assert.Equal(0.09 * (Math.PI - Math.Acos(c)) / (2 * Math.PI), new NtkKernel().Evaluate(x, z), 14);

        var ntk = new NtkKernel();
        double[] e1 = [1, 0, 0], e2 = [0, 2, 0];
        Assert.Equal(0.0, ntk.Evaluate(e1, e2));                  // orthogonal: xᵀz = 0
        Assert.Equal(0.0, ntk.Evaluate(e1, [0, 0, 0]));           // zero vector
        Assert.Equal(0.0, ntk.Evaluate([0, 0, 0], [0, 0, 0]));
        Assert.Equal(0.0, ntk.Evaluate([3, 0, 0], [-2, 0, 0]));   // antipodal: π − π = 0
        Assert.Equal(3.0, ntk.Evaluate([3, 0, 0], [2, 0, 0]));    // parallel: xᵀz·π/(2π)
        Assert.Equal(1.0, new RbfKernel(5).Evaluate(x, x));
        Assert.Equal(1.0, new LaplaceKernel(5).Evaluate(x, x));
    }

    [Fact]
    public void Draw_and_feature_dimensions()
    {
        Assert.Equal(8, new RbfKernel(1).DrawDimension(7));
        Assert.Equal(1, new RbfKernel(1).FeatureDimension(7));
        Assert.Equal(8, new LaplaceKernel(1).DrawDimension(7));
        Assert.Equal(1, new LaplaceKernel(1).FeatureDimension(7));
        Assert.Equal(7, new NtkKernel().DrawDimension(7));
        Assert.Equal(7, new NtkKernel().FeatureDimension(7));
    }

    [Fact]
    public void Constructors_reject_non_positive_gamma()
    {
        foreach (double g in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new RbfKernel(g));
            Assert.Throws<ArgumentOutOfRangeException>(() => new LaplaceKernel(g));
        }
    }

    // ---------------------------------------------------------------------------------------------- LogDensity

    private static double[] SampleDraw(IFeatureKernel kernel, int d, DrawStream rng)
    {
        var w = new double[kernel.DrawDimension(d)];
        kernel.SampleDraw(rng, w, d);
        return w;
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(2.0)]
    public void Rbf_log_density_is_Gaussian_per_coordinate_plus_uniform_phase(double gamma)
    {
        const int d = 4;
        var kernel = new RbfKernel(gamma);
        var normal = new Normal(0, Math.Sqrt(2 * gamma));
        var rng = new DrawStream(3, DrawPurpose.Testing, 0);
        for (int t = 0; t < 50; t++)
        {
            double[] w = SampleDraw(kernel, d, rng);
            Assert.InRange(w[d], 0, 2 * Math.PI);
            double expected = w.Take(d).Sum(normal.DensityLn) - Math.Log(2 * Math.PI);
            Assert.Equal(expected, kernel.LogDensity(w, d), 10);
        }
        // A fixed, hand-made draw too (not only sampled ones).
        double[] fixedDraw = [0.1, -2.0, 0.0, 3.5, 1.0];
        Assert.Equal(fixedDraw.Take(d).Sum(normal.DensityLn) - Math.Log(2 * Math.PI), kernel.LogDensity(fixedDraw, d), 10);
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(3.0)]
    public void Laplace_log_density_is_Cauchy_per_coordinate_plus_uniform_phase(double gamma)
    {
        const int d = 3;
        var kernel = new LaplaceKernel(gamma);
        var cauchy = new Cauchy(0, gamma);
        var rng = new DrawStream(4, DrawPurpose.Testing, 0);
        for (int t = 0; t < 50; t++)
        {
            double[] w = SampleDraw(kernel, d, rng);
            double expected = w.Take(d).Sum(cauchy.DensityLn) - Math.Log(2 * Math.PI);
            Assert.Equal(expected, kernel.LogDensity(w, d), 10);
        }
        double[] fixedDraw = [100.0, -0.5, 0.0, 6.0];
        Assert.Equal(fixedDraw.Take(d).Sum(cauchy.DensityLn) - Math.Log(2 * Math.PI), kernel.LogDensity(fixedDraw, d), 10);
    }

    [Fact]
    public void Ntk_log_density_is_standard_normal()
    {
        const int d = 5;
        var kernel = new NtkKernel();
        var rng = new DrawStream(5, DrawPurpose.Testing, 0);
        for (int t = 0; t < 50; t++)
        {
            double[] w = SampleDraw(kernel, d, rng);
            Assert.Equal(w.Sum(v => Normal.PDFLn(0, 1, v)), kernel.LogDensity(w, d), 10);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(7.0)]
    public void Fourier_log_density_is_minus_infinity_outside_the_phase_range(double phase)
    {
        Assert.Equal(double.NegativeInfinity, new RbfKernel(1).LogDensity([0.1, 0.2, phase], 2));
        Assert.Equal(double.NegativeInfinity, new LaplaceKernel(1).LogDensity([0.1, 0.2, phase], 2));
        Assert.Equal(double.NegativeInfinity, new RbfKernel(1).LogDensity([0.1, 0.2, 2 * Math.PI], 2));
    }

    [Fact]
    public void Rbf_sampler_follows_its_density()
    {
        // The sampler and LogDensity must describe the same p: each frequency coordinate ∼ N(0, 2γ), phase ∼ U[0,2π).
        const double gamma = 0.7;
        const int d = 2, n = 40_000;
        var kernel = new RbfKernel(gamma);
        var rng = new DrawStream(6, DrawPurpose.Testing, 0);
        var coordinate = new double[n];
        var phase = new double[n];
        for (int t = 0; t < n; t++)
        {
            double[] w = SampleDraw(kernel, d, rng);
            coordinate[t] = w[1];
            phase[t] = w[d];
        }
        var normal = new Normal(0, Math.Sqrt(2 * gamma));
        Assert.True(Random.Statistics.KolmogorovSmirnov(coordinate, normal.CumulativeDistribution) < Random.Statistics.KolmogorovCritical001);
        Assert.True(Random.Statistics.KolmogorovSmirnov(phase, p => p / (2 * Math.PI)) < Random.Statistics.KolmogorovCritical001);
    }

    [Fact]
    public void Laplace_sampler_follows_its_density()
    {
        const double gamma = 0.4;
        const int d = 2, n = 40_000;
        var kernel = new LaplaceKernel(gamma);
        var rng = new DrawStream(7, DrawPurpose.Testing, 0);
        var coordinate = new double[n];
        for (int t = 0; t < n; t++) coordinate[t] = SampleDraw(kernel, d, rng)[0];
        var cauchy = new Cauchy(0, gamma);
        Assert.True(Random.Statistics.KolmogorovSmirnov(coordinate, cauchy.CumulativeDistribution) < Random.Statistics.KolmogorovCritical001);
    }
}

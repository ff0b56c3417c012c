using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Spectral;

/// <summary>Eigenvalues, ‖K‖ and s_λ (eq. 4) against closed forms and MathNet's symmetric EVD.</summary>
public sealed class KernelSpectrumTests(ITestOutputHelper output)
{
    [Fact]
    public void Constructed_kernel_has_its_eigenvalues_norm_and_statistical_dimension()
    {
        const int n = 80;
        var u = SpectralTestMatrices.RandomOrthogonal(n, seed: 1);
        // Spread over 7 decades, a repeated value, and a null space of dimension 10 (rank-deficient PSD).
        var values = Enumerable.Range(0, n).Select(i => i < 10 ? 0.0 : 10.0 * Math.Pow(1e-6, (i - 10) / 69.0)).ToArray();
        values[40] = values[41];
        var k = SpectralTestMatrices.WithEigenvalues(u, values);

        var spectrum = KernelSpectrum.Of(k);
        var sorted = values.OrderBy(v => v).ToArray();
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(spectrum.Eigenvalues[i] - sorted[i]));
        output.WriteLine($"max |μ − k| = {worst:G3}, smallest computed {spectrum.SmallestComputedEigenvalue:G3}");
        Assert.True(worst <= 1e-12 * 10.0, $"eigenvalue error {worst:G3}");
        Assert.All(spectrum.Eigenvalues, mu => Assert.True(mu >= 0));
        Assert.Equal(n, spectrum.Size);
        Assert.True(Math.Abs(spectrum.SpectralNorm - 10.0) <= 1e-13 * 10.0, $"‖K‖ = {spectrum.SpectralNorm:R}");

        foreach (double lambda in new[] { 1e-4, 1e-2, 1.0, 100.0, 1e8 })
        {
            double expected = values.Sum(v => v / (v + lambda));
            double viaSpectrum = spectrum.StatisticalDimension(lambda);
            double viaExact = StatisticalDimension.Exact(k, lambda);
            double relative = Math.Abs(viaSpectrum - expected) / expected;
            output.WriteLine($"λ={lambda:G3}: s = {viaSpectrum:R}, closed form {expected:R}, rel. error {relative:G3}");
            // At λ = 1e8, s ≈ tr(K)/λ ≈ 1e-7: n − λ·tr[(K+λI)⁻¹] would have lost every digit here.
            Assert.True(relative <= 1e-10, $"λ={lambda}: s {viaSpectrum:R} vs {expected:R}");
            Assert.Equal(viaSpectrum, viaExact);
        }
    }

    [Theory]
    [InlineData(250, 120)] // large enough for the parallel steps of the reduction, rank-deficient
    [InlineData(37, 37)]
    public void Eigenvalues_agree_with_MathNet_symmetric_EVD(int n, int rank)
    {
        var k = SpectralTestMatrices.LowRankPsd(n, rank, seed: n);
        var spectrum = KernelSpectrum.Of(k);
        var reference = k.Evd(Symmetricity.Symmetric).EigenValues.Select(z => Math.Max(z.Real, 0)).OrderBy(v => v).ToArray();
        double norm = reference[^1], worst = 0;
        for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(spectrum.Eigenvalues[i] - reference[i]));
        output.WriteLine($"n={n} rank={rank}: max |μ − μ_MathNet| = {worst:G3} (‖K‖ = {norm:G4}), smallest computed {spectrum.SmallestComputedEigenvalue:G3}");
        Assert.True(worst <= 1e-12 * norm, $"max difference {worst:G3}");
        for (int i = 1; i < n; i++) Assert.True(spectrum.Eigenvalues[i] >= spectrum.Eigenvalues[i - 1]);
    }

    [Fact]
    public void Repeated_computation_is_bitwise_identical()
    {
        // The reduction runs its large steps in parallel over fixed column chunks: no dependence on scheduling.
        var k = SpectralTestMatrices.LowRankPsd(300, 300, seed: 9);
        var first = KernelSpectrum.Of(k).Eigenvalues;
        for (int run = 0; run < 3; run++)
        {
            var again = KernelSpectrum.Of(k).Eigenvalues;
            for (int i = 0; i < first.Count; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(first[i]), BitConverter.DoubleToInt64Bits(again[i]));
        }
    }

    [Fact]
    public void Small_and_degenerate_matrices()
    {
        var one = KernelSpectrum.Of(Matrix<double>.Build.Dense(1, 1, 2.5));
        Assert.Equal([2.5], one.Eigenvalues);
        Assert.Equal(2.5 / 3.5, one.StatisticalDimension(1.0), 15);

        // [[2,1],[1,2]]: eigenvalues 1 and 3.
        var two = KernelSpectrum.Of(Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 1, 2 } }));
        Assert.Equal(1.0, two.Eigenvalues[0], 14);
        Assert.Equal(3.0, two.Eigenvalues[1], 14);

        // Already diagonal: every Householder step is the identity.
        var diagonal = KernelSpectrum.Of(Matrix<double>.Build.DenseOfDiagonalArray([3, 0, 1, 2, 0.5]));
        Assert.Equal([0, 0.5, 1, 2, 3], diagonal.Eigenvalues);

        var zero = KernelSpectrum.Of(Matrix<double>.Build.Dense(4, 4));
        Assert.Equal(0.0, zero.SpectralNorm);
        Assert.Equal(0.0, zero.StatisticalDimension(1.0));

        // Very large and very small scales are handled by the exact power-of-two scaling.
        var big = KernelSpectrum.Of(Matrix<double>.Build.DenseOfArray(new double[,] { { 2e200, 1e200 }, { 1e200, 2e200 } }));
        Assert.Equal(3e200, big.SpectralNorm, 3e200 * 1e-14);
        var tiny = KernelSpectrum.Of(Matrix<double>.Build.DenseOfArray(new double[,] { { 2e-200, 1e-200 }, { 1e-200, 2e-200 } }));
        Assert.Equal(1e-200, tiny.Eigenvalues[0], 1e-200 * 1e-14);
        var subnormal = KernelSpectrum.Of(Matrix<double>.Build.DenseOfDiagonalArray([4 * double.Epsilon, 2 * double.Epsilon]));
        Assert.Equal([2 * double.Epsilon, 4 * double.Epsilon], subnormal.Eigenvalues);
    }

    [Fact]
    public void Refuses_matrices_that_are_not_kernels()
    {
        var u = SpectralTestMatrices.RandomOrthogonal(6, seed: 3);
        var indefinite = SpectralTestMatrices.WithEigenvalues(u, [-0.5, 1, 2, 3, 4, 5]);
        var e = Assert.Throws<ArgumentException>(() => KernelSpectrum.Of(indefinite));
        output.WriteLine(e.Message);

        var asymmetric = SpectralTestMatrices.LowRankPsd(5, 5, seed: 4);
        asymmetric[0, 4] += 1e-4;
        Assert.Throws<ArgumentException>(() => KernelSpectrum.Of(asymmetric));
        Assert.Throws<ArgumentException>(() => KernelSpectrum.Of(Matrix<double>.Build.Dense(3, 4)));
        var nan = Matrix<double>.Build.DenseIdentity(3);
        nan[1, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => KernelSpectrum.Of(nan));

        var ok = KernelSpectrum.Of(Matrix<double>.Build.DenseIdentity(3));
        Assert.Throws<InvalidInputException>(() => ok.StatisticalDimension(0));
        Assert.Throws<InvalidInputException>(() => ok.StatisticalDimension(double.PositiveInfinity));
        Assert.Throws<InvalidInputException>(() => StatisticalDimension.Exact(Matrix<double>.Build.DenseIdentity(3), -1));
    }

    [Fact]
    public void Rounding_negative_eigenvalues_are_clamped_not_refused()
    {
        // A rank-1 kernel: its zero eigenvalues come out at about ±u·‖K‖.
        var x = SpectralTestMatrices.Gaussian(30, 1, seed: 5);
        var k = x * x.Transpose();
        var spectrum = KernelSpectrum.Of((k + k.Transpose()) * 0.5);
        output.WriteLine($"smallest computed {spectrum.SmallestComputedEigenvalue:G3}, ‖K‖ = {spectrum.SpectralNorm:G4}");
        Assert.All(spectrum.Eigenvalues, mu => Assert.True(mu >= 0));
        double expected = x.Column(0).DotProduct(x.Column(0));
        Assert.True(Math.Abs(spectrum.SpectralNorm - expected) <= 1e-13 * expected);
        // s_λ of a rank-1 K is ‖x‖²/(‖x‖²+λ) plus the clamped rounding: nothing of size u/λ·n survives.
        Assert.True(Math.Abs(spectrum.StatisticalDimension(1e-3) - expected / (expected + 1e-3)) <= 1e-9);
    }
}

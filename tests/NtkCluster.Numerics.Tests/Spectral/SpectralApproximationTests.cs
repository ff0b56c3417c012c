using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Spectral;

/// <summary>
/// The ε of eq. 5 against cases where the generalized eigenvalues of (ΨΨᵀ+λI, K+λI) are known in closed form, against
/// an independent (non-symmetric) eigenvalue computation on a real kernel, and the subsample lower bound.
/// </summary>
public sealed class SpectralApproximationTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-10;

    /// <summary>k_i from 10 down to 1e-3 (with a repeated pair), c_i a perturbation of k_i; λ = 0.05.</summary>
    private static (double[] K, double[] C) Spectra(int n)
    {
        var k = new double[n];
        var c = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = 10.0 * Math.Pow(1e-4, i / (double)(n - 1));
            c[i] = k[i] * (1.0 + 0.4 * Math.Sin(1.7 * i + 0.3));
        }
        k[5] = k[6]; // a repeated eigenvalue of K
        return (k, c);
    }

    [Theory]
    [InlineData(60, 25)]   // m < n: ΨΨᵀ has rank m, the other n−m pencil eigenvalues are λ/(k_i+λ)
    [InlineData(60, 60)]
    [InlineData(60, 140)]  // m > n
    public void Constructed_pencil_has_closed_form_eigenvalues(int n, int m)
    {
        const double lambda = 0.05;
        var u = SpectralTestMatrices.RandomOrthogonal(n, seed: 11);
        var (kv, cv) = Spectra(n);
        if (m < n) for (int i = m; i < n; i++) cv[i] = 0.0;
        var k = SpectralTestMatrices.WithEigenvalues(u, kv);

        // Ψ = U·diag(√c)·Q with Q (n×m) having orthonormal rows, so ΨΨᵀ = U·diag(c)·Uᵀ.
        Matrix<double> q;
        if (m >= n) q = SpectralTestMatrices.RandomOrthogonal(m, seed: 12).SubMatrix(0, m, 0, n).Transpose();
        else q = Matrix<double>.Build.Dense(n, m, (i, j) => i == j ? 1.0 : 0.0);
        var psi = u * Matrix<double>.Build.DenseOfDiagonalArray(cv.Select(Math.Sqrt).ToArray()) * q;

        var expected = Enumerable.Range(0, n).Select(i => (cv[i] + lambda) / (kv[i] + lambda)).ToArray();
        double min = expected.Min(), max = expected.Max();
        double eps = Math.Max(1 - min, max - 1);

        SpectralReport report = SpectralApproximation.Measure(k, psi, lambda);
        output.WriteLine($"n={n} m={m}: ε = {report.Epsilon:R} (closed form {eps:R}), μ ∈ [{report.MinEigenvalue:R}, {report.MaxEigenvalue:R}]");
        Assert.True(Math.Abs(report.Epsilon - eps) <= Tolerance, $"ε {report.Epsilon:R} vs {eps:R}");
        Assert.True(Math.Abs(report.MinEigenvalue - min) <= Tolerance, $"μ_min {report.MinEigenvalue:R} vs {min:R}");
        Assert.True(Math.Abs(report.MaxEigenvalue - max) <= Tolerance, $"μ_max {report.MaxEigenvalue:R} vs {max:R}");
        Assert.Equal(n, report.Rows);
        Assert.True(report.IsExact);
    }

    [Fact]
    public void Psi_equal_to_the_Cholesky_factor_of_K_gives_zero_epsilon()
    {
        const int n = 150;
        var u = SpectralTestMatrices.RandomOrthogonal(n, seed: 21);
        var values = Enumerable.Range(0, n).Select(i => 5.0 * Math.Pow(1e-3, i / (double)(n - 1))).ToArray();
        var k = SpectralTestMatrices.WithEigenvalues(u, values);
        var psi = k.Cholesky().Factor; // ΨΨᵀ = K up to rounding
        foreach (double lambda in new[] { 1e-3, 0.1, 10.0 })
        {
            var report = SpectralApproximation.Measure(k, psi, lambda);
            output.WriteLine($"λ={lambda}: ε = {report.Epsilon:G3}");
            Assert.True(report.Epsilon <= 1e-10, $"λ={lambda}: ε = {report.Epsilon:G3}");
        }
    }

    /// <summary>A real kernel and plain random features: RBF on 200 points, M = 50 draws.</summary>
    private static (Matrix<double> K, Matrix<double> Psi) RbfCase()
    {
        var x = SpectralTestMatrices.UniformPoints(200, 3, seed: 31);
        var kernel = new RbfKernel(0.8);
        var draws = PlainSampler.Sample(kernel, 3, 50, seed: 32);
        return (kernel.Evaluate(x, x), FeatureMap.Build(draws, x));
    }

    [Fact]
    public void Agrees_with_the_eigenvalues_of_the_non_symmetric_product()
    {
        // Independent route: μ are the eigenvalues of (K+λI)⁻¹(ΨΨᵀ+λI), computed by MathNet's general EVD.
        var (k, psi) = RbfCase();
        const double lambda = 0.1;
        int n = k.RowCount;
        var identity = Matrix<double>.Build.DenseIdentity(n);
        var product = (k + lambda * identity).Solve(psi * psi.Transpose() + lambda * identity);
        var mu = product.Evd().EigenValues;
        double maxImaginary = mu.Select(z => Math.Abs(z.Imaginary)).Max();
        double min = mu.Select(z => z.Real).Min(), max = mu.Select(z => z.Real).Max();

        var report = SpectralApproximation.Measure(k, psi, lambda);
        output.WriteLine($"rbf n=200 M=50 λ={lambda}: μ ∈ [{report.MinEigenvalue:R}, {report.MaxEigenvalue:R}] vs general EVD [{min:R}, {max:R}] (max |Im| {maxImaginary:G3}), ε = {report.Epsilon:G6}");
        Assert.True(Math.Abs(report.MinEigenvalue - min) <= 1e-8, $"μ_min {report.MinEigenvalue:R} vs {min:R}");
        Assert.True(Math.Abs(report.MaxEigenvalue - max) <= 1e-8 * max, $"μ_max {report.MaxEigenvalue:R} vs {max:R}");
        // 50 features cannot represent a 200-point RBF kernel at λ = 0.1: a large, not a tiny, ε.
        Assert.True(report.Epsilon > 0.5, $"ε = {report.Epsilon}");
    }

    [Fact]
    public void Subsample_epsilon_is_a_lower_bound_on_the_full_epsilon()
    {
        var (k, psi) = RbfCase();
        const double lambda = 0.1;
        var full = SpectralApproximation.Measure(k, psi, lambda);
        output.WriteLine($"full: ε = {full.Epsilon:G6}, μ ∈ [{full.MinEigenvalue:G6}, {full.MaxEigenvalue:G6}]");
        const double slack = 1e-10;
        var rng = new System.Random(33);
        foreach (int size in new[] { 1, 10, 40, 100, 160, 199 })
        {
            for (int trial = 0; trial < 3; trial++)
            {
                int[] rows = Enumerable.Range(0, 200).OrderBy(_ => rng.Next()).Take(size).ToArray();
                var sub = SpectralApproximation.MeasureOnSubsample(k, psi, lambda, rows);
                output.WriteLine($"  |S|={size}: ε = {sub.Epsilon:G6}, μ ∈ [{sub.MinEigenvalue:G6}, {sub.MaxEigenvalue:G6}]");
                Assert.False(sub.IsExact);
                Assert.Equal(size, sub.Rows);
                Assert.True(sub.Epsilon <= full.Epsilon + slack, $"|S|={size}: ε_S {sub.Epsilon:R} > ε {full.Epsilon:R}");
                Assert.True(sub.MinEigenvalue >= full.MinEigenvalue - slack, $"|S|={size}: μ_min below the full one");
                Assert.True(sub.MaxEigenvalue <= full.MaxEigenvalue + slack, $"|S|={size}: μ_max above the full one");
            }
        }

        // All rows in another order: the same pencil up to a permutation, so the same ε (but still flagged inexact).
        int[] permutation = Enumerable.Range(0, 200).OrderBy(_ => rng.Next()).ToArray();
        var all = SpectralApproximation.MeasureOnSubsample(k, psi, lambda, permutation);
        Assert.True(Math.Abs(all.Epsilon - full.Epsilon) <= 1e-9 * full.Epsilon, $"{all.Epsilon:R} vs {full.Epsilon:R}");
        Assert.False(all.IsExact);
    }

    [Fact]
    public void More_features_approximate_better()
    {
        // Not a theorem for one draw, but with 64 times the features the gap is far outside the sampling noise.
        var x = SpectralTestMatrices.UniformPoints(200, 3, seed: 31);
        var kernel = new RbfKernel(0.8);
        var k = kernel.Evaluate(x, x);
        double Eps(int m) => SpectralApproximation.Measure(k, FeatureMap.Build(PlainSampler.Sample(kernel, 3, m, seed: 34), x), 0.1).Epsilon;
        double few = Eps(50), many = Eps(3200);
        output.WriteLine($"ε(M=50) = {few:G4}, ε(M=3200) = {many:G4}");
        Assert.True(many < few / 3, $"ε(M=3200) = {many} vs ε(M=50) = {few}");
    }

    [Fact]
    public void Refuses_bad_input()
    {
        var (k, psi) = RbfCase();
        Assert.Throws<InvalidInputException>(() => SpectralApproximation.Measure(k, psi, 0.0));
        Assert.Throws<InvalidInputException>(() => SpectralApproximation.Measure(k, psi, double.NaN));
        Assert.Throws<ArgumentException>(() => SpectralApproximation.Measure(k, psi.SubMatrix(0, 199, 0, psi.ColumnCount), 0.1));
        var asymmetric = k.Clone();
        asymmetric[3, 7] += 1e-3;
        Assert.Throws<ArgumentException>(() => SpectralApproximation.Measure(asymmetric, psi, 0.1));
        var nan = psi.Clone();
        nan[0, 0] = double.NaN;
        Assert.Throws<ArgumentException>(() => SpectralApproximation.Measure(k, nan, 0.1));

        Assert.Throws<ArgumentException>(() => SpectralApproximation.MeasureOnSubsample(k, psi, 0.1, []));
        Assert.Throws<ArgumentException>(() => SpectralApproximation.MeasureOnSubsample(k, psi, 0.1, [1, 2, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralApproximation.MeasureOnSubsample(k, psi, 0.1, [0, 200]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralApproximation.MeasureOnSubsample(k, psi, 0.1, [-1]));
    }

    [Fact]
    public void Indefinite_shifted_kernel_is_a_numerical_failure()
    {
        // K with eigenvalue −1: K+λI is not positive definite for λ = 0.5.
        var u = SpectralTestMatrices.RandomOrthogonal(10, seed: 41);
        var k = SpectralTestMatrices.WithEigenvalues(u, [-1, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var psi = Matrix<double>.Build.Dense(10, 4, 0.1);
        Assert.Throws<NumericalFailureException>(() => SpectralApproximation.Measure(k, psi, 0.5));
    }
}

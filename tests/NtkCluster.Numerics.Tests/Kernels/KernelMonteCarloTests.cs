using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Kernels;

/// <summary>
/// Eq. 3 of the paper: K(x,z) = E_{w∼p}[φ(x,w)ᵀφ(z,w)]. With plain sampling (weights 1) the entries of ΨΨᵀ are the
/// Monte-Carlo average of φ(x,w_r)ᵀφ(z,w_r) over the M draws, so they must agree with the closed form within a few
/// Monte-Carlo standard errors. This ties together the three views of a kernel: sampler, feature map, closed form.
/// </summary>
public sealed class KernelMonteCarloTests(ITestOutputHelper output)
{
    private const int M = 200_000;
    private const int D = 3;

    /// <summary>Fixed points in d = 3: generic, close, far, an obtuse pair (x0·x4 &lt; 0), an antipodal pair and 0.</summary>
    private static readonly double[][] Points =
    [
        [0.5, -0.2, 1.0],
        [-0.3, 0.8, 0.4],
        [1.2, 0.1, -0.7],
        [0.55, -0.25, 0.9],
        [-0.5, 0.3, -0.9],
        [-1.2, -0.1, 0.7],
        [0.0, 0.0, 0.0],
    ];

    public static TheoryData<string, ulong> Kernels => new()
    {
        { "rbf:gamma=0.3", 11UL },
        { "laplace:gamma=0.4", 12UL },
        { "ntk", 13UL },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Gram_of_random_features_matches_closed_form_within_five_standard_errors(string spec, ulong seed)
    {
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        int n = Points.Length;
        var x = Matrix<double>.Build.DenseOfRowArrays(Points);
        FeatureDraws draws = PlainSampler.Sample(kernel, D, M, seed);
        Assert.All(draws.Weights, w => Assert.Equal(1.0, w));

        Matrix<double> psi = FeatureMap.Build(draws, x);
        int d2 = kernel.FeatureDimension(D);
        Assert.Equal(n, psi.RowCount);
        Assert.Equal(M * d2, psi.ColumnCount);
        Matrix<double> gram = psi.TransposeAndMultiply(psi); // ΨΨᵀ, n × n
        double[] data = psi.ToColumnMajorArray();

        var products = new double[M];
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                // Per-draw products φ(x_i,w_r)ᵀφ(x_j,w_r) = M · Σ_k Ψ[i, r·d2+k]·Ψ[j, r·d2+k] (Ψ carries 1/√M).
                for (int r = 0; r < M; r++)
                {
                    double p = 0;
                    for (int k = 0; k < d2; k++)
                    {
                        int column = r * d2 + k;
                        p += data[column * n + i] * data[column * n + j];
                    }
                    products[r] = M * p;
                }
                var (mean, variance) = Random.Statistics.MeanVariance(products);
                double se = Math.Sqrt(variance / M);
                double exact = kernel.Evaluate(Points[i], Points[j]);

                // ΨΨᵀ is exactly that average, up to rounding in the order of summation of 200 000·d2 terms.
                Assert.True(Math.Abs(gram[i, j] - mean) <= 1e-9 * Math.Max(1.0, Math.Abs(mean)),
                    $"{spec} ({i},{j}): ΨΨᵀ = {gram[i, j]} but the mean of the per-draw products is {mean}");
                Assert.Equal(gram[i, j], gram[j, i], 14);

                // Closed form within 5 Monte-Carlo standard errors. A tiny absolute floor covers pairs whose products
                // are all equal (0 for the zero vector or an antipodal ntk pair), where the standard error is 0.
                double z = se > 0 ? (gram[i, j] - exact) / se : 0;
                worst = Math.Max(worst, Math.Abs(z));
                Assert.True(Math.Abs(gram[i, j] - exact) <= 5 * se + 1e-12,
                    $"{spec} ({i},{j}): Monte-Carlo {gram[i, j]:R} ± {se:G3} but closed form {exact:R} ({z:F2} SE)");
            }
        }
        output.WriteLine($"{spec}: largest |ΨΨᵀ − K| = {worst:F2} standard errors over {n * (n + 1) / 2} pairs, M = {M}");
    }

    [Fact]
    public void Ntk_per_draw_products_have_the_hyperplane_interpretation()
    {
        // For ntk φ(x,w)ᵀφ(z,w) = xᵀz·1[wᵀx ≥ 0]·1[wᵀz ≥ 0]: the fraction of draws with a non-zero product for an
        // obtuse pair estimates (π − θ)/(2π), independently of the closed form's code.
        double[] a = Points[0], b = Points[4];
        double dot = a.Zip(b, (u, v) => u * v).Sum();
        Assert.True(dot < 0, "the pair must be obtuse");
        double theta = Math.Acos(dot / (Norm(a) * Norm(b)));
        double p = (Math.PI - theta) / (2 * Math.PI);

        var kernel = new NtkKernel();
        FeatureDraws draws = PlainSampler.Sample(kernel, D, M, 21);
        Matrix<double> psi = FeatureMap.Build(draws, Matrix<double>.Build.DenseOfRowArrays(a, b));
        int both = 0;
        for (int r = 0; r < M; r++)
        {
            bool ia = false, ib = false;
            for (int k = 0; k < D; k++) { ia |= psi[0, r * D + k] != 0; ib |= psi[1, r * D + k] != 0; }
            if (ia && ib) both++;
        }
        double fraction = both / (double)M;
        Assert.True(Math.Abs(fraction - p) < 5 * Math.Sqrt(p * (1 - p) / M), $"fraction {fraction}, expected {p}");
        Assert.Equal(dot * p, kernel.Evaluate(a, b), 12);
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));
}

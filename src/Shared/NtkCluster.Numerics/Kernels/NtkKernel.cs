using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// The neural tangent kernel of a two-layer ReLU network (§3.2, eq. 8): φ(x,w) = x·1[wᵀx ≥ 0] ∈ R^d, w ∼ N(0,I_d),
/// K(x,z) = xᵀz·(π − arccos c)/(2π), c = xᵀz/(‖x‖‖z‖). One draw is one hidden neuron; its feature is the
/// gradient of the network's output with respect to that neuron's weights.
/// </summary>
public sealed class NtkKernel : IFeatureKernel
{
    public string Name => "ntk";
    public string Spec => "ntk";

    public int DrawDimension(int inputDimension) => inputDimension;
    public int FeatureDimension(int inputDimension) => inputDimension;

    public void SampleDraw(DrawStream rng, Span<double> draw, int inputDimension)
    {
        for (int j = 0; j < inputDimension; j++) draw[j] = rng.NextGaussian();
    }

    public double LogDensity(ReadOnlySpan<double> draw, int inputDimension)
    {
        double sq = 0;
        foreach (double v in draw) sq += v * v;
        return -0.5 * inputDimension * Math.Log(2.0 * Math.PI) - 0.5 * sq;
    }

    public double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> z)
    {
        double xz = 0, xx = 0, zz = 0;
        for (int j = 0; j < x.Length; j++) { xz += x[j] * z[j]; xx += x[j] * x[j]; zz += z[j] * z[j]; }
        double nx = Math.Sqrt(xx), nz = Math.Sqrt(zz);
        return NearlyParallel(xz, nx, nz) ? FromAngle(xz, StableAngle(x, z, nx, nz)) : FromInnerProducts(xz, nx, nz);
    }

    /// <summary>
    /// |cos θ| this close to 1 makes arccos ill-conditioned (its slope is 1/sin θ): a rounding of 1e-16 in c moves θ
    /// by 1e-8, and K(x,x) itself — c = 1 up to rounding — came out 5e-9 off, enough for two BLAS libraries to give
    /// exact NTK fits differing by 1e-8. Such pairs take <see cref="StableAngle"/> instead.
    /// </summary>
    private const double ParallelThreshold = 1.0 - 1e-4;

    private static bool NearlyParallel(double xz, double nx, double nz) =>
        nx > 0 && nz > 0 && Math.Abs(xz) > ParallelThreshold * nx * nz;

    /// <summary>θ = 2·atan2(‖x̂−ẑ‖, ‖x̂+ẑ‖): accurate to rounding for every angle, exactly 0 for x = z.</summary>
    private static double StableAngle(ReadOnlySpan<double> x, ReadOnlySpan<double> z, double nx, double nz)
    {
        double minus = 0, plus = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double u = x[j] / nx, v = z[j] / nz;
            minus += (u - v) * (u - v);
            plus += (u + v) * (u + v);
        }
        return 2.0 * Math.Atan2(Math.Sqrt(minus), Math.Sqrt(plus));
    }

    private static double FromAngle(double xz, double theta) => xz * (Math.PI - theta) / (2.0 * Math.PI);

    /// <summary>K from xᵀz, ‖x‖, ‖z‖; the probability that a random hyperplane keeps x and z on one side is (π−θ)/(2π).</summary>
    public static double FromInnerProducts(double xz, double normX, double normZ)
    {
        if (normX == 0 || normZ == 0) return 0.0;
        double c = Math.Clamp(xz / (normX * normZ), -1.0, 1.0);
        return xz * (Math.PI - Math.Acos(c)) / (2.0 * Math.PI);
    }

    public Matrix<double> Evaluate(Matrix<double> a, Matrix<double> b)
    {
        var cross = DenseBackend.Current.MultiplyByTranspose(a, b);
        var an = a.RowNorms(2.0);
        var bn = b.RowNorms(2.0);
        // Rows are copied out only for the rare nearly parallel pairs (always the diagonal of K(X, X)).
        return Matrix<double>.Build.Dense(a.RowCount, b.RowCount, (i, j) => NearlyParallel(cross[i, j], an[i], bn[j])
            ? FromAngle(cross[i, j], StableAngle(a.Row(i).ToArray(), b.Row(j).ToArray(), an[i], bn[j]))
            : FromInnerProducts(cross[i, j], an[i], bn[j]));
    }

    /// <summary>
    /// ΨΨᵀ for NTK features without forming Ψ: Σ_r scale_r²·x_iᵀx_j·s_ir·s_jr = (XXᵀ) ∘ (S·Sᵀ) with
    /// S_ir = scale_r·1[w_rᵀx_i ≥ 0]. This costs n²·count instead of n²·count·d — the difference between seconds
    /// and hours for wide networks on 64-dimensional data.
    /// </summary>
    public static Matrix<double> OuterGram(Matrix<double> x, Matrix<double> draws, ReadOnlySpan<double> scales)
    {
        int n = x.RowCount, count = draws.RowCount;
        if (draws.ColumnCount != x.ColumnCount) throw new ArgumentException($"draws have {draws.ColumnCount} columns, expected {x.ColumnCount}");
        var projections = DenseBackend.Current.MultiplyByTranspose(x, draws);
        var p = ((DenseColumnMajorMatrixStorage<double>)projections.Storage).Data;
        var patterns = Matrix<double>.Build.Dense(n, count);
        var sp = ((DenseColumnMajorMatrixStorage<double>)patterns.Storage).Data;
        for (int r = 0; r < count; r++)
        {
            double s = scales[r];
            int o = r * n;
            for (int i = 0; i < n; i++) sp[o + i] = p[o + i] >= 0 ? s : 0.0;
        }
        var gram = DenseBackend.Current.OuterGram(patterns);
        return gram.PointwiseMultiply(DenseBackend.Current.OuterGram(x));
    }

    public void WriteFeatures(Matrix<double> x, Matrix<double> draws, ReadOnlySpan<double> scales,
        Matrix<double> output, int columnOffset)
    {
        int d = x.ColumnCount, count = draws.RowCount, n = x.RowCount;
        if (draws.ColumnCount != d) throw new ArgumentException($"draws have {draws.ColumnCount} columns, expected {d}");
        // Activation patterns from one GEMM: s_ir = 1[w_rᵀx_i ≥ 0].
        var projections = DenseBackend.Current.MultiplyByTranspose(x, draws);
        var p = ((DenseColumnMajorMatrixStorage<double>)projections.Storage).Data;
        var xs = ((DenseColumnMajorMatrixStorage<double>)x.Storage).Data;
        var o = ((DenseColumnMajorMatrixStorage<double>)output.Storage).Data;
        for (int r = 0; r < count; r++)
        {
            double s = scales[r];
            for (int j = 0; j < d; j++)
            {
                int dst = (columnOffset + r * d + j) * n, src = j * n, pat = r * n;
                for (int i = 0; i < n; i++) o[dst + i] = p[pat + i] >= 0 ? s * xs[src + i] : 0.0;
            }
        }
    }
}

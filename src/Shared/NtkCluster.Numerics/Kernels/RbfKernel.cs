using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Kernels;

/// <summary>K(x,z) = exp(−γ‖x−z‖²); spectral density N(0, 2γ·I).</summary>
public sealed class RbfKernel : FourierFeatureKernel
{
    public double Gamma { get; }

    public RbfKernel(double gamma)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), "gamma must be a positive number");
        Gamma = gamma;
    }

    public override string Name => "rbf";
    public override string Spec => $"rbf:gamma={KernelSpec.Format(Gamma)}";

    protected override void SampleFrequency(DrawStream rng, Span<double> w)
    {
        double sd = Math.Sqrt(2.0 * Gamma);
        for (int j = 0; j < w.Length; j++) w[j] = sd * rng.NextGaussian();
    }

    protected override double LogSpectralDensity(ReadOnlySpan<double> w)
    {
        double variance = 2.0 * Gamma, sq = 0;
        foreach (double v in w) sq += v * v;
        return -0.5 * w.Length * Math.Log(2.0 * Math.PI * variance) - sq / (2.0 * variance);
    }

    public override double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> z)
    {
        double sq = 0;
        for (int j = 0; j < x.Length; j++) { double t = x[j] - z[j]; sq += t * t; }
        return Math.Exp(-Gamma * sq);
    }

    public override Matrix<double> Evaluate(Matrix<double> a, Matrix<double> b)
    {
        // ‖a−b‖² = ‖a‖² + ‖b‖² − 2aᵀb through one GEMM, as scikit-learn's euclidean_distances; clamp rounding below 0.
        // The kernel is written over the product in place: a block of kernel rows holds one rows×n matrix, not two.
        var cross = LinearAlgebra.DenseBackend.Current.MultiplyByTranspose(a, b);
        var an = a.RowNorms(2.0).PointwisePower(2.0).ToArray();
        var bn = b.RowNorms(2.0).PointwisePower(2.0).ToArray();
        var values = cross is MathNet.Numerics.LinearAlgebra.Double.DenseMatrix dense ? dense.Values : null;
        if (values is null) return Matrix<double>.Build.Dense(a.RowCount, b.RowCount, (i, j) =>
            Math.Exp(-Gamma * Math.Max(0.0, an[i] + bn[j] - 2.0 * cross[i, j])));
        int rows = a.RowCount;
        double gamma = Gamma;
        for (int j = 0; j < bn.Length; j++)
        {
            var column = values.AsSpan(j * rows, rows);
            double bj = bn[j];
            for (int i = 0; i < column.Length; i++)
                column[i] = Math.Exp(-gamma * Math.Max(0.0, an[i] + bj - 2.0 * column[i]));
        }
        return cross;
    }
}

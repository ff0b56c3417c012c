using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Kernels;

/// <summary>K(x,z) = exp(−γ‖x−z‖₁); spectral density a product of Cauchy(0, γ) per coordinate.</summary>
public sealed class LaplaceKernel : FourierFeatureKernel
{
    public double Gamma { get; }

    public LaplaceKernel(double gamma)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), "gamma must be a positive number");
        Gamma = gamma;
    }

    public override string Name => "laplace";
    public override string Spec => $"laplace:gamma={KernelSpec.Format(Gamma)}";

    protected override void SampleFrequency(DrawStream rng, Span<double> w)
    {
        for (int j = 0; j < w.Length; j++) w[j] = rng.NextCauchy(Gamma);
    }

    protected override double LogSpectralDensity(ReadOnlySpan<double> w)
    {
        double s = 0;
        foreach (double v in w) s += Math.Log(Gamma / (Math.PI * (Gamma * Gamma + v * v)));
        return s;
    }

    public override double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> z)
    {
        double l1 = 0;
        for (int j = 0; j < x.Length; j++) l1 += Math.Abs(x[j] - z[j]);
        return Math.Exp(-Gamma * l1);
    }

    public override Matrix<double> Evaluate(Matrix<double> a, Matrix<double> b)
    {
        var ar = a.ToRowArrays();
        var br = b.ToRowArrays();
        return Matrix<double>.Build.Dense(a.RowCount, b.RowCount, (i, j) => Evaluate(ar[i], br[j]));
    }
}

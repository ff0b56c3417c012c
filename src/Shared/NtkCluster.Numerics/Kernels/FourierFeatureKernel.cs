using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// Shift-invariant kernels by Bochner's theorem: φ(x,(w,b)) = √2·cos(wᵀx+b), w from the kernel's spectral
/// density, b ∼ U[0,2π) (Rahimi and Recht 2007). A draw is stored as [w_1 … w_d, b], so d1 = d+1 and d2 = 1.
/// </summary>
public abstract class FourierFeatureKernel : IFeatureKernel
{
    public abstract string Name { get; }
    public abstract string Spec { get; }

    public int DrawDimension(int inputDimension) => inputDimension + 1;
    public int FeatureDimension(int inputDimension) => 1;

    /// <summary>Draws the frequency vector w from the spectral density.</summary>
    protected abstract void SampleFrequency(DrawStream rng, Span<double> w);

    /// <summary>log of the spectral density at w.</summary>
    protected abstract double LogSpectralDensity(ReadOnlySpan<double> w);

    public void SampleDraw(DrawStream rng, Span<double> draw, int inputDimension)
    {
        SampleFrequency(rng, draw[..inputDimension]);
        draw[inputDimension] = 2.0 * Math.PI * rng.NextDouble();
    }

    public double LogDensity(ReadOnlySpan<double> draw, int inputDimension)
    {
        double phase = draw[inputDimension];
        if (phase < 0 || phase >= 2.0 * Math.PI) return double.NegativeInfinity;
        return LogSpectralDensity(draw[..inputDimension]) - Math.Log(2.0 * Math.PI);
    }

    public abstract double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> z);
    public abstract Matrix<double> Evaluate(Matrix<double> a, Matrix<double> b);

    public void WriteFeatures(Matrix<double> x, Matrix<double> draws, ReadOnlySpan<double> scales,
        Matrix<double> output, int columnOffset)
    {
        int d = x.ColumnCount, count = draws.RowCount, n = x.RowCount;
        if (draws.ColumnCount != d + 1) throw new ArgumentException($"draws have {draws.ColumnCount} columns, expected {d + 1}");
        // Z = X·Wᵀ as one GEMM, then the elementwise map in place.
        var projections = DenseBackend.Current.MultiplyByTranspose(x, draws.SubMatrix(0, count, 0, d));
        var z = ((DenseColumnMajorMatrixStorage<double>)projections.Storage).Data;
        var o = ((DenseColumnMajorMatrixStorage<double>)output.Storage).Data;
        for (int r = 0; r < count; r++)
        {
            double phase = draws[r, d];
            double s = Math.Sqrt(2.0) * scales[r];
            VectorCosine.Apply(z.AsSpan(r * n, n), phase, s, o.AsSpan((columnOffset + r) * n, n));
        }
    }
}

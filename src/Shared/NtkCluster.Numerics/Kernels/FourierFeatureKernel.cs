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

    /// <summary>The factor of a feature column's cosine: √2 (φ's) times the draw's scale √(weight/M).</summary>
    public static double ColumnScale(double scale) => Math.Sqrt(2.0) * scale;

    /// <summary>Writes every entry of its columns of Ψ, so a reused output needs no clearing first.</summary>
    public void WriteFeatures(Matrix<double> x, Matrix<double> draws, ReadOnlySpan<double> scales,
        Matrix<double> output, int columnOffset)
    {
        int d = x.ColumnCount, count = draws.RowCount, n = x.RowCount;
        if (draws.ColumnCount != d + 1) throw new ArgumentException($"draws have {draws.ColumnCount} columns, expected {d + 1}");
        var o = ((DenseColumnMajorMatrixStorage<double>)output.Storage).Data;
        if (d <= ProjectedCosine.MaxFusedDimension && x.Storage is DenseColumnMajorMatrixStorage<double> fused
            && fused.Data.Length == (long)n * d)
        {
            // Few input columns: the projection fused into the cosine pass, Ψ written once (see ProjectedCosine).
            Span<double> wr = stackalloc double[d];
            for (int r = 0; r < count; r++)
            {
                for (int k = 0; k < d; k++) wr[k] = draws[r, k];
                ProjectedCosine.Apply(fused.Data, n, wr, draws[r, d], ColumnScale(scales[r]), o.AsSpan((columnOffset + r) * n, n));
            }
            return;
        }
        // Z = X·Wᵀ as one GEMM, then the elementwise map.
        var w = draws.SubMatrix(0, count, 0, d);
        double[] z;
        if (columnOffset == 0 && (long)count * n == o.Length && DenseBackend.Current is OpenBlasBackend blas
            && x.Storage is DenseColumnMajorMatrixStorage<double> xs && xs.Data.Length == (long)n * d)
        {
            // Ψ is exactly Z's shape (a Gram block's Ψ_b, a prediction block's Ψ): Z goes straight into it and the cosines
            // are taken in place — the same dgemm as MultiplyByTranspose, so the same bits — instead of a second n×M array
            // per block (32 MB for a 4096-row block at M = 1024) that was allocated, zeroed, written, read and dropped.
            blas.MultiplyInto(false, true, 1.0, xs.Data, n, d, ((DenseColumnMajorMatrixStorage<double>)w.Storage).Data, count, d, 0.0, o);
            z = o;
        }
        else z = ((DenseColumnMajorMatrixStorage<double>)DenseBackend.Current.MultiplyByTranspose(x, w).Storage).Data;
        for (int r = 0; r < count; r++)
        {
            double phase = draws[r, d];
            double s = ColumnScale(scales[r]);
            VectorCosine.Apply(z.AsSpan(r * n, n), phase, s, o.AsSpan((columnOffset + r) * n, n));
        }
    }
}

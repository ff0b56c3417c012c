using System.Numerics;
using System.Runtime.Intrinsics;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// One random Fourier feature column, scale·cos(X·w + b), in a single pass over the rows for data of few columns.
/// Why: with d = 2 (the flights data) the GEMM Z = X·Wᵀ does 2 multiply-adds per entry but writes all of Z (32 MB per
/// 4096-row Gram block at M = 1024) for the cosine pass to read back and write again; here each entry's projection is
/// a few fused multiply-adds in registers, next to its cosine, and Ψ is written once.
/// </summary>
/// <remarks>
/// The projection is x_{i,0}·w_0, then fused multiply-adds of x_{i,k}·w_k in column order k = 1 … d−1; the cosine is
/// <see cref="VectorCosine"/>'s of that plus b. Every lane and the scalar tail do the same operations, so an entry's
/// bits depend on neither the vector width nor where the row falls in the block — nor on the dense backend (no BLAS
/// here), so the OpenBLAS and the managed backends agree bitwise for such data.
/// </remarks>
public static class ProjectedCosine
{
    /// <summary>
    /// The most input columns the fused pass takes; wider data goes through one GEMM (d multiply-adds per entry make
    /// the GEMM's blocking worth its extra pass over Z). The choice depends on d alone, never on workers or backend.
    /// </summary>
    public const int MaxFusedDimension = 16;

    /// <summary>
    /// output[i] = scale·cos(Σ_k x[k·n + i]·w[k] + phase) for i &lt; n, x column-major n×d (d = w.Length).
    /// </summary>
    public static void Apply(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> w, double phase, double scale, Span<double> output) =>
        Apply(x, n, w, phase, scale, output, VectorCosine.Lanes.Widest);

    internal static void Apply(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> w, double phase, double scale,
        Span<double> output, VectorCosine.Lanes lanes)
    {
        int d = w.Length;
        if (d < 1) throw new ArgumentException("no input columns");
        if (x.Length < (long)n * d) throw new ArgumentException($"x holds {x.Length} values, {n}×{d} expected");
        if (output.Length < n) throw new ArgumentException("output is shorter than the rows");
        int i = 0;
        if (lanes == VectorCosine.Lanes.Widest && Vector512.IsHardwareAccelerated)
        {
            const int width = 512 / 64;
            var vPhase = Vector512.Create(phase);
            for (; i + width <= n; i += width)
            {
                var p = Vector512.Create(x.Slice(i, width)) * Vector512.Create(w[0]);
                for (int k = 1; k < d; k++)
                    p = Vector512.FusedMultiplyAdd(Vector512.Create(x.Slice(k * n + i, width)), Vector512.Create(w[k]), p);
                var z = p + vPhase;
                VectorCosine.Cos512(z, scale).CopyTo(output.Slice(i, width));
                if (VectorCosine.OutOfRange512(z)) VectorCosine.FixOutOfRange(z, i, scale, output);
            }
        }
        if (lanes != VectorCosine.Lanes.Scalar && Vector.IsHardwareAccelerated)
        {
            int width = Vector<double>.Count;
            var vPhase = new Vector<double>(phase);
            for (; i + width <= n; i += width)
            {
                var p = new Vector<double>(x.Slice(i, width)) * new Vector<double>(w[0]);
                for (int k = 1; k < d; k++)
                    p = Vector.FusedMultiplyAdd(new Vector<double>(x.Slice(k * n + i, width)), new Vector<double>(w[k]), p);
                var z = p + vPhase;
                VectorCosine.CosVector(z, scale).CopyTo(output.Slice(i, width));
                if (VectorCosine.OutOfRangeVector(z)) VectorCosine.FixOutOfRange(z, i, scale, output);
            }
        }
        for (; i < n; i++) output[i] = scale * VectorCosine.Cos(Projection(x, n, w, i) + phase);
    }

    /// <summary>Row i's x·w, the operations of the vector paths.</summary>
    public static double Projection(ReadOnlySpan<double> x, int n, ReadOnlySpan<double> w, int i)
    {
        double p = x[i] * w[0];
        for (int k = 1; k < w.Length; k++) p = Math.FusedMultiplyAdd(x[k * n + i], w[k], p);
        return p;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// cos over arrays, SIMD: the elementwise map of random Fourier features. Why our own: Math.Cos costs 15–20 ns per
/// element and .NET's Vector512.Cos / Vector256.Cos are slower still for doubles (measured: 1.4–2× our 256-bit
/// loop), so on the flights benchmark (350 million cosines for a 1024-feature fit with train and test errors) the
/// cosines took longer than every GEMM together.
/// </summary>
/// <remarks>
/// fdlibm's method: reduce z by multiples of π/2 with a three-part Cody–Waite split of π/2 (each part has 33
/// significant bits, so j·part is exact for |j| &lt; 2²⁰), then fdlibm's __kernel_cos / __kernel_sin minimax
/// polynomials on [−π/4, π/4], picked and signed by the quadrant. Error within about 1 ulp of the true cosine for
/// |z| ≤ <see cref="FastRange"/>; beyond it (and for NaN or ±∞) the element takes Math.Cos.
/// <para>
/// Every step is a fused multiply-add where the formula has one (Horner steps, the reduction), in every lane and in the
/// scalar tail alike (<see cref="Math.FusedMultiplyAdd"/>, exact in software where the hardware lacks FMA): results do
/// not depend on the vector width, so 512-bit lanes (used where AVX-512 is accelerated — twice the cosines per
/// instruction of the 256-bit <see cref="Vector{T}"/>), 256-bit, 128-bit and scalar give the same bits.
/// </para>
/// </remarks>
public static class VectorCosine
{
    /// <summary>Arguments up to this size take the fast path (|j| ≤ 2¹⁷ quadrants, far inside the exact range).</summary>
    public const double FastRange = 2e5;

    private const double TwoOverPi = 6.36619772367581382433e-01;
    private const double Pio2A = 1.57079632673412561417e+00, Pio2B = 6.07710050630396597660e-11, Pio2C = 2.02226624871116645580e-21;
    // 1.5·2⁵²: adding it rounds to the nearest integer (ties to even), which then sits in the low mantissa bits —
    // j mod 4, the quadrant, is read from there (two's complement agrees, 2⁵¹ being a multiple of 4).
    private const double RoundMagic = 6755399441055744.0;
    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

    /// <summary>Which lanes <see cref="Apply"/> uses: the widest accelerated one by default; tests pin the others.</summary>
    internal enum Lanes { Widest, Vector, Scalar }

    /// <summary>output[i] = scale·cos(input[i] + shift); output may be input itself.</summary>
    public static void Apply(ReadOnlySpan<double> input, double shift, double scale, Span<double> output) =>
        Apply(input, shift, scale, output, Lanes.Widest);

    internal static void Apply(ReadOnlySpan<double> input, double shift, double scale, Span<double> output, Lanes lanes)
    {
        if (output.Length < input.Length) throw new ArgumentException("output is shorter than input");
        int i = 0, n = input.Length;
        if (lanes == Lanes.Widest && Vector512.IsHardwareAccelerated)
        {
            var vShift = Vector512.Create(shift);
            for (; i + Vector512<double>.Count <= n; i += Vector512<double>.Count)
            {
                var z = Vector512.Create(input.Slice(i, Vector512<double>.Count)) + vShift;
                // Written before the range check and from z, not input: output may be input itself (cosines taken in
                // place); z[k − i] is input[k] + shift, the same rounding, so the same bits.
                Cos512(z, scale).CopyTo(output.Slice(i, Vector512<double>.Count));
                if (OutOfRange512(z)) FixOutOfRange(z, i, scale, output);
            }
        }
        if (lanes != Lanes.Scalar && Vector.IsHardwareAccelerated)
        {
            var vShift = new Vector<double>(shift);
            for (; i + Vector<double>.Count <= n; i += Vector<double>.Count)
            {
                var z = new Vector<double>(input.Slice(i, Vector<double>.Count)) + vShift;
                CosVector(z, scale).CopyTo(output.Slice(i, Vector<double>.Count));
                if (OutOfRangeVector(z)) FixOutOfRange(z, i, scale, output);
            }
        }
        for (; i < n; i++) output[i] = scale * Cos(input[i] + shift);
    }

    /// <summary>cos z, bitwise what the vector paths give for the same z.</summary>
    public static double Cos(double z)
    {
        if (!(Math.Abs(z) <= FastRange)) return Math.Cos(z);
        double t = Math.FusedMultiplyAdd(z, TwoOverPi, RoundMagic);
        double j = t - RoundMagic;
        double r = Math.FusedMultiplyAdd(-j, Pio2C, Math.FusedMultiplyAdd(-j, Pio2B, Math.FusedMultiplyAdd(-j, Pio2A, z)));
        double r2 = r * r;
        double sinPoly = Math.FusedMultiplyAdd(r2, S6, S5);
        sinPoly = Math.FusedMultiplyAdd(r2, sinPoly, S4);
        sinPoly = Math.FusedMultiplyAdd(r2, sinPoly, S3);
        sinPoly = Math.FusedMultiplyAdd(r2, sinPoly, S2);
        sinPoly = Math.FusedMultiplyAdd(r2, sinPoly, S1);
        double sin = Math.FusedMultiplyAdd(r2 * r, sinPoly, r);
        double cosPoly = Math.FusedMultiplyAdd(r2, C6, C5);
        cosPoly = Math.FusedMultiplyAdd(r2, cosPoly, C4);
        cosPoly = Math.FusedMultiplyAdd(r2, cosPoly, C3);
        cosPoly = Math.FusedMultiplyAdd(r2, cosPoly, C2);
        cosPoly = Math.FusedMultiplyAdd(r2, cosPoly, C1);
        double hz = 0.5 * r2, w = 1.0 - hz;
        double cos = w + Math.FusedMultiplyAdd(r2 * r2, cosPoly, (1.0 - w) - hz);
        long q = BitConverter.DoubleToInt64Bits(t) & 3;
        double value = (q & 1) == 0 ? cos : sin;
        return ((q + 1) & 2) != 0 ? -value : value;
    }

    /// <summary>scale·cos z lane by lane, 512 bits wide: the same operations as <see cref="Cos"/> (valid where |z| ≤
    /// <see cref="FastRange"/>; the caller redoes other lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Cos512(Vector512<double> z, double scale)
    {
        var t = Vector512.FusedMultiplyAdd(z, Vector512.Create(TwoOverPi), Vector512.Create(RoundMagic));
        var j = t - Vector512.Create(RoundMagic);
        var r = Vector512.FusedMultiplyAdd(-j, Vector512.Create(Pio2A), z);
        r = Vector512.FusedMultiplyAdd(-j, Vector512.Create(Pio2B), r);
        r = Vector512.FusedMultiplyAdd(-j, Vector512.Create(Pio2C), r);
        var r2 = r * r;
        var sinPoly = Vector512.FusedMultiplyAdd(r2, Vector512.Create(S6), Vector512.Create(S5));
        sinPoly = Vector512.FusedMultiplyAdd(r2, sinPoly, Vector512.Create(S4));
        sinPoly = Vector512.FusedMultiplyAdd(r2, sinPoly, Vector512.Create(S3));
        sinPoly = Vector512.FusedMultiplyAdd(r2, sinPoly, Vector512.Create(S2));
        sinPoly = Vector512.FusedMultiplyAdd(r2, sinPoly, Vector512.Create(S1));
        var sin = Vector512.FusedMultiplyAdd(r2 * r, sinPoly, r);
        var cosPoly = Vector512.FusedMultiplyAdd(r2, Vector512.Create(C6), Vector512.Create(C5));
        cosPoly = Vector512.FusedMultiplyAdd(r2, cosPoly, Vector512.Create(C4));
        cosPoly = Vector512.FusedMultiplyAdd(r2, cosPoly, Vector512.Create(C3));
        cosPoly = Vector512.FusedMultiplyAdd(r2, cosPoly, Vector512.Create(C2));
        cosPoly = Vector512.FusedMultiplyAdd(r2, cosPoly, Vector512.Create(C1));
        var hz = Vector512.Create(0.5) * r2;
        var w = Vector512<double>.One - hz;
        var cos = w + Vector512.FusedMultiplyAdd(r2 * r2, cosPoly, (Vector512<double>.One - w) - hz);
        var q = t.AsInt64();
        var even = Vector512.Equals(q & Vector512<long>.One, Vector512<long>.Zero).AsDouble();
        var value = Vector512.ConditionalSelect(even, cos, sin);
        // Quadrants 1 and 2 are negative: bit 1 of q + 1, moved to the sign bit, flips the scale's sign ((−v)·s = v·(−s) exactly).
        var sign = Vector512.ShiftLeft(q + Vector512<long>.One, 62) & Vector512.Create(long.MinValue);
        return value * (Vector512.Create(scale).AsInt64() ^ sign).AsDouble();
    }

    /// <summary><see cref="Cos512"/> in the machine's <see cref="Vector{T}"/> width (256 bits on x64, 128 on Arm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<double> CosVector(Vector<double> z, double scale)
    {
        var t = Vector.FusedMultiplyAdd(z, new Vector<double>(TwoOverPi), new Vector<double>(RoundMagic));
        var j = t - new Vector<double>(RoundMagic);
        var r = Vector.FusedMultiplyAdd(-j, new Vector<double>(Pio2A), z);
        r = Vector.FusedMultiplyAdd(-j, new Vector<double>(Pio2B), r);
        r = Vector.FusedMultiplyAdd(-j, new Vector<double>(Pio2C), r);
        var r2 = r * r;
        var sinPoly = Vector.FusedMultiplyAdd(r2, new Vector<double>(S6), new Vector<double>(S5));
        sinPoly = Vector.FusedMultiplyAdd(r2, sinPoly, new Vector<double>(S4));
        sinPoly = Vector.FusedMultiplyAdd(r2, sinPoly, new Vector<double>(S3));
        sinPoly = Vector.FusedMultiplyAdd(r2, sinPoly, new Vector<double>(S2));
        sinPoly = Vector.FusedMultiplyAdd(r2, sinPoly, new Vector<double>(S1));
        var sin = Vector.FusedMultiplyAdd(r2 * r, sinPoly, r);
        var cosPoly = Vector.FusedMultiplyAdd(r2, new Vector<double>(C6), new Vector<double>(C5));
        cosPoly = Vector.FusedMultiplyAdd(r2, cosPoly, new Vector<double>(C4));
        cosPoly = Vector.FusedMultiplyAdd(r2, cosPoly, new Vector<double>(C3));
        cosPoly = Vector.FusedMultiplyAdd(r2, cosPoly, new Vector<double>(C2));
        cosPoly = Vector.FusedMultiplyAdd(r2, cosPoly, new Vector<double>(C1));
        var hz = new Vector<double>(0.5) * r2;
        var w = Vector<double>.One - hz;
        var cos = w + Vector.FusedMultiplyAdd(r2 * r2, cosPoly, (Vector<double>.One - w) - hz);
        var q = Vector.AsVectorInt64(t);
        var even = Vector.AsVectorDouble(Vector.Equals(q & Vector<long>.One, Vector<long>.Zero));
        var value = Vector.ConditionalSelect(even, cos, sin);
        var sign = Vector.ShiftLeft(q + Vector<long>.One, 62) & new Vector<long>(long.MinValue);
        return value * Vector.AsVectorDouble(Vector.AsVectorInt64(new Vector<double>(scale)) ^ sign);
    }

    /// <summary>Whether a lane is beyond <see cref="FastRange"/> or NaN (the comparison is false for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool OutOfRange512(Vector512<double> z) =>
        !Vector512.LessThanOrEqualAll(Vector512.Abs(z), Vector512.Create(FastRange));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool OutOfRangeVector(Vector<double> z) =>
        !Vector.LessThanOrEqualAll(Vector.Abs(z), new Vector<double>(FastRange));

    /// <summary>The rare vector with a lane out of range: every lane of it again through the scalar <see cref="Cos"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void FixOutOfRange(Vector512<double> z, int start, double scale, Span<double> output)
    {
        for (int k = 0; k < Vector512<double>.Count; k++) output[start + k] = scale * Cos(z[k]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void FixOutOfRange(Vector<double> z, int start, double scale, Span<double> output)
    {
        for (int k = 0; k < Vector<double>.Count; k++) output[start + k] = scale * Cos(z[k]);
    }
}

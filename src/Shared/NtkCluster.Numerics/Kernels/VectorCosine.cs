using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NtkCluster.Numerics.Kernels;

/// <summary>
/// cos over arrays, SIMD: the elementwise map of random Fourier features. Why our own: Math.Cos costs 15–20 ns per
/// element and .NET's Vector512.Cos is no faster for doubles, so on the flights benchmark (350 million cosines for a
/// 1024-feature fit with train and test errors) the cosines took longer than every GEMM together.
/// </summary>
/// <remarks>
/// fdlibm's method: reduce z by multiples of π/2 with a three-part Cody–Waite split of π/2 (each part has 33
/// significant bits, so j·part is exact for |j| &lt; 2²⁰), then fdlibm's __kernel_cos / __kernel_sin minimax
/// polynomials on [−π/4, π/4], picked and signed by the quadrant. Error within about 1 ulp of the true cosine for
/// |z| ≤ <see cref="FastRange"/>; beyond it (and for NaN or ±∞) the element takes Math.Cos. Plain multiplies and adds,
/// no FMA, the same sequence in every lane and in the scalar tail: results do not depend on the vector width.
/// </remarks>
public static class VectorCosine
{
    /// <summary>Arguments up to this size take the fast path (|j| ≤ 2¹⁷ quadrants, far inside the exact range).</summary>
    public const double FastRange = 2e5;

    private const double TwoOverPi = 6.36619772367581382433e-01;
    private const double Pio2A = 1.57079632673412561417e+00, Pio2B = 6.07710050630396597660e-11, Pio2C = 2.02226624871116645580e-21;
    private const double RoundMagic = 6755399441055744.0; // 1.5·2⁵²: adding and subtracting it rounds to the nearest integer, ties to even
    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

    /// <summary>output[i] = scale·cos(input[i] + shift).</summary>
    public static void Apply(ReadOnlySpan<double> input, double shift, double scale, Span<double> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output is shorter than input");
        int i = 0, n = input.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vShift = Vector512.Create(shift);
            var vScale = Vector512.Create(scale);
            for (; i + 8 <= n; i += 8)
            {
                var z = Vector512.Create(input.Slice(i, 8)) + vShift;
                var c = Cos512(z) * vScale;
                c.CopyTo(output.Slice(i, 8));
                if (Vector512.GreaterThanAny(Vector512.Abs(z), Vector512.Create(FastRange)) || !Vector512.EqualsAll(z, z))
                    for (int k = i; k < i + 8; k++) output[k] = scale * Cos(input[k] + shift);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vShift = Vector256.Create(shift);
            var vScale = Vector256.Create(scale);
            for (; i + 4 <= n; i += 4)
            {
                var z = Vector256.Create(input.Slice(i, 4)) + vShift;
                var c = Cos256(z) * vScale;
                c.CopyTo(output.Slice(i, 4));
                if (Vector256.GreaterThanAny(Vector256.Abs(z), Vector256.Create(FastRange)) || !Vector256.EqualsAll(z, z))
                    for (int k = i; k < i + 4; k++) output[k] = scale * Cos(input[k] + shift);
            }
        }
        for (; i < n; i++) output[i] = scale * Cos(input[i] + shift);
    }

    /// <summary>cos z, bitwise what the vector paths give for the same z.</summary>
    public static double Cos(double z)
    {
        if (!(Math.Abs(z) <= FastRange)) return Math.Cos(z);
        double j = (z * TwoOverPi + RoundMagic) - RoundMagic;
        double r = ((z - j * Pio2A) - j * Pio2B) - j * Pio2C;
        double r2 = r * r;
        double sin = r + (r2 * r) * (S1 + r2 * (S2 + r2 * (S3 + r2 * (S4 + r2 * (S5 + r2 * S6)))));
        double hz = 0.5 * r2, w = 1.0 - hz;
        double cos = w + (((1.0 - w) - hz) + (r2 * r2) * (C1 + r2 * (C2 + r2 * (C3 + r2 * (C4 + r2 * (C5 + r2 * C6))))));
        long q = (long)j & 3;
        double value = (q & 1) == 0 ? cos : sin;
        return q is 1 or 2 ? -value : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Cos512(Vector512<double> z)
    {
        var j = (z * Vector512.Create(TwoOverPi) + Vector512.Create(RoundMagic)) - Vector512.Create(RoundMagic);
        var r = ((z - j * Vector512.Create(Pio2A)) - j * Vector512.Create(Pio2B)) - j * Vector512.Create(Pio2C);
        var r2 = r * r;
        var sinPoly = Vector512.Create(S5) + r2 * Vector512.Create(S6);
        sinPoly = Vector512.Create(S4) + r2 * sinPoly;
        sinPoly = Vector512.Create(S3) + r2 * sinPoly;
        sinPoly = Vector512.Create(S2) + r2 * sinPoly;
        sinPoly = Vector512.Create(S1) + r2 * sinPoly;
        var sin = r + (r2 * r) * sinPoly;
        var cosPoly = Vector512.Create(C5) + r2 * Vector512.Create(C6);
        cosPoly = Vector512.Create(C4) + r2 * cosPoly;
        cosPoly = Vector512.Create(C3) + r2 * cosPoly;
        cosPoly = Vector512.Create(C2) + r2 * cosPoly;
        cosPoly = Vector512.Create(C1) + r2 * cosPoly;
        var hz = Vector512.Create(0.5) * r2;
        var w = Vector512<double>.One - hz;
        var cos = w + (((Vector512<double>.One - w) - hz) + (r2 * r2) * cosPoly);
        var q = Vector512.ConvertToInt64(j) & Vector512.Create(3L);
        var odd = Vector512.Equals(q & Vector512<long>.One, Vector512<long>.One).AsDouble();
        var value = Vector512.ConditionalSelect(odd, sin, cos);
        var negate = (Vector512.Equals(q, Vector512.Create(1L)) | Vector512.Equals(q, Vector512.Create(2L))).AsDouble();
        return Vector512.ConditionalSelect(negate, -value, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Cos256(Vector256<double> z)
    {
        var j = (z * Vector256.Create(TwoOverPi) + Vector256.Create(RoundMagic)) - Vector256.Create(RoundMagic);
        var r = ((z - j * Vector256.Create(Pio2A)) - j * Vector256.Create(Pio2B)) - j * Vector256.Create(Pio2C);
        var r2 = r * r;
        var sinPoly = Vector256.Create(S5) + r2 * Vector256.Create(S6);
        sinPoly = Vector256.Create(S4) + r2 * sinPoly;
        sinPoly = Vector256.Create(S3) + r2 * sinPoly;
        sinPoly = Vector256.Create(S2) + r2 * sinPoly;
        sinPoly = Vector256.Create(S1) + r2 * sinPoly;
        var sin = r + (r2 * r) * sinPoly;
        var cosPoly = Vector256.Create(C5) + r2 * Vector256.Create(C6);
        cosPoly = Vector256.Create(C4) + r2 * cosPoly;
        cosPoly = Vector256.Create(C3) + r2 * cosPoly;
        cosPoly = Vector256.Create(C2) + r2 * cosPoly;
        cosPoly = Vector256.Create(C1) + r2 * cosPoly;
        var hz = Vector256.Create(0.5) * r2;
        var w = Vector256<double>.One - hz;
        var cos = w + (((Vector256<double>.One - w) - hz) + (r2 * r2) * cosPoly);
        var q = Vector256.ConvertToInt64(j) & Vector256.Create(3L);
        var odd = Vector256.Equals(q & Vector256<long>.One, Vector256<long>.One).AsDouble();
        var value = Vector256.ConditionalSelect(odd, sin, cos);
        var negate = (Vector256.Equals(q, Vector256.Create(1L)) | Vector256.Equals(q, Vector256.Create(2L))).AsDouble();
        return Vector256.ConditionalSelect(negate, -value, value);
    }
}

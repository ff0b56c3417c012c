using System.Numerics;
using System.Runtime.CompilerServices;

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

    /// <summary>output[i] = scale·cos(input[i] + shift); output may be input itself.</summary>
    public static void Apply(ReadOnlySpan<double> input, double shift, double scale, Span<double> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("output is shorter than input");
        int i = 0, n = input.Length, width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var vShift = new Vector<double>(shift);
            var vScale = new Vector<double>(scale);
            var range = new Vector<double>(FastRange);
            for (; i + width <= n; i += width)
            {
                var z = new Vector<double>(input.Slice(i, width)) + vShift;
                (CosVector(z) * vScale).CopyTo(output.Slice(i, width));
                // From z, not input: output may be input itself (cosines taken in place), already overwritten here.
                // z[k − i] is input[k] + shift, the same rounding, so the same bits.
                if (Vector.GreaterThanAny(Vector.Abs(z), range) || !Vector.EqualsAll(z, z))
                    for (int k = i; k < i + width; k++) output[k] = scale * Cos(z[k - i]);
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

    /// <summary>The same operations as <see cref="Cos"/>, lane by lane, in whatever width the machine has.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> CosVector(Vector<double> z)
    {
        var j = (z * new Vector<double>(TwoOverPi) + new Vector<double>(RoundMagic)) - new Vector<double>(RoundMagic);
        var r = ((z - j * new Vector<double>(Pio2A)) - j * new Vector<double>(Pio2B)) - j * new Vector<double>(Pio2C);
        var r2 = r * r;
        var sinPoly = new Vector<double>(S5) + r2 * new Vector<double>(S6);
        sinPoly = new Vector<double>(S4) + r2 * sinPoly;
        sinPoly = new Vector<double>(S3) + r2 * sinPoly;
        sinPoly = new Vector<double>(S2) + r2 * sinPoly;
        sinPoly = new Vector<double>(S1) + r2 * sinPoly;
        var sin = r + (r2 * r) * sinPoly;
        var cosPoly = new Vector<double>(C5) + r2 * new Vector<double>(C6);
        cosPoly = new Vector<double>(C4) + r2 * cosPoly;
        cosPoly = new Vector<double>(C3) + r2 * cosPoly;
        cosPoly = new Vector<double>(C2) + r2 * cosPoly;
        cosPoly = new Vector<double>(C1) + r2 * cosPoly;
        var hz = new Vector<double>(0.5) * r2;
        var w = Vector<double>.One - hz;
        var cos = w + (((Vector<double>.One - w) - hz) + (r2 * r2) * cosPoly);
        var q = Vector.ConvertToInt64(j) & new Vector<long>(3L);
        var odd = Vector.AsVectorDouble(Vector.Equals(q & Vector<long>.One, Vector<long>.One));
        var value = Vector.ConditionalSelect(odd, sin, cos);
        var negate = Vector.AsVectorDouble(Vector.Equals(q, Vector<long>.One) | Vector.Equals(q, new Vector<long>(2L)));
        return Vector.ConditionalSelect(negate, -value, value);
    }
}

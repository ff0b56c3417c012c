using System.Runtime.InteropServices;

namespace NtkCluster.Numerics.LinearAlgebra;

/// <summary>
/// Native memory aligned to 64 bytes for OpenBLAS calls. Why: OpenBLAS's level-2 and LAPACK paths (dsyevd's
/// tridiagonal reduction, dpotrf's unblocked panels) peel unaligned leading elements before their SIMD loops, so
/// their rounding depends on where the array happens to sit — .NET arrays land on 8- or 16-byte boundaries at
/// random, and the same input gave eigenvalues differing in the last bits from run to run. Copying every operand
/// to the same alignment makes each call a function of its values alone.
/// </summary>
internal unsafe struct AlignedBuffer : IDisposable
{
    public const int Alignment = 64;

    public double* Pointer { get; private set; }

    public long Length { get; }

    public AlignedBuffer(long length)
    {
        Length = length;
        Pointer = (double*)NativeMemory.AlignedAlloc((nuint)(Math.Max(1, length) * sizeof(double)), Alignment);
        if (Pointer == null) throw new OutOfMemoryException($"cannot allocate {length} doubles of native memory");
    }

    /// <summary>An aligned copy of <paramref name="values"/>.</summary>
    public static AlignedBuffer CopyOf(double[] values)
    {
        var buffer = new AlignedBuffer(values.Length);
        values.AsSpan().CopyTo(new Span<double>(buffer.Pointer, values.Length));
        return buffer;
    }

    /// <summary>Zero-filled.</summary>
    public static AlignedBuffer Zeroed(long length)
    {
        var buffer = new AlignedBuffer(length);
        NativeMemory.Clear(buffer.Pointer, (nuint)(Math.Max(1, length) * sizeof(double)));
        return buffer;
    }

    public double[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<double>(checked((int)Length));
        new ReadOnlySpan<double>(Pointer, (int)Length).CopyTo(result);
        return result;
    }

    public void Dispose()
    {
        if (Pointer != null) NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}

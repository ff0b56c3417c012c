using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// Appends the primitives of the NtkCluster wire format to a growing buffer: little-endian integers, doubles as
/// their raw IEEE-754 bits, UTF-8 strings and arrays with an int32 length in front, matrices as rows, columns and
/// column-major data. Its counterpart is <see cref="PayloadReader"/>.
/// </summary>
/// <remarks>
/// Doubles are copied as bytes, never formatted: models must be bitwise the same on every node, and that includes
/// NaN payloads, −0 and infinities. On little-endian machines (all that .NET runs on in practice) a block of doubles
/// is one memory copy; the per-element path exists only so the format stays little-endian everywhere.
/// </remarks>
public sealed class PayloadWriter : NtkCluster.Numerics.Data.IBinaryFieldWriter
{
    // Strict: an unpaired surrogate fails loudly here instead of arriving as U+FFFD on the other node.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;
    private bool _finished;

    /// <param name="initialCapacity">Bytes reserved up front; the buffer doubles when it fills.</param>
    public PayloadWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>The double's raw bits, so every value — NaN payloads included — arrives unchanged.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), BitConverter.DoubleToInt64Bits(value));

    /// <summary>A presence byte for an optional field: the value follows only when it is true.</summary>
    public bool WritePresence(object? value)
    {
        WriteBool(value is not null);
        return value is not null;
    }

    /// <summary>A presence byte, then the double when there is one.</summary>
    public void WriteOptionalDouble(double? value)
    {
        if (WritePresence(value)) WriteDouble(value!.Value);
    }

    /// <summary>A presence byte, then the string when there is one.</summary>
    public void WriteOptionalString(string? value)
    {
        if (WritePresence(value)) WriteString(value!);
    }

    /// <summary>UTF-8 bytes with their count in front. Null is not a string: optional strings need <see cref="WritePresence"/>.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int count = Utf8.GetByteCount(value);
        WriteInt32(count);
        Utf8.GetBytes(value, Reserve(count));
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        WriteInt32(values.Count);
        foreach (var value in values) WriteString(value);
    }

    /// <summary>Raw bytes with their count in front.</summary>
    public void WriteBytes(ReadOnlySpan<byte> values)
    {
        WriteInt32(values.Length);
        values.CopyTo(Reserve(values.Length));
    }

    /// <summary>A double array: its length, then its elements' bits.</summary>
    public void WriteDoubles(ReadOnlySpan<double> values)
    {
        WriteInt32(values.Length);
        WriteRawDoubles(values);
    }

    /// <summary>
    /// A dense matrix: rows, columns, then the rows·columns values in column-major order — MathNet's own storage
    /// order, so a dense matrix is written straight from its storage array without a copy. Other storages (diagonal,
    /// sparse) are written densified; the values are the same, and every reader gets a dense matrix.
    /// </summary>
    public void WriteMatrix(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.RowCount, columns = matrix.ColumnCount;
        WriteInt32(rows);
        WriteInt32(columns);
        double[] data = matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray();
        WriteRawDoubles(data.AsSpan(0, checked(rows * columns)));
    }

    /// <summary>
    /// An exactly symmetric n×n matrix as n and its upper triangle, column by column (column j: rows 0…j) — n(n+1)/2
    /// values instead of n². Gram partials are the largest messages of a fit (one m×m per row block) and are symmetric
    /// by construction, so this halves what a cluster moves for them; the reader mirrors the triangle back, so the
    /// matrix arrives bitwise as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is not square, or not symmetric bit for bit (a caller's bug: the
    /// lower triangle would be lost).</exception>
    public void WriteSymmetricMatrix(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.RowCount;
        if (matrix.ColumnCount != n) throw new ArgumentException($"a {n}×{matrix.ColumnCount} matrix is not square", nameof(matrix));
        double[] data = matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray();
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++)
                if (BitConverter.DoubleToInt64Bits(data[j * n + i]) != BitConverter.DoubleToInt64Bits(data[i * n + j]))
                    throw new ArgumentException($"the {n}×{n} matrix is not symmetric: ({i}, {j}) and ({j}, {i}) differ", nameof(matrix));
        WriteInt32(n);
        for (int j = 0; j < n; j++) WriteRawDoubles(data.AsSpan(j * n, j + 1));
    }

    /// <summary>
    /// The payload: exactly the bytes written. When the buffer is exactly full — the usual case for a reply that ends
    /// with a large matrix, see <see cref="Reserve"/> — the buffer itself is handed over instead of copied (half a
    /// megabyte per 256×256 tile, on the large-object heap), so the writer is finished after this call.
    /// </summary>
    public byte[] ToPayload()
    {
        if (_finished) throw new InvalidOperationException("the payload was already taken");
        _finished = true;
        return _length == _buffer.Length ? _buffer : _buffer.AsSpan(0, _length).ToArray();
    }

    private void WriteRawDoubles(ReadOnlySpan<double> values)
    {
        var target = Reserve(SizeOf(values.Length));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(target);
            return;
        }
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(target.Slice(8 * i, 8), BitConverter.DoubleToInt64Bits(values[i]));
    }

    private static int SizeOf(int doubles) =>
        (long)doubles * sizeof(double) is var bytes && bytes <= Array.MaxLength
            ? (int)bytes
            : throw new SerializationException($"{doubles} doubles do not fit in one payload (at most {Array.MaxLength} bytes)");

    /// <summary>
    /// The next <paramref name="count"/> bytes of the buffer. It doubles when small writes fill it; a write larger
    /// than that (a matrix) grows it to fit exactly, so a payload that ends with its one large matrix needs no final
    /// copy in <see cref="ToPayload"/>.
    /// </summary>
    private Span<byte> Reserve(int count)
    {
        if (_finished) throw new InvalidOperationException("the payload was already taken");
        long needed = (long)_length + count;
        if (needed > _buffer.Length)
        {
            if (needed > Array.MaxLength)
                throw new SerializationException($"the payload would exceed {Array.MaxLength} bytes");
            long grown = Math.Max(needed, Math.Min(2L * _buffer.Length, Array.MaxLength));
            // Uninitialized: every byte past _length is written before it is read, so zeroing would be wasted work.
            var larger = GC.AllocateUninitializedArray<byte>((int)grown);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            _buffer = larger;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}

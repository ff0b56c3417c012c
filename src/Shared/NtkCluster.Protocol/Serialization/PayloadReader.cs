using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote, front to back, over a span of the received bytes.
/// </summary>
/// <remarks>
/// Payloads come from the network, so nothing is trusted: every read checks that its bytes are there and every
/// length is checked against the bytes that remain <em>before</em> anything is allocated. A truncated or corrupt
/// payload therefore fails with a <see cref="SerializationException"/> that says what was being read and where —
/// never with an IndexOutOfRangeException deep inside, nor with a huge allocation from a garbage length.
/// </remarks>
public ref struct PayloadReader : NtkCluster.Numerics.Data.IBinaryFieldReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte(string what = "a byte") => Take(1, what)[0];

    /// <summary>A flag: exactly 0 or 1, anything else means the payload is corrupt.</summary>
    public bool ReadBool(string what = "a flag")
    {
        int at = _position;
        return ReadByte(what) switch
        {
            0 => false,
            1 => true,
            var b => throw new SerializationException($"corrupt payload: {what} at offset {at} is {b}, expected 0 or 1"),
        };
    }

    /// <summary>The presence byte of an optional field: true when the value follows.</summary>
    public bool ReadPresence(string what) => ReadBool($"the presence flag of {what}");

    public double? ReadOptionalDouble(string what) => ReadPresence(what) ? ReadDouble(what) : null;

    public string? ReadOptionalString(string what) => ReadPresence(what) ? ReadString(what) : null;

    public int ReadInt32(string what = "an int32") => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

    public long ReadInt64(string what = "an int64") => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    public ulong ReadUInt64(string what = "a uint64") => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public double ReadDouble(string what = "a double") => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(8, what)));

    /// <summary>A non-negative count of items, each at least <paramref name="minItemBytes"/> long, that must fit in what remains.</summary>
    public int ReadCount(string what, int minItemBytes)
    {
        int at = _position;
        if (Remaining < 4) throw Truncated($"the length of {what}", 4, at);
        int count = ReadInt32();
        if (count < 0) throw new SerializationException($"corrupt payload: the length of {what} at offset {at} is negative ({count})");
        if ((long)count * minItemBytes > Remaining)
            throw Truncated($"{what} ({count} items of at least {minItemBytes} bytes)", (long)count * minItemBytes, _position);
        return count;
    }

    public string ReadString(string what = "a string")
    {
        int count = ReadCount(what, 1);
        int at = _position;
        var bytes = Take(count, what);
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SerializationException($"corrupt payload: {what} at offset {at} is not valid UTF-8", e);
        }
    }

    public string[] ReadStrings(string what = "a string list")
    {
        int count = ReadCount(what, 4);
        var values = new string[count];
        for (int i = 0; i < count; i++) values[i] = ReadString(what);
        return values;
    }

    /// <summary>Raw bytes written by <see cref="PayloadWriter.WriteBytes"/>, copied out.</summary>
    public byte[] ReadBytes(string what = "a byte array")
    {
        int count = ReadCount(what, 1);
        return Take(count, what).ToArray();
    }

    public double[] ReadDoubles(string what = "a double array")
    {
        int count = ReadCount(what, sizeof(double));
        var values = GC.AllocateUninitializedArray<double>(count);
        ReadRawDoubles(values, what);
        return values;
    }

    /// <summary>A dense matrix written by <see cref="PayloadWriter.WriteMatrix"/>; its storage is the array read.</summary>
    public Matrix<double> ReadMatrix(string what = "a matrix")
    {
        int at = _position;
        if (Remaining < 8) throw Truncated($"the shape of {what}", 8, at);
        int rows = ReadInt32();
        int columns = ReadInt32();
        if (rows < 0 || columns < 0)
            throw new SerializationException($"corrupt payload: {what} at offset {at} claims {rows}×{columns}");
        // rows·columns < 2⁶², but ·8 could overflow a long: compare counts of doubles, not bytes.
        long count = (long)rows * columns;
        if (count > Remaining / sizeof(double))
            throw new SerializationException(
                $"truncated payload: the {rows}×{columns} values of {what} need {count} doubles at offset {_position}, but only {Remaining} of {_data.Length} bytes remain");
        // Uninitialized: the copy below overwrites every element.
        var values = GC.AllocateUninitializedArray<double>((int)count);
        ReadRawDoubles(values, what);
        return Matrix<double>.Build.Dense(rows, columns, values);
    }

    /// <summary>A symmetric matrix written by <see cref="PayloadWriter.WriteSymmetricMatrix"/>: its upper triangle
    /// read, then mirrored onto the lower.</summary>
    public Matrix<double> ReadSymmetricMatrix(string what = "a symmetric matrix")
    {
        int at = _position;
        if (Remaining < 4) throw Truncated($"the order of {what}", 4, at);
        int n = ReadInt32();
        if (n < 0) throw new SerializationException($"corrupt payload: {what} at offset {at} claims order {n}");
        long count = (long)n * (n + 1) / 2;
        if (count > Remaining / sizeof(double))
            throw new SerializationException(
                $"truncated payload: the upper triangle of the {n}×{n} {what} needs {count} doubles at offset {_position}, but only {Remaining} of {_data.Length} bytes remain");
        var values = GC.AllocateUninitializedArray<double>(checked(n * n));
        for (int j = 0; j < n; j++) ReadRawDoubles(values.AsSpan(j * n, j + 1), what);
        for (int j = 0; j < n; j++)
            for (int i = j + 1; i < n; i++)
                values[j * n + i] = values[i * n + j];
        return Matrix<double>.Build.Dense(n, n, values);
    }

    /// <summary>Fails unless every byte was read: trailing bytes mean writer and reader disagree on the format.</summary>
    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
            throw new SerializationException($"corrupt payload: {Remaining} unread bytes after offset {_position} of {_data.Length}");
    }

    private void ReadRawDoubles(Span<double> values, string what)
    {
        var source = Take(values.Length * sizeof(double), what);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(values));
            return;
        }
        for (int i = 0; i < values.Length; i++)
            values[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(source.Slice(8 * i, 8)));
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining) throw Truncated(what, count, _position);
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly SerializationException Truncated(string what, long needed, int at) =>
        new($"truncated payload: {what} needs {needed} bytes at offset {at}, but only {Remaining} of {_data.Length} remain");
}

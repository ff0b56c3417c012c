using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The primitives <see cref="ModelCodec"/> writes a model's binary encoding with. The cluster's wire format
/// (<c>NtkCluster.Protocol.Serialization.PayloadWriter</c>) implements it: little-endian, doubles as their raw bits.
/// </summary>
public interface IBinaryFieldWriter
{
    void WriteBool(bool value);
    void WriteInt32(int value);
    void WriteUInt64(ulong value);
    void WriteDouble(double value);
    void WriteString(string value);
    void WriteStrings(IReadOnlyList<string> values);
    void WriteDoubles(ReadOnlySpan<double> values);
    void WriteMatrix(Matrix<double> matrix);

    /// <summary>A presence flag for an optional field; true when the value follows.</summary>
    bool WritePresence(object? value);
}

/// <summary>
/// Reads what <see cref="IBinaryFieldWriter"/> wrote (<c>NtkCluster.Protocol.Serialization.PayloadReader</c>, a ref
/// struct over the received bytes). Every read names what it reads, for the error a corrupt payload gives.
/// </summary>
public interface IBinaryFieldReader
{
    bool ReadBool(string what);
    int ReadInt32(string what);
    ulong ReadUInt64(string what);
    double ReadDouble(string what);
    string ReadString(string what);
    string[] ReadStrings(string what);
    double[] ReadDoubles(string what);
    Matrix<double> ReadMatrix(string what);
    bool ReadPresence(string what);

    /// <summary>A count of items, each at least <paramref name="minItemBytes"/> long, that must fit in what remains.</summary>
    int ReadCount(string what, int minItemBytes);
}

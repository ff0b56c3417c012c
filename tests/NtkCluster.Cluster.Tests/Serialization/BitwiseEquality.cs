using System.Collections;
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Sdk;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// Compares two object graphs through their public properties, doubles by their bits (so NaN payloads and −0
/// count), matrices by shape and bits, sequences element by element. Independent of the serializer's own code, so
/// a field the writer forgets — which a writer/reader pair would forget symmetrically — is caught here.
/// </summary>
public static class BitwiseEquality
{
    public static void AssertSame(object? expected, object? actual, string path = "message")
    {
        // Code, not data: no delegate crosses a wire (a reader sets its own, see JobPayloads.NoClientSink).
        if (expected is Delegate || actual is Delegate) return;
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
                throw new XunitException($"{path}: expected {Describe(expected)}, got {Describe(actual)}");
            return;
        }
        switch (expected)
        {
            case double e:
                long eb = BitConverter.DoubleToInt64Bits(e), ab = BitConverter.DoubleToInt64Bits((double)actual);
                if (eb != ab) throw new XunitException($"{path}: expected bits {eb:X16} ({e:R}), got {ab:X16} ({(double)actual:R})");
                return;
            case string or bool or int or long or ulong or byte or Enum or DateTime:
                if (!expected.Equals(actual)) throw new XunitException($"{path}: expected {expected}, got {actual}");
                return;
            case Matrix<double> em:
                var am = (Matrix<double>)actual;
                if ((em.RowCount, em.ColumnCount) != (am.RowCount, am.ColumnCount))
                    throw new XunitException($"{path}: expected {em.RowCount}×{em.ColumnCount}, got {am.RowCount}×{am.ColumnCount}");
                AssertSame(em.ToColumnMajorArray(), am.ToColumnMajorArray(), path + ".values");
                return;
            case IEnumerable es:
                var ea = es.Cast<object?>().ToArray();
                var aa = ((IEnumerable)actual).Cast<object?>().ToArray();
                if (ea.Length != aa.Length) throw new XunitException($"{path}: expected {ea.Length} items, got {aa.Length}");
                for (int i = 0; i < ea.Length; i++) AssertSame(ea[i], aa[i], $"{path}[{i}]");
                return;
        }
        if (expected.GetType() != actual.GetType())
            throw new XunitException($"{path}: expected a {expected.GetType().Name}, got a {actual.GetType().Name}");
        var properties = expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead);
        foreach (var p in properties) AssertSame(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
    }

    private static string Describe(object? o) => o is null ? "null" : $"a {o.GetType().Name}";
}

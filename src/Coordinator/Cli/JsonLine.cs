using System.Text;
using System.Text.Json;

namespace NtkCluster.Coordinator.Cli;

/// <summary>Builds the one-line JSON object that <c>--json</c> prints as the last line of stdout.</summary>
public sealed class JsonLine
{
    private readonly List<(string Key, object? Value)> _fields = new();

    public JsonLine Add(string key, object? value)
    {
        _fields.Add((key, value));
        return this;
    }

    public override string ToString()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (key, value) in _fields)
            {
                w.WritePropertyName(key);
                switch (value)
                {
                    case null: w.WriteNullValue(); break;
                    case string s: w.WriteStringValue(s); break;
                    case bool b: w.WriteBooleanValue(b); break;
                    case int i: w.WriteNumberValue(i); break;
                    case long l: w.WriteNumberValue(l); break;
                    case ulong u: w.WriteNumberValue(u); break;
                    case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
                    case double: w.WriteNullValue(); break;
                    default: w.WriteStringValue(value.ToString()); break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

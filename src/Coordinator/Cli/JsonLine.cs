using System.Text;
using System.Text.Json;

namespace NtkCluster.Coordinator.Cli;

/// <summary>Builds the one-line JSON object that <c>--json</c> prints as the last line of stdout.</summary>
public sealed class JsonLine
{
    /// <summary>A value that is already JSON (an array or object built elsewhere), written as is.</summary>
    public sealed record Raw(string Json);

    /// <summary>A JSON array of the given values (strings, numbers, booleans, null, <see cref="Raw"/>, <see cref="JsonLine"/>).</summary>
    public static Raw Array(IEnumerable<object?> values)
    {
        var items = values.Select(v => new JsonLine().Add("v", v).ToString()).Select(o => o[5..^1]);
        return new Raw("[" + string.Join(",", items) + "]");
    }

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
                    case Raw raw: w.WriteRawValue(raw.Json); break;
                    case JsonLine line: w.WriteRawValue(line.ToString()); break;
                    default: w.WriteStringValue(value.ToString()); break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

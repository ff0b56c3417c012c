using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace NtkCluster.Protocol.Hosting;

/// <summary>
/// The log sink of NtkCluster's programs (Microsoft.Extensions.Logging): every line goes to stderr, because stdout
/// belongs to results (tables, CSV, the closing JSON line) that users pipe into other tools. A line reads
/// <c>[warning] source: message (cause)</c>, the source being the Akka log source of an Akka event, else the category.
/// </summary>
public sealed partial class StderrLoggerProvider : ILoggerProvider
{
    private readonly TextWriter? _writer;
    private readonly Func<string, string, bool>? _drop;

    /// <param name="writer">Where the lines go; null: the process's stderr at the time of each line.</param>
    /// <param name="drop">Lines not to print, by source and message (a worker waiting for its coordinator drops
    /// Akka's line per join attempt and says once what it waits for); null prints every line.</param>
    public StderrLoggerProvider(TextWriter? writer = null, Func<string, string, bool>? drop = null)
    {
        _writer = writer;
        _drop = drop;
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName, _writer, _drop);

    public void Dispose() { }

    /// <summary>The name a level is printed with.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    /// <summary>
    /// The source and the message of a log entry. Akka.Hosting's state for an Akka event carries its source
    /// (<c>LogSource</c>), its template (<c>{OriginalFormat}</c>, holes by position or by name) and the values of the
    /// holes; its formatted text would repeat the level, a timestamp and the thread, so the template is filled here.
    /// Anything else is its category and its formatted text.
    /// </summary>
    private static (string Source, string Message) Describe<TState>(string category, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> properties) return (category, formatter(state, exception));
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in properties) values[key] = value;
        if (!values.TryGetValue("LogSource", out var source) || values.GetValueOrDefault("{OriginalFormat}") is not string template)
            return (category, formatter(state, exception));
        string message = Hole().Replace(template, hole =>
            values.TryGetValue(hole.Groups[1].Value, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : hole.Value);
        return (source?.ToString() ?? category, message);
    }

    /// <summary>A hole of a message template: <c>{0}</c>, <c>{Name}</c>, with an optional format or alignment.</summary>
    [GeneratedRegex(@"\{([^{}:,]+)(?:[:,][^{}]*)?\}")]
    private static partial Regex Hole();

    private sealed class StderrLogger(string category, TextWriter? writer, Func<string, string, bool>? drop) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var (source, message) = Describe(category, state, exception, formatter);
            if (drop is not null && drop(source, message)) return;
            string cause = exception is null ? "" : $" ({exception.Message})";
            (writer ?? Console.Error).WriteLine($"[{LevelName(logLevel)}] {source}: {message}{cause}");
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using NtkCluster.CommandLine;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The options of one command as System.CommandLine parsed them, read by name by the option readers
/// (<see cref="DataOptions"/>, <see cref="FitOptions"/>, …) that turn them into the commands' settings. Values are
/// already typed and checked (<see cref="TypedOption"/>); what is left to the readers is what depends on the command:
/// ranges, required options and options that go together.
/// </summary>
public sealed class ParsedOptions
{
    private readonly ParseResult _result;
    private readonly IReadOnlyDictionary<string, Option> _options;

    /// <param name="command">The command as typed after <c>ntk</c> (<c>fit</c>, <c>bench gram</c>), for messages.</param>
    /// <param name="options">The command's options by name, without dashes.</param>
    public ParsedOptions(ParseResult result, string command, IReadOnlyDictionary<string, Option> options)
    {
        _result = result;
        Command = command;
        _options = options;
    }

    /// <summary>The command as typed after <c>ntk</c>.</summary>
    public string Command { get; }

    /// <summary>The options and their values as given after the command (<c>--name=value</c> as <c>--name value</c>).</summary>
    public IReadOnlyList<string> Arguments =>
        _result.Tokens.Where(t => t.Type is TokenType.Option or TokenType.Argument).Select(t => t.Value).ToArray();

    /// <summary>Whether the option was given (false for one this command does not take).</summary>
    public bool Has(string name) => Declared(name) is { } option && _result.GetResult(option) is { Implicit: false };

    /// <summary>The options whose value is a path: an empty one is refused here, as a usage error, rather than
    /// reaching the file API, which throws an ArgumentException (issue 15, item 8: <c>--train ''</c> was an internal
    /// error).</summary>
    private static readonly HashSet<string> PathOptions = new(StringComparer.Ordinal)
    {
        "train", "test", "data", "model", "out", "checkpoint", "resume", "tls-certificate",
    };

    /// <summary>The value as typed (null for a flag, or an option not given): for messages and text options.</summary>
    public string? Text(string name)
    {
        string? value = Declared(name) is { } option && _result.GetResult(option) is { Implicit: false, Tokens: [var token, ..] } ? token.Value : null;
        if (value is { Length: 0 } && PathOptions.Contains(name)) throw new UsageException($"--{name} '': the path is empty");
        return value;
    }

    public string RequiredText(string name) =>
        Text(name) ?? throw new UsageException($"'ntk {Command}' needs --{name} (see ntk {Command} --help)");

    public double? Number(string name) => Declared(name, OptionKind.Number) is Option<double?> o ? _result.GetValue(o) : null;

    public long? Integer(string name) => Declared(name, OptionKind.Integer) is Option<long?> o ? _result.GetValue(o) : null;

    public ulong? Seed(string name) => Declared(name, OptionKind.Seed) is Option<ulong?> o ? _result.GetValue(o) : null;

    /// <summary>The command's option of that name; null when the command does not take it, which the shared readers
    /// see as an option not given.</summary>
    /// <exception cref="InvalidOperationException">It is read as another kind than declared (a programming error).</exception>
    private Option? Declared(string name, OptionKind? kind = null)
    {
        if (!_options.TryGetValue(name, out var option)) return null;
        if (kind is OptionKind k && TypedOption.KindOf(option) != k)
            throw new InvalidOperationException($"'ntk {Command}' reads --{name} as {k}, but declares it {TypedOption.KindOf(option)}");
        return option;
    }
}

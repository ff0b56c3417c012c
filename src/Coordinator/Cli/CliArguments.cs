using System.Globalization;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The options of one command: <c>--name value</c>, <c>--name=value</c> and bare flags. Only options the command
/// declares are accepted, so a typo is an error rather than a silently ignored setting.
/// </summary>
public sealed class CliArguments
{
    private readonly string _command;
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public CliArguments(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        _command = command;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}' for 'ntk {command}' (see ntk {command} --help)");
            string name = arg[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (_values.ContainsKey(name)) throw new UsageException($"option --{name} given twice");
            if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"option --{name} takes no value");
                _values[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                        throw new UsageException($"option --{name} needs a value");
                    inline = args[++i];
                }
                _values[name] = inline;
            }
            else
            {
                throw new UsageException($"unknown option '--{name}' for 'ntk {command}' (see ntk {command} --help)");
            }
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string RequiredText(string name) =>
        Text(name) ?? throw new UsageException($"'ntk {_command}' needs --{name} (see ntk {_command} --help)");

    public double? Number(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new UsageException($"--{name} '{text}' is not a finite number");
        return v;
    }

    public long? Integer(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"--{name} '{text}' is not a whole number");
        return v;
    }

    public ulong? Seed(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"--{name} '{text}' is not a non-negative whole number");
        return v;
    }
}

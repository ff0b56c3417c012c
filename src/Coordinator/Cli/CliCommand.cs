using System.CommandLine;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// One <c>ntk</c> command: its name, one line for <c>ntk --help</c>, its declared options and help
/// (<see cref="CommandSyntax"/>), and how to run it — and the System.CommandLine command made from them, whose
/// options are the ones <see cref="ValueOptions"/> and <see cref="Flags"/> list.
/// </summary>
public sealed class CliCommand
{
    /// <param name="subcommand">A command that names what it runs (<c>ntk bench gram</c>): the options belong to it.</param>
    public CliCommand(string name, string summary, CommandSyntax syntax, Func<ParsedOptions, TextWriter, TextWriter, Task<int>> run,
        string? subcommand = null)
    {
        Name = name;
        Summary = summary;
        Syntax = syntax;
        Command = new Command(name, summary);
        Parsed = subcommand is null ? Command : new Command(subcommand, summary);
        if (!ReferenceEquals(Parsed, Command)) Command.Add(Parsed);
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var option in syntax.CreateOptions())
        {
            Parsed.Add(option);
            options[option.Name[2..]] = option;
        }
        Typed = subcommand is null ? name : $"{name} {subcommand}";
        Parsed.SetAction((result, _) => NtkCli.RunCommandAsync(this, new ParsedOptions(result, Typed, options), result.InvocationConfiguration, run));
        if (subcommand is not null)
            Command.SetAction(int (_) => throw new UsageException($"ntk {name} needs a benchmark name: {subcommand} (see ntk {name} --help)"));
    }

    public string Name { get; }

    public string Summary { get; }

    /// <summary>The command as typed after <c>ntk</c> to run it: <c>fit</c>, <c>bench gram</c>.</summary>
    public string Typed { get; }

    public CommandSyntax Syntax { get; }

    /// <summary>The full help: usage, what it does, options, examples.</summary>
    public string Help => Syntax.Help;

    /// <summary>The command under <c>ntk</c>.</summary>
    public Command Command { get; }

    /// <summary>The command that holds the options: <see cref="Command"/>, or its subcommand.</summary>
    public Command Parsed { get; }

    /// <summary>The options that take a value, as the parser accepts them (without --backend, which every command takes).</summary>
    public IReadOnlyList<string> ValueOptions => Names(o => o.Arity.MaximumNumberOfValues > 0);

    /// <summary>The flags, as the parser accepts them.</summary>
    public IReadOnlyList<string> Flags => Names(o => o.Arity.MaximumNumberOfValues == 0);

    private string[] Names(Func<Option, bool> which) =>
        Parsed.Options.Where(which).Select(o => o.Name[2..]).Where(n => n != OptionCatalogue.BackendOption).ToArray();
}

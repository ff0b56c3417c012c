using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Progress;

/// <summary>
/// Every command's --help lists every option its argument parser accepts, each with its default (or "required"),
/// and at least one example; <c>ntk --help</c> lists every command with one line and an example.
/// </summary>
public sealed class HelpTests
{
    public static TheoryData<string> CommandNames => new(NtkCli.Commands.Select(c => c.Name));

    private static CliCommand Command(string name) => NtkCli.Commands.Single(c => c.Name == name);

    /// <summary>The options a help lists — lines "  --name …" — with the text of each entry up to the next.</summary>
    private static Dictionary<string, string> ListedOptions(string help)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in help.Split('\n'))
        {
            var m = Regex.Match(line, @"^  --([a-z][a-z0-9-]*)(\s|$)");
            if (m.Success)
            {
                current = m.Groups[1].Value;
                Assert.False(entries.ContainsKey(current), $"--{current} is listed twice");
                entries[current] = line;
            }
            else if (current is not null && line.StartsWith(new string(' ', 26), StringComparison.Ordinal)) entries[current] += " " + line.Trim();
            else current = null;
        }
        return entries;
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Help_lists_exactly_the_accepted_options_each_with_its_default(string name)
    {
        var command = Command(name);
        var listed = ListedOptions(command.Help);
        var accepted = command.ValueOptions.Concat(command.Flags).Append("backend").ToHashSet();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (option, entry) in listed)
            Assert.True(entry.Contains("default", StringComparison.Ordinal) || entry.Contains("(required", StringComparison.Ordinal),
                $"ntk {name} --help: --{option} names no default: {entry}");
        Assert.Contains($"example: ntk {name} ", command.Help);
    }

    /// <summary>
    /// The listed options are the ones the command's real parser accepts: each is taken (an unknown option after it
    /// is what fails), and an unknown one is refused. The parser reads every option before the command does anything.
    /// </summary>
    [Theory]
    [MemberData(nameof(CommandNames))]
    public async Task The_command_parser_accepts_every_listed_option(string name)
    {
        var command = Command(name);
        string[] prefix = name == "bench" ? ["gram"] : [];
        foreach (var option in command.ValueOptions.Concat(command.Flags))
        {
            string[] value = command.Flags.Contains(option) ? [] : ["1"];
            var run = await Ntk.RunAsync([name, .. prefix, "--" + option, .. value, "--zz-unknown"]);
            Assert.Equal(NtkCli.BadInput, run.ExitCode);
            Assert.Contains("unknown option '--zz-unknown'", run.Stderr);
        }
        var refused = await Ntk.RunAsync([name, .. prefix, "--zz-unknown"]);
        Assert.Equal(NtkCli.BadInput, refused.ExitCode);
        Assert.Contains($"see ntk {name}", refused.Stderr);
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public async Task Command_help_is_printed_on_stdout(string name)
    {
        var run = await Ntk.RunAsync(name, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Command(name).Help, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task The_overview_lists_every_command_with_one_line_and_an_example()
    {
        var run = await Ntk.RunAsync("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in NtkCli.Commands)
            Assert.Matches(new Regex($@"(?m)^  {Regex.Escape(command.Name)} +{Regex.Escape(command.Summary)}$"), run.Stdout);
        Assert.Contains("example: ntk ", run.Stdout);
        Assert.Contains("--quiet", run.Stdout);
    }

    [Fact]
    public void Every_job_command_takes_quiet()
    {
        foreach (var name in new[] { "fit", "predict", "spectral", "sweep", "train-nn", "width-sweep", "demo", "bench" })
            Assert.Contains(ProgressOptions.QuietFlag, Command(name).Flags);
    }
}

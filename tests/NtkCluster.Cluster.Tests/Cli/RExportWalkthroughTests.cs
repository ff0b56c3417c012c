using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// The README section "A messy R export" run as written: every <c>$ ntk …</c> command of its shell blocks is run by the
/// real <c>ntk</c> program in a directory holding <c>samples/data/house-votes-84.csv</c> (R's <c>write.csv</c> of
/// mlbench's HouseVotes84: text labels, text categories, NA cells, R's unnamed row-name column), and every output line
/// the README shows under it must be among the lines the command printed — so the walkthrough cannot rot.
/// </summary>
public sealed partial class RExportWalkthroughTests : IDisposable
{
    private const string Section = "## A messy R export";
    private readonly CliTempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public RExportWalkthroughTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    private static string Walkthrough(string name) => Path.Combine(AppContext.BaseDirectory, "Walkthrough", name);

    /// <summary>The README section's shell blocks: each command (continuation lines joined) with the lines shown under it.</summary>
    private static List<(string Command, List<string> Shown)> Steps()
    {
        var lines = File.ReadAllLines(Walkthrough("README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith(Section, StringComparison.Ordinal));
        Assert.True(start >= 0, $"README.md has no section '{Section}'");
        var steps = new List<(string, List<string>)>();
        bool inBlock = false;
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            string line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line == "```sh";
                continue;
            }
            if (!inBlock) continue;
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                string command = line[2..];
                while (command.EndsWith('\\')) command = command[..^1] + " " + lines[++i].Trim();
                steps.Add((command, new List<string>()));
            }
            else if (line.Length > 0) steps[^1].Item2.Add(line);
        }
        return steps;
    }

    /// <summary>A line with its timings ("0.77 s", "took 1s") blanked: they differ from run to run.</summary>
    private static string Untimed(string line) => Timing().Replace(line.TrimEnd(), "# s");

    [GeneratedRegex(@"\b\d+(\.\d+)? ?s\b")]
    private static partial Regex Timing();

    [Fact]
    public async Task The_README_walkthrough_on_an_R_export_prints_what_the_README_shows()
    {
        Directory.CreateDirectory(_dir.PathOf("samples/data"));
        File.Copy(Walkthrough("samples/data/house-votes-84.csv"), _dir.PathOf("samples/data/house-votes-84.csv"));
        var steps = Steps();
        Assert.Contains(steps, s => s.Command.StartsWith("ntk cv ", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.StartsWith("ntk fit ", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.StartsWith("ntk predict ", StringComparison.Ordinal));
        foreach (var (command, shown) in steps)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] printed;
            if (words[0] == "head")
            {
                // `head -N FILE`: the first N lines of a file an earlier command wrote.
                int n = int.Parse(words[1][1..], CultureInfo.InvariantCulture);
                printed = File.ReadLines(_dir.PathOf(words[2])).Take(n).ToArray();
            }
            else
            {
                Assert.Equal("ntk", words[0]);
                var run = await NtkProcess.RunAsync(_dir.Path, null, words[1..]);
                _output.WriteLine($"$ {command}\n{run}");
                Assert.True(run.ExitCode == 0, $"{command}\n{run}");
                printed = (run.Stdout + run.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            var actual = printed.Select(Untimed).ToHashSet(StringComparer.Ordinal);
            foreach (string line in shown)
                Assert.True(actual.Contains(Untimed(line)), $"README shows under '{command}' the line\n{line}\nwhich it did not print:\n{string.Join('\n', printed)}");
        }
        Assert.True(File.Exists(_dir.PathOf("votes.json")));
    }
}

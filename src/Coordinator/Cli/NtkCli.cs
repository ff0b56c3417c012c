using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.Errors;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The <c>ntk</c> command line: dispatches to the commands and turns every failure into one line on stderr and
/// an exit code — 0 success, 2 bad input or usage, 1 any other failure. Stack traces only with NTK_DEBUG=1.
/// </summary>
public static class NtkCli
{
    public const int Success = 0, Failure = 1, BadInput = 2;

    /// <summary>Every command, in the order <c>ntk --help</c> lists them.</summary>
    public static readonly IReadOnlyList<CliCommand> Commands =
    [
        new("fit", "fit exact KRR or random-feature ridge regression (--task classify: one-vs-rest classification)", FitCommand.Syntax, FitCommand.RunAsync),
        new("cv", "k-fold cross-validation of λ and gamma over a grid, optionally refitting the chosen point", CrossValidateCommand.Syntax,
            CrossValidateCommand.RunAsync),
        new("predict", "apply a saved model to new data", PredictCommand.Syntax, PredictCommand.RunAsync),
        new("inspect", "summarize a saved model: kind, kernel, λ, features, sampling, columns, preprocessing, version", InspectCommand.Syntax,
            InspectCommand.RunAsync),
        new("features", "export a random-feature model's feature matrix Ψ(X) for new rows (as RBFSampler.transform)", FeaturesCommand.Syntax,
            FeaturesCommand.RunAsync),
        new("spectral", "how well M features approximate K+λI (ε, s_λ, Theorem 3.3's M)", SpectralCommand.Syntax, SpectralCommand.RunAsync),
        new("sweep", "plain against leverage sampling over a list of M: ε and test error side by side", SweepCommand.Syntax, SweepCommand.RunAsync),
        new("train-nn", "train a regularized two-layer ReLU network and measure its gap to NTK ridge regression", TrainNetworkCommand.Syntax,
            TrainNetworkCommand.RunAsync),
        new("width-sweep", "that gap against width, Gaussian and leverage initialization side by side", WidthSweepCommand.Syntax,
            WidthSweepCommand.RunAsync),
        new("report", "run both sweeps on a CSV and write figures (SVG), their numbers (CSV) and an HTML/Markdown report",
            ReportCommand.Syntax, ReportCommand.RunAsync),
        new("demo", "exact KRR against random features on an embedded real dataset", DemoCommand.Syntax, DemoCommand.RunAsync),
        new("bench", "time the Gram accumulation (ntk bench gram) on this machine's backend", BenchCommand.Syntax, BenchCommand.RunAsync,
            subcommand: "gram"),
        new("coordinator", "run a cluster's coordinator node until SIGTERM (workers: ntk-worker --seeds H:P)", CoordinatorCommand.Syntax,
            CoordinatorCommand.RunAsync),
        new("status", "the nodes and running jobs of a cluster (--cluster H:P)", StatusCommand.Syntax, StatusCommand.RunAsync),
    ];

    /// <summary>
    /// The parser: every command under one root, whose help option prints this program's help texts, whose version
    /// option prints <c>ntk VERSION</c>, and whose <c>[suggest]</c> directive gives shells their tab completions.
    /// </summary>
    private static readonly RootCommand Root = BuildRoot();

    /// <summary>Arguments are taken literally: no @response files, no bundled short options.</summary>
    private static readonly ParserConfiguration ParserSettings = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    /// <summary><c>ntk --help</c>: the commands, one line each, and examples.</summary>
    public static string Help { get; } = BuildHelp();

    private static string BuildHelp()
    {
        int width = Commands.Max(c => c.Name.Length) + 2;
        var lines = string.Join("\n", Commands.Select(c => $"  {c.Name.PadRight(width)}{c.Summary}"));
        return $"""
            ntk — kernel ridge regression with random features, on one machine or an Akka.NET cluster

            usage: ntk COMMAND [OPTIONS]      (ntk COMMAND --help lists a command's options, each with its default)

            {lines}

            fit, spectral, sweep, train-nn, width-sweep and predict run here, or with --cluster H:P on a running cluster
            (deploy/README.md); they show progress on stderr (a live bar on a terminal, otherwise one line per stage at
            its end; --quiet turns it off, --verbose adds the jobs' notes) and print results on stdout.

            every command takes --backend auto|openblas|managed (or NTK_BACKEND): the native OpenBLAS backend is used
            when libopenblas.so.0 is installed (apt-get install libopenblas0), else MathNet's managed one, with a notice

            exit codes: 0 success, 2 bad input or usage, 1 any other failure

            example: ntk fit --train data.csv --test-fraction 0.2 --kernel rbf:gamma=0.1 --lambda 0.01 --features 400 --standardize
            example: ntk fit --help

            """;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.Write(Help);
            return BadInput;
        }
        var parse = Root.Parse(args, ParserSettings);
        var command = Commands.FirstOrDefault(c => parse.CommandResult.Command == c.Command || parse.CommandResult.Command == c.Parsed);
        if (parse.Errors.Count > 0 && parse.Action is not (HelpAction or VersionAction))
        {
            if (command is null)
                stderr.WriteLine($"ntk: unknown command '{args[0]}' (known: {string.Join(", ", Commands.Select(c => c.Name))}; see ntk --help)");
            else
                stderr.WriteLine($"ntk {command.Name}: error: " +
                                ParseErrors.FirstMessage(parse, args, "ntk " + (parse.CommandResult.Command == command.Parsed ? command.Typed : command.Name)));
            return BadInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false,
                // The commands that run until a signal (ntk coordinator) handle SIGTERM and Ctrl-C themselves.
                ProcessTerminationTimeout = null,
            });
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"ntk {command?.Name}: error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (Exception e) when (e is JobFailedException or NumericalFailureException)
        {
            stderr.WriteLine($"ntk {command?.Name}: error: {OneLine(e.Message)}");
            return Failure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"ntk {command?.Name}: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("NTK_DEBUG") == "1") stderr.WriteLine(e);
            return Failure;
        }
    }

    /// <summary>
    /// An error message as the terminal gets it: one line, control characters (escape sequences, line breaks) from
    /// file contents shown as escapes, and cut if some name in it was huge (issue 15, item 11). The messages cut their
    /// own names shorter; this is the backstop for any that do not.
    /// </summary>
    internal static string OneLine(string message) => TextForDisplay.Name(message, 2000);

    /// <summary>
    /// Runs a parsed command: installs the <c>--backend</c> every command takes (else NTK_BACKEND, else auto) — the
    /// one notice line, when the fast backend is missing, goes to stderr — then the command.
    /// </summary>
    internal static Task<int> RunCommandAsync(CliCommand command, ParsedOptions options, InvocationConfiguration io,
        Func<ParsedOptions, TextWriter, TextWriter, Task<int>> run)
    {
        NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(options.Text(OptionCatalogue.BackendOption), out string? notice);
        if (notice is not null) io.Error.WriteLine($"ntk {command.Name}: {notice}");
        return run(options, io.Output, io.Error);
    }

    private static RootCommand BuildRoot()
    {
        var root = new RootCommand("ntk — kernel ridge regression with random features, on one machine or an Akka.NET cluster");
        foreach (var command in Commands) root.Add(command.Command);
        // 'ntk help' as 'ntk --help', whatever follows.
        var help = new Command("help") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        help.SetAction(result => new HelpAction().Invoke(result));
        root.Add(help);
        foreach (var option in root.Options)
        {
            if (option is HelpOption) option.Action = new HelpAction();
            else if (option is System.CommandLine.VersionOption) option.Action = new VersionAction();
        }
        return root;
    }

    /// <summary><c>--help</c>, <c>-h</c>: the help of the command it follows (of ntk before any command) on stdout.</summary>
    private sealed class HelpAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var shown = parseResult.CommandResult.Command;
            var command = Commands.FirstOrDefault(c => shown == c.Command || shown == c.Parsed);
            parseResult.InvocationConfiguration.Output.Write(command?.Help ?? Help);
            return Success;
        }
    }

    /// <summary><c>ntk --version</c>.</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"ntk {ProgramInfo.Version}");
            return Success;
        }
    }
}

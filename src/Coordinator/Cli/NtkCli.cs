using NtkCluster.Coordinator.Jobs;
using NtkCluster.Numerics.Errors;

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
        new("fit", "fit exact KRR or random-feature ridge regression (--task classify: one-vs-rest classification)", FitCommand.Help, FitCommand.ValueOptions, FitCommand.Flags, FitCommand.RunAsync),
        new("cv", "k-fold cross-validation of λ and gamma over a grid, optionally refitting the chosen point", CrossValidateCommand.Help,
            CrossValidateCommand.ValueOptions, CrossValidateCommand.Flags, CrossValidateCommand.RunAsync),
        new("predict", "apply a saved model to new data", PredictCommand.Help, PredictCommand.ValueOptions, PredictCommand.Flags, PredictCommand.RunAsync),
        new("inspect", "summarize a saved model: kind, kernel, λ, features, sampling, columns, preprocessing, version", InspectCommand.Help,
            InspectCommand.ValueOptions, InspectCommand.Flags, InspectCommand.RunAsync),
        new("features", "export a random-feature model's feature matrix Ψ(X) for new rows (as RBFSampler.transform)", FeaturesCommand.Help,
            FeaturesCommand.ValueOptions, FeaturesCommand.Flags, FeaturesCommand.RunAsync),
        new("spectral", "how well M features approximate K+λI (ε, s_λ, Theorem 3.3's M)", SpectralCommand.Help, SpectralCommand.ValueOptions,
            SpectralCommand.Flags, SpectralCommand.RunAsync),
        new("sweep", "plain against leverage sampling over a list of M: ε and test error side by side", SweepCommand.Help, SweepCommand.ValueOptions,
            SweepCommand.Flags, SweepCommand.RunAsync),
        new("train-nn", "train a regularized two-layer ReLU network and measure its gap to NTK ridge regression", TrainNetworkCommand.Help,
            TrainNetworkCommand.ValueOptions, TrainNetworkCommand.Flags, TrainNetworkCommand.RunAsync),
        new("width-sweep", "that gap against width, Gaussian and leverage initialization side by side", WidthSweepCommand.Help,
            WidthSweepCommand.ValueOptions, WidthSweepCommand.Flags, WidthSweepCommand.RunAsync),
        new("report", "run both sweeps on a CSV and write figures (SVG), their numbers (CSV) and an HTML/Markdown report",
            ReportCommand.Help, ReportCommand.ValueOptions, ReportCommand.Flags, ReportCommand.RunAsync),
        new("demo", "exact KRR against random features on an embedded real dataset", DemoCommand.Help, DemoCommand.ValueOptions, DemoCommand.Flags,
            DemoCommand.RunAsync),
        new("bench", "time the Gram accumulation (ntk bench gram) on this machine's backend", BenchCommand.Help, BenchCommand.ValueOptions,
            BenchCommand.Flags, BenchCommand.RunAsync),
        new("coordinator", "run a cluster's coordinator node until SIGTERM (workers: ntk-worker --seeds H:P)", CoordinatorCommand.Help,
            CoordinatorCommand.ValueOptions, CoordinatorCommand.Flags, CoordinatorCommand.RunAsync),
        new("status", "the nodes and running jobs of a cluster (--cluster H:P)", StatusCommand.Help, StatusCommand.ValueOptions, StatusCommand.Flags,
            StatusCommand.RunAsync),
    ];

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
            (deploy/README.md); they show progress on stderr (a live bar on a terminal, plain lines otherwise; --quiet
            turns it off) and print results on stdout.

            every command takes --backend auto|openblas|managed (or NTK_BACKEND): the native OpenBLAS backend is used
            when libopenblas.so.0 is installed (apt-get install libopenblas0), else MathNet's managed one, with a notice

            exit codes: 0 success, 2 bad input or usage, 1 any other failure

            example: ntk fit --train data.csv --test-fraction 0.2 --kernel rbf:gamma=0.1 --lambda 0.01 --features 400 --standardize
            example: ntk fit --help

            """;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? stderr : stdout).Write(Help);
            return args.Length == 0 ? BadInput : Success;
        }
        if (args[0] == "--version")
        {
            stdout.WriteLine($"ntk {ProgramInfo.Version}");
            return Success;
        }
        string name = args[0];
        var rest = args.Skip(1).ToArray();
        var command = Commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            stderr.WriteLine($"ntk: unknown command '{name}' (known: {string.Join(", ", Commands.Select(c => c.Name))}; see ntk --help)");
            return BadInput;
        }
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            stdout.Write(command.Help);
            return Success;
        }
        try
        {
            rest = SelectBackend(name, rest, stderr);
            return await command.Run(rest, stdout, stderr);
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"ntk {name}: error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is JobFailedException or NumericalFailureException)
        {
            stderr.WriteLine($"ntk {name}: error: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"ntk {name}: internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("NTK_DEBUG") == "1") stderr.WriteLine(e);
            return Failure;
        }
    }

    /// <summary>
    /// Takes the global <c>--backend</c> option out of a command's arguments and installs the backend (else
    /// NTK_BACKEND, else auto). The one notice line, when the fast backend is missing, goes to stderr.
    /// </summary>
    private static string[] SelectBackend(string command, string[] args, TextWriter stderr)
    {
        string? preference = null;
        var kept = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--backend")
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException("--backend needs a value: auto, openblas or managed");
                preference = args[++i];
            }
            else kept.Add(args[i]);
        }
        NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(preference, out string? notice);
        if (notice is not null) stderr.WriteLine($"ntk {command}: {notice}");
        return kept.ToArray();
    }
}

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

    public const string Help = """
        ntk — kernel ridge regression with random features, on one machine or an Akka.NET cluster

        usage: ntk COMMAND [OPTIONS]      (ntk COMMAND --help for a command's options)

          fit       fit exact KRR or random-feature ridge regression
          predict   apply a saved model to new data
          spectral  how well M features approximate K+λI (ε, s_λ, Theorem 3.3's M)
          sweep     plain against leverage sampling over a list of M: ε and test error side by side
          train-nn  train a regularized two-layer ReLU network and measure its gap to NTK ridge regression
          width-sweep  that gap against width, Gaussian and leverage initialization side by side
          report    run both sweeps on a CSV and write figures (SVG), their numbers (CSV) and an HTML/Markdown report
          demo      exact KRR against random features on an embedded real dataset
          bench     time the Gram accumulation (ntk bench gram) on this machine's backend

        a multi-node cluster (deploy/README.md):
          coordinator  run the cluster's coordinator node until SIGTERM (workers: ntk-worker --seeds H:P)
          status       the nodes and running jobs of a cluster (--cluster H:P)
          fit, spectral, sweep, train-nn, width-sweep, report and predict take --cluster H:P to run there

        every command takes --backend auto|openblas|managed (or NTK_BACKEND): the native OpenBLAS backend is used
        when libopenblas.so.0 is installed (apt-get install libopenblas0), else MathNet's managed one, with a notice

        exit codes: 0 success, 2 bad input or usage, 1 any other failure
        """;

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
        string command = args[0];
        var rest = args.Skip(1).ToArray();
        string? help = command switch
        {
            "fit" => FitCommand.Help,
            "predict" => PredictCommand.Help,
            "demo" => DemoCommand.Help,
            "spectral" => SpectralCommand.Help,
            "sweep" => SweepCommand.Help,
            "train-nn" => TrainNetworkCommand.Help,
            "width-sweep" => WidthSweepCommand.Help,
            "report" => ReportCommand.Help,
            "bench" => BenchCommand.Help,
            "coordinator" => CoordinatorCommand.Help,
            "status" => StatusCommand.Help,
            _ => null,
        };
        if (help is null)
        {
            stderr.WriteLine($"ntk: unknown command '{command}' (known: fit, predict, spectral, sweep, train-nn, width-sweep, report, demo, bench, coordinator, status; see ntk --help)");
            return BadInput;
        }
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            stdout.Write(help);
            return Success;
        }
        try
        {
            rest = SelectBackend(command, rest, stderr);
            return command switch
            {
                "fit" => await FitCommand.RunAsync(rest, stdout, stderr),
                "predict" => await PredictCommand.RunAsync(rest, stdout, stderr),
                "spectral" => await SpectralCommand.RunAsync(rest, stdout, stderr),
                "sweep" => await SweepCommand.RunAsync(rest, stdout, stderr),
                "train-nn" => await TrainNetworkCommand.RunAsync(rest, stdout, stderr),
                "width-sweep" => await WidthSweepCommand.RunAsync(rest, stdout, stderr),
                "report" => await ReportCommand.RunAsync(rest, stdout, stderr),
                "bench" => await BenchCommand.RunAsync(rest, stdout, stderr),
                "coordinator" => await CoordinatorCommand.RunAsync(rest, stdout, stderr),
                "status" => await StatusCommand.RunAsync(rest, stdout, stderr),
                _ => await DemoCommand.RunAsync(rest, stdout, stderr),
            };
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"ntk {command}: error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is JobFailedException or NumericalFailureException)
        {
            stderr.WriteLine($"ntk {command}: error: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"ntk {command}: internal error: {e.GetType().Name}: {e.Message}");
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

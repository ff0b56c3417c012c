using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using NtkCluster.CommandLine;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Worker;

/// <summary>
/// The command line of <c>ntk-worker</c> on System.CommandLine: its options, each with the help text it shows, and
/// how they become the node's <see cref="NodeOptions"/>. Bad usage is one line and exit code 2.
/// </summary>
public static class WorkerCommandLine
{
    public const int Success = 0, BadInput = 2;

    /// <summary>Each option: name, placeholder, help text (naming its default).</summary>
    private static readonly (string Name, string Placeholder, string Description)[] Catalogue =
    [
        ("--seeds", "H:P,...", "the coordinator's address (the cluster's first seed), as it advertises it (required)"),
        ("--host", "H", "the address to bind (default 127.0.0.1; 0.0.0.0 binds every interface, then give --public-host)"),
        ("--port", "P", "the port (default 0: any free port)"),
        ("--public-host", "H", "the address the other nodes reach this one at, when it is not --host (containers, NAT)\n(default: --host)"),
        ("--threads", "N", "blocks computed at once (default: the number of cores)"),
        ("--memory", "SIZE", "memory for partitions' rows kept between rounds and jobs, e.g. 512m, 2g; 0 keeps none\n(default: a quarter of the machine's memory)"),
        ("--backend", "auto|openblas|managed", "dense linear algebra: auto (OpenBLAS when installed), openblas, managed\n(default auto, or NTK_BACKEND)"),
        ("--tls-certificate", "F", "TLS on the cluster transport (default: NTK_TLS_CERTIFICATE, else plain TCP; password in\nNTK_TLS_PASSWORD)"),
        ("--cache-dir", "DIR", "where partitions shipped by clients are cached (default: ntk-worker-cache-PORT in the temp\ndirectory)"),
        ("--cache-size", "SIZE", "the cache's size limit, e.g. 500MiB or 20GiB; least recently used copies are evicted\n(default 10GiB)"),
    ];

    public static readonly string Help = """
        usage: ntk-worker --seeds H:P[,H:P...] [--host H] [--port P] [--public-host H] [--threads N]
                          [--memory SIZE] [--backend auto|openblas|managed] [--tls-certificate F] [--cache-dir DIR]
                          [--cache-size SIZE]

        A cluster node with the worker role that hosts block entities. Runs until SIGTERM or Ctrl-C, then leaves the
        cluster gracefully (its shards are handed to the other workers). It outlives its coordinator: when the cluster
        loses it, the worker joins the seeds again with a new node, until a coordinator answers or it is stopped.

        """ + "\n" + HelpLayout.Options(Catalogue) + "\n" + TransportTls.PolicyText + "\n\nexample: ntk-worker --host 10.0.0.6 --port 4053 --seeds 10.0.0.5:4053 --threads 8\n";

    private static readonly RootCommand Root = BuildRoot();

    private static readonly ParserConfiguration ParserSettings = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    /// <summary>What the command line asks for: the node, its threads and the linear-algebra backend.</summary>
    /// <param name="CacheDirectory">Where shipped partitions are cached; null: the default for the node's port.</param>
    public sealed record Settings(NodeOptions Node, int Threads, string? Backend, string? CacheDirectory = null,
        long CacheBytes = Shipping.WorkerShipping.DefaultCacheBytes)
    {
        /// <summary>The budget of the worker's row cache in bytes (<c>--memory</c>).</summary>
        public long MemoryBytes { get; init; } = PartitionRowCache.DefaultBudget;
    }

    /// <summary>
    /// Parses the command line. Returns the settings to run with, or null with the exit code when it was handled here:
    /// help or completions printed (0), or bad usage reported on <paramref name="stderr"/> (2).
    /// </summary>
    public static (Settings? Settings, int ExitCode) Parse(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parse = Root.Parse(args, ParserSettings);
        // --help, and the [suggest] directive's completions; the root itself has no action of its own.
        if (parse.Action is HelpAction || (parse.Action is not null && parse.Errors.Count == 0))
            return (null, parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr }));
        if (ParseErrors.FirstMessage(parse, args, "ntk-worker") is { } error)
        {
            stderr.WriteLine($"ntk-worker: {error}");
            return (null, BadInput);
        }
        try
        {
            return (Bind(parse), Success);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"ntk-worker: {e.Message}");
            return (null, BadInput);
        }
    }

    private static Settings Bind(ParseResult parse)
    {
        string? Text(string name) => parse.GetValue<string>(name);
        var options = new NodeOptions { Port = 0, Host = Text("--host") ?? new NodeOptions().Host, PublicHost = Text("--public-host") };
        if (Text("--port") is { } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
                throw new ArgumentException($"--port '{portText}' is not a port number (0 to 65535)");
            options = options with { Port = port };
        }
        int threads = Environment.ProcessorCount;
        if (Text("--threads") is { } threadsText
            && (!int.TryParse(threadsText, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1 || threads > 1024))
            throw new ArgumentException($"--threads '{threadsText}' is not a number of threads from 1 to 1024");
        long memory = Text("--memory") is { } memoryText ? MemorySize.Parse(memoryText, "--memory") : PartitionRowCache.DefaultBudget;
        var seeds = (Text("--seeds") ?? throw new ArgumentException("--seeds is required: the coordinator's host:port"))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => ClusterAddress.Parse(s, "--seeds")).ToList();
        if (seeds.Count == 0) throw new ArgumentException("--seeds is required: the coordinator's host:port");
        if (options.PublicHost is null && options.Host is "0.0.0.0" or "::" or "[::]")
            throw new ArgumentException($"--host {options.Host} binds every interface but is no address others can reach: give --public-host NAME as well");
        options = options with
        {
            Seeds = seeds.Select(s => s.ToString()).ToArray(),
            // The threads role tells the coordinator how many blocks this worker computes at once (ntk status shows it).
            Roles = [BlockSharding.WorkerRole, NodeConfig.ThreadsRole(threads)],
            ComputeThreads = threads,
            Tls = TransportTls.Resolve(Text("--tls-certificate")),
        };
        long cacheBytes = Text("--cache-size") is { } sizeText ? MemorySize.Parse(sizeText, "--cache-size") : Shipping.WorkerShipping.DefaultCacheBytes;
        string? cacheDirectory = Text("--cache-dir");
        if (cacheDirectory is { Length: 0 }) throw new ArgumentException("--cache-dir needs a directory");
        return new Settings(options, threads, Text("--backend"), cacheDirectory is null ? null : Path.GetFullPath(cacheDirectory), cacheBytes)
        {
            MemoryBytes = memory,
        };
    }

    private static RootCommand BuildRoot()
    {
        var root = new RootCommand("ntk-worker: a worker node of an ntk cluster");
        foreach (var (name, placeholder, description) in Catalogue)
            root.Add(TypedOption.Create(name, OptionKind.Text, description.Replace('\n', ' '), placeholder));
        foreach (var option in root.Options.OfType<HelpOption>()) option.Action = new HelpAction();
        return root;
    }

    /// <summary><c>--help</c>: <see cref="Help"/> on stdout.</summary>
    private sealed class HelpAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.Write(Help);
            return Success;
        }
    }
}

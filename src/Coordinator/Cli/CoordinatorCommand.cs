using System.Net.Sockets;
using NtkCluster.CommandLine;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk coordinator</c>: the long-running coordinator node of a multi-node cluster.</summary>
public static class CoordinatorCommand
{
    public const int DefaultPort = 4053;

    public static readonly string[] ValueOptions = ["host", "port", "public-host", "seeds", "threads", "tls-certificate"];

    public static readonly string[] Flags = [];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk coordinator [--host H] [--port P] [--public-host H] [--seeds H:P,...] [--threads N] [--tls-certificate F]
        """, $"""
        Runs the coordinator of a multi-node cluster until SIGTERM or Ctrl-C, then leaves the cluster gracefully. It
        runs the jobs that 'ntk fit|spectral|sweep|train-nn|width-sweep|predict … --cluster H:P' submit, and answers
        'ntk status --cluster H:P'. It hosts no block entities: workers ('ntk-worker --seeds H:P') join it and compute
        the blocks. Start it first: it must be the cluster's oldest member, because split-brain resolution
        (keep-oldest) keeps the oldest node's side — so losing workers never takes the coordinator down.

        {TransportTls.PolicyText}

        Jobs running when the coordinator stops are lost, and their clients say so; workers that lose the coordinator
        leave the cluster and exit (run them under a supervisor that restarts them).
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["host"] = new("H", "the address to bind; 0.0.0.0 binds every interface, then give --public-host (default 127.0.0.1)"),
        ["port"] = new("P", "the port (default 4053)", OptionKind.Integer),
        ["public-host"] = new("H", "the address other nodes and clients use to reach this one, when it is not --host\n" +
                                       "(containers, NAT); an Akka node only accepts messages addressed to exactly this name\n" +
                                       "(default: --host)"),
        ["seeds"] = new("H:P,...", "seed nodes, its own address first (default: itself, so the coordinator forms the cluster)"),
        ["threads"] = new("N", "threads for the jobs' solves and reductions (default: the number of cores)", OptionKind.Integer),
        ["tls-certificate"] = new("F", "TLS on the cluster transport, .pfx; password in NTK_TLS_PASSWORD\n" +
                                           "(default: NTK_TLS_CERTIFICATE, else plain TCP)"),
    },
        "ntk coordinator --host 10.0.0.5 --port 4053");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        string host = a.Text("host") ?? "127.0.0.1";
        string? publicHost = a.Text("public-host");
        long port = a.Integer("port") ?? DefaultPort;
        if (port < 1 || port > 65535) throw new UsageException($"--port must be between 1 and 65535, got {port}");
        if (publicHost is null && host is "0.0.0.0" or "::" or "[::]")
            throw new UsageException($"--host {host} binds every interface but is no address others can reach: give --public-host NAME as well");
        long threads = a.Integer("threads") ?? Environment.ProcessorCount;
        if (threads < 1 || threads > 1024) throw new UsageException($"--threads must be between 1 and 1024, got {threads}");
        var self = ParseAddress($"{publicHost ?? host}:{port}", "the coordinator's address");
        var seeds = a.Text("seeds") is { } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => ParseAddress(s, "--seeds")).ToList()
            : [self];
        if (seeds.Count == 0) throw new UsageException("--seeds needs at least one H:P");
        var tls = TransportTls.Resolve(a.Text("tls-certificate"));
        void Log(string line) => stderr.WriteLine($"ntk coordinator: {line}");
        if (seeds[0] != self)
            Log($"warning: the first seed is {seeds[0]}, not this coordinator ({self}): it joins that cluster instead of forming its own, and " +
                "need not be its oldest member");

        var options = new NodeOptions
        {
            Host = host, PublicHost = publicHost, Port = (int)port, Seeds = seeds.Select(s => s.ToString()).ToArray(),
            ComputeThreads = (int)threads, Tls = tls,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CoordinatorNode node;
        try
        {
            node = await CoordinatorNode.StartAsync(options, Log);
        }
        catch (Exception e) when (Find<SocketException>(e) is { } socket)
        {
            throw new JobFailedException($"cannot listen on {host}:{port}: {socket.Message}");
        }
        Log($"up at {node.Address} after {clock.Elapsed.TotalSeconds:0.0} s, {threads} thread(s)" +
            (tls is null ? ", plain TCP" : $", TLS with {tls.Path} (SHA-256 {tls.Fingerprint[..16]}…)") +
            $"; workers: ntk-worker --seeds {self}; clients: ntk status --cluster {self}");
        // SIGTERM or Ctrl-C stops the node's host; so does its actor system terminating (Akka.Hosting), checked first.
        await Task.WhenAny(node.Stopping, node.System.WhenTerminated);
        if (node.System.WhenTerminated.IsCompleted)
        {
            stderr.WriteLine("ntk coordinator: error: the node was shut down by the cluster (downed?); its jobs are lost");
            return NtkCli.Failure;
        }
        Log("leaving the cluster (jobs still running are lost)");
        await node.LeaveAsync();
        if (await Task.WhenAny(node.System.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(30))) != node.System.WhenTerminated)
            Log("warning: the graceful leave did not finish within 30 s");
        Log("stopped");
        return NtkCli.Success;
    }

    private static ClusterAddress ParseAddress(string text, string what)
    {
        try
        {
            return ClusterAddress.Parse(text, what);
        }
        catch (NtkCluster.Numerics.Errors.InvalidInputException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (Find<T>(inner) is { } f) return f;
        }
        return null;
    }
}

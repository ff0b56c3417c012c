using System.Globalization;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;

// ntk-worker: a cluster node with the worker role that hosts block entities. Runs until SIGTERM or Ctrl-C, then
// leaves the cluster gracefully (its shards are handed to the other workers); exits by itself when the cluster
// downs it (for instance when it loses the coordinator: keep-oldest).
const string Usage = """
    usage: ntk-worker --seeds H:P[,H:P...] [--host H] [--port P] [--public-host H] [--threads N]
                      [--backend auto|openblas|managed] [--tls-certificate F]

      --seeds H:P,...     the coordinator's address (the cluster's first seed), as it advertises it
      --host H            the address to bind (default 127.0.0.1; 0.0.0.0 binds every interface, then give --public-host)
      --port P            the port (default 0: any free port)
      --public-host H     the address the other nodes reach this one at, when it is not --host (containers, NAT)
      --threads N         blocks computed at once (default: the number of cores)
      --backend B         dense linear algebra: auto (OpenBLAS when installed), openblas, managed (or NTK_BACKEND)
      --tls-certificate F TLS on the cluster transport (or NTK_TLS_CERTIFICATE; password in NTK_TLS_PASSWORD)

    """ + "\n" + TransportTls.PolicyText;
try
{
    var options = new NodeOptions { Port = 0 };
    string? backend = null, tlsPath = null;
    int threads = Environment.ProcessorCount;
    var seeds = new List<ClusterAddress>();
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[++i]
            : throw new ArgumentException($"option {args[i]} needs a value");
        switch (args[i])
        {
            case "--host": options = options with { Host = Value() }; break;
            case "--public-host": options = options with { PublicHost = Value() }; break;
            case "--port":
            {
                string text = Value();
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
                    throw new ArgumentException($"--port '{text}' is not a port number (0 to 65535)");
                options = options with { Port = port };
                break;
            }
            case "--seeds":
                seeds.AddRange(Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => ClusterAddress.Parse(s, "--seeds")));
                break;
            case "--threads":
            {
                string text = Value();
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out threads) || threads < 1 || threads > 1024)
                    throw new ArgumentException($"--threads '{text}' is not a number of threads from 1 to 1024");
                break;
            }
            case "--backend": backend = Value(); break;
            case "--tls-certificate": tlsPath = Value(); break;
            case "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default: throw new ArgumentException($"unknown option '{args[i]}' (see ntk-worker --help)");
        }
    }
    if (seeds.Count == 0) throw new ArgumentException("--seeds is required: the coordinator's host:port");
    if (options.PublicHost is null && options.Host is "0.0.0.0" or "::" or "[::]")
        throw new ArgumentException($"--host {options.Host} binds every interface but is no address others can reach: give --public-host NAME as well");
    options = options with
    {
        Seeds = seeds.Select(s => s.ToString()).ToArray(),
        // The threads role tells the coordinator how many blocks this worker computes at once (ntk status shows it).
        Roles = [BlockSharding.WorkerRole, NodeConfig.ThreadsRole(threads)],
        ComputeThreads = threads,
        Tls = TransportTls.Resolve(tlsPath),
    };
    NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(backend, out string? notice);
    if (notice is not null) Console.Error.WriteLine($"ntk-worker: {notice}");

    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });

    ActorSystem system;
    try
    {
        system = NodeConfig.CreateSystem(options);
    }
    catch (Exception e) when (FindSocketError(e) is { } socket)
    {
        Console.Error.WriteLine($"ntk-worker: cannot listen on {options.Host}:{options.Port}: {socket.Message}");
        return 1;
    }
    await system.StartBlockRegionAsync();
    await system.StartNeuronRegionAsync();
    var cluster = Cluster.Get(system);
    Console.Error.WriteLine($"ntk-worker: {cluster.SelfAddress} ({threads} thread(s){(options.Tls is null ? "" : ", TLS")}) joining {string.Join(",", options.Seeds)}");
    var up = system.WhenUp();
    _ = up.ContinueWith(_ => Console.Error.WriteLine($"ntk-worker: {cluster.SelfAddress} is Up"), TaskScheduler.Default);
    await Task.WhenAny(stop.Task, system.WhenTerminated);
    if (!stop.Task.IsCompleted)
    {
        Console.Error.WriteLine(up.IsCompleted
            ? "ntk-worker: the cluster removed this node (it lost the coordinator, or was downed); exiting"
            : "ntk-worker: the node stopped before it could join the cluster (see above: the seed's address, or TLS: both sides need the same certificate); exiting");
        return 1;
    }
    Console.Error.WriteLine("ntk-worker: leaving the cluster");
    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    await Task.WhenAny(system.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(30)));
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or NtkCluster.Numerics.Errors.InvalidInputException)
{
    Console.Error.WriteLine($"ntk-worker: {e.Message}");
    return 2;
}

// The bind failure is wrapped in Akka's exceptions (and aggregates); find the socket's own reason.
static System.Net.Sockets.SocketException? FindSocketError(Exception? e)
{
    for (; e is not null; e = e.InnerException)
    {
        if (e is System.Net.Sockets.SocketException socket) return socket;
        if (e is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions)
                if (FindSocketError(inner) is { } found) return found;
    }
    return null;
}

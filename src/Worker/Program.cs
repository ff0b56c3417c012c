using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;

// ntk-worker: a cluster node with the worker role that hosts block entities.
//   ntk-worker --host H --port P --seeds H:P[,H:P…] [--threads N]
try
{
    var options = new NodeOptions { Roles = new[] { BlockSharding.WorkerRole } };
    string? backend = null;
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
        switch (args[i])
        {
            case "--host": options = options with { Host = Value() }; break;
            case "--port": options = options with { Port = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) }; break;
            case "--seeds": options = options with { Seeds = Value().Split(',', StringSplitOptions.RemoveEmptyEntries) }; break;
            case "--threads": options = options with { ComputeThreads = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) }; break;
            case "--backend": backend = Value(); break;
            case "--help" or "-h":
                Console.WriteLine("usage: ntk-worker --host H --port P --seeds H:P[,H:P...] [--threads N] [--backend auto|openblas|managed]");
                return 0;
            default: throw new ArgumentException($"unknown option '{args[i]}' (see ntk-worker --help)");
        }
    }
    if (options.Seeds.Count == 0) throw new ArgumentException("--seeds is required: the coordinator's host:port");
    NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(backend, out string? notice);
    if (notice is not null) Console.Error.WriteLine($"ntk-worker: {notice}");
    using var system = ActorSystem.Create(NodeConfig.SystemName, NodeConfig.Build(options));
    await system.StartBlockRegionAsync();
    await system.StartNeuronRegionAsync();
    Console.Error.WriteLine($"ntk-worker: {Cluster.Get(system).SelfAddress} joining {string.Join(",", options.Seeds)}");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
    await Task.WhenAny(stop.Task, system.WhenTerminated);
    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or NtkCluster.Numerics.Errors.InvalidInputException)
{
    Console.Error.WriteLine($"ntk-worker: {e.Message}");
    return 2;
}

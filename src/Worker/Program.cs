using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Worker;
using NtkCluster.Worker.Shipping;

// ntk-worker: a cluster node with the worker role that hosts block entities. Runs until SIGTERM or Ctrl-C, then
// leaves the cluster gracefully (its shards are handed to the other workers); exits by itself when the cluster
// downs it (for instance when it loses the coordinator: keep-oldest).
try
{
    var (settings, exitCode) = WorkerCommandLine.Parse(args, Console.Out, Console.Error);
    if (settings is null) return exitCode;
    var (options, threads, backend, cacheDirectory, cacheBytes) = settings;
    NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(backend, out string? notice);
    if (notice is not null) Console.Error.WriteLine($"ntk-worker: {notice}");

    // One row cache for the node: every partition entity keeps its rows in it, within --memory; partitions the workers
    // cannot read from a shared path are shipped by the client into the on-disk cache (--cache-dir, --cache-size).
    var rows = new NtkCluster.Numerics.Partitions.PartitionRowCache(settings.MemoryBytes);
    using var host = NodeHost.Create(NodeConfig.SystemName, options.LogLevel, handleSignals: true, akka => akka.WithNtkNode(options)
        .WithBlockEntities(rows).WithPartitionShipping(cacheDirectory, cacheBytes));
    var stop = host.StoppingAsync();
    ActorSystem system;
    try
    {
        system = await host.StartSystemAsync();
    }
    catch (Exception e) when (FindSocketError(e) is { } socket)
    {
        await host.StopAsync();
        host.Dispose();
        Console.Error.WriteLine($"ntk-worker: cannot listen on {options.Host}:{options.Port}: {socket.Message}");
        return 1;
    }
    var cluster = Cluster.Get(system);
    Console.Error.WriteLine($"ntk-worker: {cluster.SelfAddress} ({threads} thread(s), {NtkCluster.Numerics.Solvers.MemoryBudget.Describe(rows.BudgetBytes)} for rows{(options.Tls is null ? "" : ", TLS")}) joining {string.Join(",", options.Seeds)}");
    var up = system.WhenUp();
    _ = up.ContinueWith(_ => Console.Error.WriteLine($"ntk-worker: {cluster.SelfAddress} is Up"), TaskScheduler.Default);
    // SIGTERM or Ctrl-C stops the application; so does the actor system terminating (Akka.Hosting), which is checked first.
    await Task.WhenAny(stop, system.WhenTerminated);
    if (system.WhenTerminated.IsCompleted)
    {
        Console.Error.WriteLine(up.IsCompleted
            ? "ntk-worker: the cluster removed this node (it lost the coordinator, or was downed); exiting"
            : "ntk-worker: the node stopped before it could join the cluster (see above: the seed's address, or TLS: both sides need the same certificate); exiting");
        return 1;
    }
    Console.Error.WriteLine("ntk-worker: leaving the cluster");
    // Stopping the host runs CoordinatedShutdown: the cluster-leave phases (shards handed over), then termination;
    // the host's shutdown timeout (30 s) bounds it.
    await host.StopAsync();
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

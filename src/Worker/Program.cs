using System.Runtime.InteropServices;
using NtkCluster.Worker;

// ntk-worker: a cluster node with the worker role that hosts block entities. Runs until SIGTERM or Ctrl-C, then
// leaves the cluster gracefully (its shards are handed to the other workers). It outlives its coordinator: when the
// cluster loses the coordinator (it left, or died and keep-oldest downed this side), the process starts a new actor
// system that joins the seeds again, for as long as it takes, so a restarted coordinator finds its workers back.
try
{
    var (settings, exitCode) = WorkerCommandLine.Parse(args, Console.Out, Console.Error);
    if (settings is null) return exitCode;
    NtkCluster.Numerics.LinearAlgebra.DenseBackend.Select(settings.Backend, out string? notice);
    if (notice is not null) Console.Error.WriteLine($"ntk-worker: {notice}");

    // The process, not one actor system, owns SIGTERM and Ctrl-C: a signal between two sessions stops it too.
    using var stop = new CancellationTokenSource();
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

    // One row cache for the process: every partition entity keeps its rows in it, within --memory, across sessions;
    // partitions the workers cannot read from a shared path are shipped by the client into the on-disk cache
    // (--cache-dir, --cache-size).
    var rows = new NtkCluster.Numerics.Partitions.PartitionRowCache(settings.MemoryBytes);
    void Log(string line) => Console.Error.WriteLine($"ntk-worker: {line}");
    bool wasUp = false, first = true, waitingForPort = false;
    while (true)
    {
        var session = new WorkerSession(settings, rows, Log);
        var end = await session.RunAsync(stop.Token, first);
        switch (end)
        {
            case WorkerSessionEnd.Stopped:
                return 0;
            case WorkerSessionEnd.CannotBind when first:
                Log($"cannot listen on {settings.Node.Host}:{settings.Node.Port}: {session.BindError}");
                return 1;
            case WorkerSessionEnd.CannotBind:
                // A fixed --port that the previous session's socket still holds for a moment: try again, saying so once.
                if (!waitingForPort) Log($"cannot listen on {settings.Node.Host}:{settings.Node.Port} yet ({session.BindError}); retrying every second");
                waitingForPort = true;
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (stop.IsCancellationRequested) return 0;
                continue;
            case WorkerSessionEnd.NeverUp when !wasUp:
                Log("the node stopped before it could join the cluster (see above: the seed's address, or TLS: both sides need the same certificate); exiting");
                return 1;
            case WorkerSessionEnd.Removed or WorkerSessionEnd.NeverUp:
                Log($"the cluster removed this node (it lost the coordinator, or was downed); rejoining {string.Join(",", settings.Node.Seeds)}");
                break;
        }
        wasUp |= end is WorkerSessionEnd.Removed or WorkerSessionEnd.CoordinatorLeft;
        first = false;
        waitingForPort = false;
        // A pause between sessions, so a session that cannot stay up never turns into a busy loop.
        await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        if (stop.IsCancellationRequested) return 0;
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or NtkCluster.Numerics.Errors.InvalidInputException)
{
    Console.Error.WriteLine($"ntk-worker: {e.Message}");
    return 2;
}

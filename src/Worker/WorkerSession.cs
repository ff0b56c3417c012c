using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Hosting;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker.Shipping;

namespace NtkCluster.Worker;

/// <summary>How one actor system of <c>ntk-worker</c> ended (<see cref="WorkerSession.RunAsync"/>).</summary>
public enum WorkerSessionEnd
{
    /// <summary>SIGTERM or Ctrl-C: the node left the cluster gracefully.</summary>
    Stopped,

    /// <summary>The coordinator left the cluster (a restart: SIGTERM, a rolling update) and the node stayed behind
    /// without one; it left too, to join the coordinator's next cluster.</summary>
    CoordinatorLeft,

    /// <summary>The cluster removed this node after it was Up (keep-oldest downs the side without the coordinator,
    /// so a coordinator that died ends here).</summary>
    Removed,

    /// <summary>The actor system ended before the node ever became Up (a seed refusing it, TLS mismatch).</summary>
    NeverUp,

    /// <summary>The port could not be bound (<see cref="WorkerSession.BindError"/> says why).</summary>
    CannotBind,
}

/// <summary>
/// One actor system of an <c>ntk-worker</c> process, from start to its end. A worker outlives its coordinator: when
/// the cluster loses the coordinator the process starts a new session, which joins the seeds again (Akka retries the
/// join until a seed answers), so a restarted coordinator finds its workers back. The row cache is the process's, so
/// partitions read before stay cached across sessions.
/// </summary>
public sealed class WorkerSession
{
    private readonly WorkerCommandLine.Settings _settings;
    private readonly PartitionRowCache _rows;
    private readonly Action<string> _log;

    /// <summary>Set while the node waits to join: Akka's line per attempt is then not printed (one line says what
    /// the node waits for instead).</summary>
    private volatile bool _joining = true;

    /// <summary>Why the port could not be bound, when the session ended with <see cref="WorkerSessionEnd.CannotBind"/>.</summary>
    public string? BindError { get; private set; }

    /// <summary>The node's address in this session (its port is new each session when <c>--port</c> is 0).</summary>
    public Address? Address { get; private set; }

    public WorkerSession(WorkerCommandLine.Settings settings, PartitionRowCache rows, Action<string> log)
    {
        _settings = settings;
        _rows = rows;
        _log = log;
    }

    /// <summary>
    /// Akka's lines that repeat for as long as a seed does not answer: the join process's "will try again" and
    /// remoting's "unreachable remote address" (gated, retried every few seconds). Dropped only while joining.
    /// </summary>
    private bool IsJoinRetry(string source, string message) =>
        _joining && (message.StartsWith("Couldn't join seed nodes", StringComparison.Ordinal)
                     || message.StartsWith("Tried to associate with unreachable remote address", StringComparison.Ordinal)
                     || message.Contains("Association with remote system", StringComparison.Ordinal));

    /// <summary>Runs the session until <paramref name="stop"/> is cancelled, the coordinator is lost, or the system ends.</summary>
    /// <param name="first">The process's first session: its start line names the node's resources.</param>
    public async Task<WorkerSessionEnd> RunAsync(CancellationToken stop, bool first)
    {
        var options = _settings.Node;
        // The program owns SIGTERM and Ctrl-C (handleSignals: false): a signal between two sessions must stop the
        // process too, and one host's console lifetime would cover only its own session.
        using var host = NodeHost.Create(NodeConfig.SystemName, options.LogLevel, handleSignals: false, akka => akka.WithNtkNode(options)
            .WithBlockEntities(_rows).WithPartitionShipping(_settings.CacheDirectory, _settings.CacheBytes), IsJoinRetry);
        ActorSystem system;
        try
        {
            system = await host.StartSystemAsync();
        }
        catch (Exception e) when (FindSocketError(e) is { } socket)
        {
            BindError = socket.Message;
            await StopQuietlyAsync(host);
            return WorkerSessionEnd.CannotBind;
        }
        var cluster = Cluster.Get(system);
        Address = cluster.SelfAddress;
        string seeds = string.Join(",", options.Seeds);
        if (first)
            _log($"{cluster.SelfAddress} ({_settings.Threads} thread(s), {NtkCluster.Numerics.Solvers.MemoryBudget.Describe(_rows.BudgetBytes)} for rows{(options.Tls is null ? "" : ", TLS")}) joining {seeds}");
        else
            _log($"{cluster.SelfAddress} (a new node) joining {seeds}; waiting for the coordinator");

        var up = system.WhenUp();
        _ = up.ContinueWith(_ =>
        {
            _joining = false;
            _log($"{cluster.SelfAddress} is Up");
        }, TaskScheduler.Default);
        var coordinatorLeft = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new CoordinatorWatch(coordinatorLeft)), "coordinator-watch");
        var stopped = Task.Delay(Timeout.Infinite, stop);

        await Task.WhenAny(stopped, system.WhenTerminated, coordinatorLeft.Task);
        if (system.WhenTerminated.IsCompleted)
        {
            await StopQuietlyAsync(host);
            return up.IsCompleted ? WorkerSessionEnd.Removed : WorkerSessionEnd.NeverUp;
        }
        // Leaving runs CoordinatedShutdown: the cluster-leave phases (shards handed over), then termination; the
        // host's shutdown timeout (30 s) bounds it.
        var end = stop.IsCancellationRequested ? WorkerSessionEnd.Stopped : WorkerSessionEnd.CoordinatorLeft;
        if (end == WorkerSessionEnd.CoordinatorLeft)
        {
            _joining = true;
            _log($"the coordinator {coordinatorLeft.Task.Result} left the cluster; leaving it too, to rejoin {seeds}");
        }
        else
        {
            _log("leaving the cluster");
        }
        await StopQuietlyAsync(host);
        return end;
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException)
        {
            // The shutdown timeout passed: the session is over either way.
        }
    }

    /// <summary>The bind failure is wrapped in Akka's exceptions (and aggregates); find the socket's own reason.</summary>
    private static System.Net.Sockets.SocketException? FindSocketError(Exception? e)
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

    /// <summary>
    /// Completes <c>left</c> when the last coordinator-role member this node saw Up is removed from the cluster: the
    /// workers are then a cluster of their own that no coordinator will join (a new coordinator forms a new cluster
    /// from its own address, the first seed).
    /// </summary>
    private sealed class CoordinatorWatch : ReceiveActor
    {
        private readonly HashSet<Address> _coordinators = new();

        public CoordinatorWatch(TaskCompletionSource<Address> left)
        {
            Receive<ClusterEvent.MemberUp>(e =>
            {
                if (e.Member.HasRole(BlockSharding.CoordinatorRole)) _coordinators.Add(e.Member.Address);
            });
            Receive<ClusterEvent.MemberRemoved>(e =>
            {
                if (_coordinators.Remove(e.Member.Address) && _coordinators.Count == 0) left.TrySetResult(e.Member.Address);
            });
            ReceiveAny(_ => { });
        }

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}

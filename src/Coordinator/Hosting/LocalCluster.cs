using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;

namespace NtkCluster.Coordinator.Hosting;

/// <summary>
/// Local mode: one process hosting a one-node Akka cluster with both roles — the coordinator and the Worker's
/// sharded block entities — so a laptop run goes through exactly the message flow of a multi-node cluster.
/// </summary>
public sealed class LocalCluster : IJobRunner
{
    public ActorSystem System { get; }
    public IActorRef Region { get; }
    public IActorRef Neurons { get; }
    public IActorRef Coordinator { get; }
    public int Workers { get; }

    /// <summary>
    /// The row cache of this process's partition entities: partitions that fit are parsed once and sliced from memory
    /// by later rounds (and later jobs through this cluster).
    /// </summary>
    public PartitionRowCache Rows { get; }

    /// <summary>Blocks in flight per round: the workers (compute threads) of this process.</summary>
    public int Window => Workers;

    private readonly IHost _host;

    private LocalCluster(IHost host, ActorSystem system, IActorRef region, IActorRef neurons, IActorRef coordinator, int workers,
        PartitionRowCache rows)
    {
        Rows = rows;
        _host = host;
        System = system;
        Region = region;
        Neurons = neurons;
        Coordinator = coordinator;
        Workers = workers;
    }

    /// <param name="workers">Blocks computed at once (compute threads); the model does not depend on it.</param>
    /// <param name="rows">The row cache of the partition entities; null: one with <see cref="PartitionRowCache.DefaultBudget"/>
    /// (a quarter of the machine's memory), the default of a worker too.</param>
    public static async Task<LocalCluster> StartAsync(int workers, Action<ProgressUpdate>? progress = null, TimeSpan? blockTimeout = null,
        bool serializeMessages = false, PartitionRowCache? rows = null)
    {
        var cache = rows ?? new PartitionRowCache(PartitionRowCache.DefaultBudget);
        var options = new NodeOptions
        {
            Port = 0,
            Roles = new[] { BlockSharding.CoordinatorRole, BlockSharding.WorkerRole },
            ComputeThreads = workers,
            SerializeMessages = serializeMessages,
            // The port is on loopback, where every local user can reach it: a certificate of this process alone, pinned,
            // lets no other process join (a stranger's ntk-worker would be sent blocks, the job's data).
            Tls = TransportTls.Ephemeral(),
            // One process, no peers: Akka's warnings here are its own start-up chatter (a region retrying to register
            // with a shard coordinator that is still starting, on a busy machine), which would land in the middle of
            // the progress bar. A job's real failures reach the user as its own one-line errors. NTK_DEBUG=1 shows them.
            LogLevel = Environment.GetEnvironmentVariable("NTK_DEBUG") == "1" ? LogLevel.Warning : LogLevel.Error,
        };
        // The command owns Ctrl-C (handleSignals: false): it keeps its default meaning, stopping the command at once.
        var refused = new RefusedConnections();
        var host = NodeHost.Create(NodeConfig.SystemName, options.LogLevel, handleSignals: false, akka => akka
            .WithNtkNode(options)
            .WithBlockEntities(cache)
            .WithActors((system, registry) => registry.Register<CoordinatorActor>(system.ActorOf(CoordinatorActor.Props(
                new WorkerRegions(registry.Get<BlockRegion>(), registry.Get<NeuronRegion>()), RoundOptions.ForWorkers(workers, blockTimeout),
                progress ?? (_ => { })), "coordinator"))), refused.Drop);
        try
        {
            var system = await host.StartSystemAsync();
            // No seeds: the node forms its own one-node cluster.
            var cluster = Cluster.Get(system);
            var up = system.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
            cluster.Join(cluster.SelfAddress);
            if (!await up)
                throw new JobFailedException("the local cluster node did not come up within 30 s");
            var registry = ActorRegistry.For(system);
            return new LocalCluster(host, system, registry.Get<BlockRegion>(), registry.Get<NeuronRegion>(), registry.Get<CoordinatorActor>(), workers, cache);
        }
        catch
        {
            await TerminateAsync(host);
            throw;
        }
    }

    /// <summary>
    /// Connections to the local port come from other processes only (this node joins itself without one), and fail the
    /// TLS handshake: the transport logs each failure as a dozen lines of errors. They become one warning instead.
    /// </summary>
    private sealed class RefusedConnections
    {
        private int _seen;

        public bool Drop(string source, string message)
        {
            if (!source.StartsWith("TcpServerHandler", StringComparison.Ordinal) && !message.Contains("TLS handshake failed", StringComparison.Ordinal))
                return false;
            if (Interlocked.Exchange(ref _seen, 1) == 0)
                Console.Error.WriteLine("ntk: warning: another process tried to connect to this job's local cluster; refused " +
                                        "(local mode admits no other process)");
            return true;
        }
    }

    /// <summary>Submits a job and waits for its answer; the ask's timeout is a backstop, blocks have their own.</summary>
    public async Task<T> RunAsync<T>(object submission)
    {
        var answer = await Coordinator.Ask<object>(submission, TimeSpan.FromDays(7));
        return answer switch
        {
            JobSucceeded { Outcome: T result } => result,
            JobFailed { IsBadInput: true } f => throw new NtkCluster.Numerics.Errors.InvalidInputException(f.Reason),
            JobFailed f => throw new JobFailedException(f.Reason),
            _ => throw new JobFailedException($"unexpected answer {answer.GetType().Name}"),
        };
    }

    public ValueTask DisposeAsync() => new(TerminateAsync(_host));

    /// <summary>A one-node cluster has nobody to hand over to: terminate directly instead of a graceful leave.</summary>
    private static async Task TerminateAsync(IHost host)
    {
        try
        {
            await host.ActorSystem().Terminate();
        }
        finally
        {
            host.Dispose();
        }
    }
}

using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Worker;
using Xunit;

namespace NtkCluster.Cluster.Tests.Transport;

/// <summary>
/// A real multi-node cluster in one process: a coordinator-role node and worker-role nodes, each its own actor
/// system from the production Akka.Hosting setup (<see cref="NtkHostingExtensions"/>) on 127.0.0.1 with an OS-chosen port, joined over loopback TCP.
/// Workers host the block and neuron regions; the coordinator reaches them through sharding proxies, as a coordinator
/// node does. Everything between nodes is serialized and framed for real.
/// </summary>
/// <remarks>
/// <para>With <c>serializeMessages</c> (the fit, network and failure tests use it) every node runs with
/// <c>serialize-messages = on</c>: every message to an actor, local ones too, is round-tripped through its serializer,
/// so a message of ours that our binary serializers could not carry fails even when sender and receiver share a node.
/// Akka.NET 1.5.73's own local-only messages have no binding (Distributed Data's <c>ReadRepair</c>, the cluster's
/// <c>ReachabilityChanged</c>, …) and fail the JSON fallback — the shard coordinator then never loads its state — so
/// these nodes bind <c>System.Object</c> to Hyperion (tests only); ours keep their more specific bindings.</para>
/// <para>For experiments: <c>NTK_TEST_HOCON</c> is HOCON laid over every node's configuration, and
/// <c>NTK_TEST_DEBUG=1</c> turns on debug logging with sharding's verbose logs.</para>
/// Two settings differ from production, both only to keep the failure tests short: failure detection and the
/// split-brain resolver's stable-after are a few times faster (<see cref="FastFailureDetection"/>; production: a
/// heartbeat pause of 3 s and stable-after 7 s), and workers do not leave the cluster when their actor system is
/// terminated, so <see cref="KillWorkerAsync"/> is an abrupt death as the others see it (no handoff, no leave) —
/// the worst case.
/// </remarks>
public sealed class ClusterNodes : IAsyncDisposable
{
    /// <summary>Faster failure detection and downing than production, for tests.</summary>
    public const string FastFailureDetection = """
        akka.cluster.failure-detector.heartbeat-interval = 250ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.failure-detector.expected-response-after = 500ms
        akka.cluster.unreachable-nodes-reaper-interval = 250ms
        akka.cluster.split-brain-resolver.stable-after = 2s
        akka.remote.retry-gate-closed-for = 500ms
        """;

    /// <summary>
    /// With serialize-messages on, every local message is round-tripped through the serializer its type is bound to.
    /// Ours (INtkMessage, IClientMessage) keep their binary serializers — the most specific binding wins — and Akka's
    /// own local-only messages that have no binding of theirs (Distributed Data's ReadRepair, the cluster's
    /// ReachabilityChanged, …) go through Hyperion, which copies any object graph, instead of failing JSON.
    /// </summary>
    private const string AkkaInternalsByHyperion = """
        akka.actor.serializers.hyperion = "Akka.Serialization.HyperionSerializer, Akka.Serialization.Hyperion"
        akka.actor.serialization-bindings { "System.Object" = hyperion }
        """;

    /// <summary>A worker's actor system terminates without leaving the cluster: to the others it just dies.</summary>
    private const string DieWithoutLeaving = """
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """;

    public ActorSystem Coordinator { get; }
    public IReadOnlyList<ActorSystem> Workers => _workers;
    public IActorRef Blocks { get; }
    public IActorRef Neurons { get; }

    /// <summary>Each worker's row cache (<c>ntk-worker --memory</c>), in worker order.</summary>
    public IReadOnlyList<PartitionRowCache> RowCaches => _rowCaches;

    private readonly List<ActorSystem> _workers;
    private readonly List<PartitionRowCache> _rowCaches = [];
    private readonly List<IHost> _hosts;

    private ClusterNodes(ActorSystem coordinator, List<ActorSystem> workers, IActorRef blocks, IActorRef neurons, List<IHost> hosts)
    {
        Coordinator = coordinator;
        _workers = workers;
        Blocks = blocks;
        Neurons = neurons;
        _hosts = hosts;
    }

    /// <summary>Round options of a cluster coordinator node: remote, with a short wait for workers in tests.</summary>
    public static RoundOptions Remote(int window, TimeSpan? blockTimeout = null, Action<string>? notify = null) =>
        RoundOptions.ForWorkers(window, blockTimeout ?? TimeSpan.FromMinutes(2)) with { Remote = true, Notify = notify };

    /// <summary>The production node setup (<see cref="NtkHostingExtensions.WithNtkNode"/>) with this fixture's HOCON laid over it.</summary>
    private static IHost NodeFor(string role, int threads, bool fastFailureDetection, bool worker, bool serializeMessages,
        PartitionRowCache? rows = null)
    {
        var options = new NodeOptions
        {
            Host = "127.0.0.1", Port = 0, Roles = [role], ComputeThreads = threads, SerializeMessages = serializeMessages,
        };
        bool debug = Environment.GetEnvironmentVariable("NTK_TEST_DEBUG") == "1";
        return NodeHost.Create(NodeConfig.SystemName, debug ? LogLevel.Debug : options.LogLevel, handleSignals: false, akka =>
        {
            akka.WithNtkNode(options);
            if (worker) akka.WithBlockEntities(rows);
            else akka.WithNtkCoordinator();
            if (serializeMessages) akka.AddHocon(AkkaInternalsByHyperion, HoconAddMode.Prepend);
            if (worker) akka.AddHocon(DieWithoutLeaving, HoconAddMode.Prepend);
            if (fastFailureDetection) akka.AddHocon(FastFailureDetection, HoconAddMode.Prepend);
            if (Environment.GetEnvironmentVariable("NTK_TEST_HOCON") is { Length: > 0 } extra) akka.AddHocon(extra, HoconAddMode.Prepend);
            if (debug)
                akka.AddHocon("akka.loglevel = DEBUG\nakka.log-dead-letters = 100\nakka.cluster.sharding.verbose-debug-logging = on", HoconAddMode.Prepend);
        });
    }

    /// <param name="workers">Worker nodes, each with <paramref name="threads"/> compute threads.</param>
    /// <param name="serializeMessages">serialize-messages on every node (see the remarks).</param>
    /// <param name="memoryBytes">Each worker's row-cache budget; null: the default.</param>
    public static async Task<ClusterNodes> StartAsync(int workers, int threads = 1, bool fastFailureDetection = true,
        bool serializeMessages = false, long? memoryBytes = null)
    {
        var caches = new List<PartitionRowCache>();
        var hosts = new List<IHost> { NodeFor(BlockSharding.CoordinatorRole, 1, fastFailureDetection, worker: false, serializeMessages) };
        var systems = new List<ActorSystem>();
        try
        {
            var coordinator = await hosts[0].StartSystemAsync();
            // The coordinator joins itself first, so it is the oldest node: keep-oldest keeps its side.
            var seed = Akka.Cluster.Cluster.Get(coordinator);
            var up = UpAsync(coordinator);
            seed.Join(seed.SelfAddress);
            await up;
            for (int i = 0; i < workers; i++)
            {
                var cache = new PartitionRowCache(memoryBytes ?? PartitionRowCache.DefaultBudget);
                caches.Add(cache);
                var host = NodeFor(BlockSharding.WorkerRole, threads, fastFailureDetection, worker: true, serializeMessages, cache);
                hosts.Add(host);
                var worker = await host.StartSystemAsync();
                systems.Add(worker);
                var workerUp = UpAsync(worker);
                Akka.Cluster.Cluster.Get(worker).Join(seed.SelfAddress);
                await workerUp; // one at a time: worker 0 is the oldest worker (it hosts the shard coordinators)
            }
            var registry = ActorRegistry.For(coordinator);
            var nodes = new ClusterNodes(coordinator, systems, registry.Get<BlockRegion>(), registry.Get<NeuronRegion>(), hosts);
            nodes._rowCaches.AddRange(caches);
            await nodes.WaitForMembersAsync(workers + 1);
            await nodes.ProbeAsync();
            return nodes;
        }
        catch
        {
            await Task.WhenAll(hosts.Select(h => h.ActorSystem().Terminate()));
            foreach (var host in hosts) host.Dispose();
            throw;
        }
    }

    private static Task UpAsync(ActorSystem system) => system.WhenUp().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits until the coordinator sees <paramref name="count"/> members Up.</summary>
    public Task WaitForMembersAsync(int count) => WaitForMembersUpAsync(Coordinator, count);

    /// <summary>Waits until <paramref name="system"/> sees exactly <paramref name="count"/> members Up; fails after 30 s.</summary>
    public static async Task WaitForMembersUpAsync(ActorSystem system, int count)
    {
        var clock = Stopwatch.StartNew();
        var cluster = Akka.Cluster.Cluster.Get(system);
        while (cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) != count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{count} members not up within 30 s");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// One tiny request through each proxy, so a cluster whose sharding never became usable fails here, at once and
    /// saying so, instead of as a block timeout in the first test.
    /// </summary>
    private async Task ProbeAsync()
    {
        var options = Remote(1, TimeSpan.FromSeconds(20)) with { Attempts = 1 };
        var one = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, 1, 0.5);
        try
        {
            Assert.IsType<KernelRowsComputed>(await BlockRound.AskOnceAsync(Blocks, new BuildKernelRows("probe", 0, "rbf:gamma=1", one, one), options));
            Assert.IsType<NeuronBlockMissing>(await BlockRound.AskOnceAsync(Neurons, new NeuronStep("probe", 0, 0, []), options));
            Neurons.Tell(new ReleaseNeuronBlock("probe", 0));
        }
        catch (Akka.Actor.AskTimeoutException e)
        {
            var members = string.Join(", ", Akka.Cluster.Cluster.Get(Coordinator).State.Members.Select(m => $"{m.Address} {m.Status} [{string.Join(",", m.Roles)}]"));
            throw new InvalidOperationException($"the test cluster came up but its sharding does not answer ({e.Message}); members: {members}", e);
        }
    }

    /// <summary>Kills worker <paramref name="index"/>: its actor system stops without leaving the cluster.</summary>
    public Task KillWorkerAsync(int index) => _workers[index].Terminate();

    /// <summary>
    /// Kills worker <paramref name="index"/> (−1: the one hosting most partition entities, so that the victim certainly
    /// owns some) and returns (a completed task) only once its actor system has stopped.
    /// </summary>
    /// <remarks>
    /// For a job's progress callback as a round starts (its 0/total count) or between rounds: the callback runs on the
    /// job's own thread before the round sends anything, so blocking it here means the victim answers nothing of that
    /// round, however fast its partitions would answer from memory. A kill that does not wait races the round: the
    /// victim may answer all of its partitions before it stops, and the test of a worker's loss then tests nothing.
    /// </remarks>
    public Task KillWorkerBeforeTheRound(int index)
    {
        if (index < 0) index = WorkerHostingMostPartitions();
        var terminated = _workers[index].Terminate();
        if (!terminated.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException($"worker {index} did not stop within 30 s");
        return terminated;
    }

    /// <summary>
    /// The worker whose block region hosts most partition entities now (<see cref="PartitionEntityId"/>): after a job's
    /// first partition round, the one whose death certainly leaves partitions to re-create. Placement follows shard
    /// allocation, so a fixed victim may by chance own none of a small dataset's partitions.
    /// </summary>
    public int WorkerHostingMostPartitions() => WorkerHostingMost<BlockRegion>(PartitionEntityId.IsPartition, "a partition entity");

    /// <summary>
    /// The worker whose neuron region hosts most neuron-block entities now: during a network's training, the one whose
    /// death certainly leaves neuron blocks to restore (shard allocation may put every block of a job on one worker).
    /// </summary>
    public int WorkerHostingMostNeuronBlocks() => WorkerHostingMost<NeuronRegion>(_ => true, "a neuron block");

    private int WorkerHostingMost<TRegion>(Func<string, bool> counts, string what)
    {
        var hosted = _workers.Select(system =>
        {
            var region = ActorRegistry.For(system).Get<TRegion>();
            var state = region.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(10))
                .GetAwaiter().GetResult();
            return state.Shards.Sum(shard => shard.EntityIds.Count(counts));
        }).ToList();
        int most = hosted.IndexOf(hosted.Max());
        Assert.True(hosted[most] > 0, $"no worker hosts {what} yet");
        return most;
    }

    public async ValueTask DisposeAsync()
    {
        // The coordinator first, so it does not spend its last seconds reporting dying workers.
        await Coordinator.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(_workers.Select(s => s.Terminate())).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var host in _hosts) host.Dispose();
    }
}

using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using NtkCluster.Coordinator.Gateway;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Hosting;

/// <summary>
/// The coordinator of a multi-node cluster (<c>ntk coordinator</c>): a long-running node with the role
/// <c>coordinator</c> that hosts no block entities — it reaches the workers' block and neuron regions through
/// sharding proxies — runs the <see cref="CoordinatorActor"/> for jobs, and the <see cref="GatewayActor"/> for
/// clients at <c>/user/gateway</c>.
/// </summary>
/// <remarks>
/// It must be the cluster's oldest member: the split-brain resolver keeps the oldest node's side (keep-oldest), so
/// losing workers never takes the coordinator down. It is the oldest by being the first seed: with its own address
/// first in the seed list it forms the cluster, and workers join it.
/// </remarks>
public sealed class CoordinatorNode : IAsyncDisposable
{
    public ActorSystem System { get; }
    public IActorRef Gateway { get; }
    public Address Address { get; }

    private readonly IHost _host;

    private CoordinatorNode(IHost host, ActorSystem system, IActorRef gateway)
    {
        _host = host;
        System = system;
        Gateway = gateway;
        Address = Cluster.Get(system).SelfAddress;
    }

    /// <summary>A task that completes when SIGTERM or Ctrl-C asks the node to stop, or when its actor system terminates.</summary>
    public Task Stopping { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts the node (Akka.Hosting: <see cref="NtkHostingExtensions.WithNtkNode"/>,
    /// <see cref="NtkHostingExtensions.WithNtkCoordinator"/>, and this node's actors) and waits until it is Up (it
    /// forms the cluster when it is the first seed). The host owns SIGTERM and Ctrl-C: see <see cref="Stopping"/>.
    /// </summary>
    /// <param name="log">Lines for the operator (stderr): membership changes, jobs starting and ending.</param>
    public static async Task<CoordinatorNode> StartAsync(NodeOptions options, Action<string> log, TimeSpan? upTimeout = null)
    {
        options = options with { Roles = [BlockSharding.CoordinatorRole] };
        var host = NodeHost.Create(NodeConfig.SystemName, options.LogLevel, handleSignals: true, akka => akka
            .WithNtkNode(options)
            .WithNtkCoordinator()
            .WithActors((system, registry) =>
            {
                // Jobs run with their own round options and progress sinks (RunJob); these defaults serve bare Submit* records.
                var coordinator = system.ActorOf(CoordinatorActor.Props(new WorkerRegions(registry.Get<BlockRegion>(), registry.Get<NeuronRegion>()),
                    RoundOptions.ForWorkers(Math.Max(1, options.ComputeThreads)) with { Remote = true }, _ => { }), "coordinator");
                registry.Register<GatewayActor>(system.ActorOf(GatewayActor.Props(coordinator, log), NodeConfig.GatewayName));
                system.ActorOf(Akka.Actor.Props.Create(() => new MembershipLogger(log)), "membership-log");
                // Routes workers' requests for shipped partitions to the jobs whose clients ship them (--rows).
                system.ActorOf(NtkCluster.Coordinator.Gateway.PartitionRelayActor.Props(), NtkCluster.Protocol.Shipping.ShippingPaths.Relay);
            }));
        var stopping = host.StoppingAsync();
        try
        {
            var system = await host.StartSystemAsync();
            var cluster = Cluster.Get(system);
            var timeout = upTimeout ?? TimeSpan.FromSeconds(60);
            if (!await system.WaitUntilUpAsync(timeout))
                throw new JobFailedException($"the coordinator did not become Up within {timeout.TotalSeconds:0} s (seeds: {string.Join(", ", options.Seeds)})");

            var oldest = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();
            if (oldest is not null && oldest.Address != cluster.SelfAddress)
                log($"warning: {oldest.Address} is older than this coordinator: keep-oldest split-brain resolution would keep that node's side, " +
                    "not the coordinator's. Start the coordinator first, with its own address as the first seed.");
            return new CoordinatorNode(host, system, ActorRegistry.For(system).Get<GatewayActor>()) { Stopping = stopping };
        }
        catch
        {
            await StopQuietlyAsync(host);
            throw;
        }
    }

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Leaves the cluster gracefully: stopping the host runs CoordinatedShutdown (the cluster-leave phases,
    /// then termination), bounded by the host's shutdown timeout (30 s).</summary>
    public Task LeaveAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await LeaveAsync();
        await System.WhenTerminated;
        _host.Dispose();
    }

    /// <summary>Reports members joining, leaving and becoming unreachable to the operator.</summary>
    private sealed class MembershipLogger : ReceiveActor
    {
        public MembershipLogger(Action<string> log)
        {
            Receive<ClusterEvent.MemberUp>(e => log($"{e.Member.Address} is Up ({Roles(e.Member)})"));
            Receive<ClusterEvent.MemberRemoved>(e => log($"{e.Member.Address} left the cluster ({Roles(e.Member)})"));
            Receive<ClusterEvent.UnreachableMember>(e => log($"{e.Member.Address} is unreachable ({Roles(e.Member)})"));
            Receive<ClusterEvent.ReachableMember>(e => log($"{e.Member.Address} is reachable again"));
            ReceiveAny(_ => { });
        }

        private static string Roles(Member m) =>
            string.Join(", ", m.Roles.Where(r => !NodeConfig.IsThreadsRole(r))) + (NodeConfig.ThreadsOf(m.Roles) is int t and > 0 ? $", {t} threads" : "");

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
                typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}

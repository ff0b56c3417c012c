using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Coordinator.Gateway;

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

    private CoordinatorNode(ActorSystem system, IActorRef gateway)
    {
        System = system;
        Gateway = gateway;
        Address = Cluster.Get(system).SelfAddress;
    }

    /// <summary>Starts the node and waits until it is Up (it forms the cluster when it is the first seed).</summary>
    /// <param name="log">Lines for the operator (stderr): membership changes, jobs starting and ending.</param>
    public static async Task<CoordinatorNode> StartAsync(NodeOptions options, Action<string> log, TimeSpan? upTimeout = null)
    {
        var system = NodeConfig.CreateSystem(options with { Roles = [BlockSharding.CoordinatorRole] });
        try
        {
            var cluster = Cluster.Get(system);
            var timeout = upTimeout ?? TimeSpan.FromSeconds(60);
            if (!await system.WaitUntilUpAsync(timeout))
                throw new JobFailedException($"the coordinator did not become Up within {timeout.TotalSeconds:0} s (seeds: {string.Join(", ", options.Seeds)})");

            var sharding = ClusterSharding.Get(system);
            var blocks = await sharding.StartProxyAsync(BlockSharding.TypeName, BlockSharding.WorkerRole, new BlockMessageExtractor(BlockSharding.ShardCount));
            var neurons = await sharding.StartProxyAsync(BlockSharding.NeuronTypeName, BlockSharding.WorkerRole, new BlockMessageExtractor(BlockSharding.ShardCount));
            // Jobs run with their own round options and progress sinks (RunJob); these defaults serve bare Submit* records.
            var coordinator = system.ActorOf(CoordinatorActor.Props(new WorkerRegions(blocks, neurons),
                RoundOptions.ForWorkers(Math.Max(1, options.ComputeThreads)) with { Remote = true }, _ => { }), "coordinator");
            var gateway = system.ActorOf(GatewayActor.Props(coordinator, log), NodeConfig.GatewayName);
            system.ActorOf(Akka.Actor.Props.Create(() => new MembershipLogger(log)), "membership-log");

            var oldest = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();
            if (oldest is not null && oldest.Address != cluster.SelfAddress)
                log($"warning: {oldest.Address} is older than this coordinator: keep-oldest split-brain resolution would keep that node's side, " +
                    "not the coordinator's. Start the coordinator first, with its own address as the first seed.");
            return new CoordinatorNode(system, gateway);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Leaves the cluster gracefully (CoordinatedShutdown: the cluster-leave phases, then termination).</summary>
    public Task LeaveAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public async ValueTask DisposeAsync()
    {
        await LeaveAsync();
        await System.WhenTerminated;
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

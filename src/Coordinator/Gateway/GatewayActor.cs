using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// The coordinator node's door for clients, at <c>/user/gateway</c>: opens a <see cref="JobSessionActor"/> per
/// submitted job and answers <see cref="StatusRequest"/> with the cluster's members and the jobs running here.
/// Clients talk to it over plain remoting; they never join the cluster.
/// </summary>
public sealed class GatewayActor : ReceiveActor
{
    /// <summary>A session's job has an id (its <see cref="JobSessionActor"/> tells the gateway). Local only.</summary>
    public sealed record SessionStarted(string JobId) : INoSerializationVerificationNeeded;

    /// <summary>A session's job reported progress (<see cref="NtkCluster.Numerics.Execution.ProgressUpdate.Text"/>). Local only.</summary>
    public sealed record SessionProgress(string Line) : INoSerializationVerificationNeeded;

    private sealed class Entry(string kind, string client)
    {
        public string Kind { get; } = kind;
        public string Client { get; } = client;
        public string? JobId { get; set; }
        public long StartedUnixMs { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        public string? LastProgress { get; set; }
    }

    private readonly Dictionary<IActorRef, Entry> _sessions = new();

    public GatewayActor(IActorRef coordinator, Action<string> log)
    {
        Receive<OpenJob>(open =>
        {
            if (open.ClientVersion != ProgramInfo.Version)
            {
                Sender.Tell(new JobRefused(open.RequestId,
                    $"this client is ntk {open.ClientVersion}, the coordinator runs ntk {ProgramInfo.Version}: use the same version on both", false));
                return;
            }
            string name = "job-" + new string(open.RequestId.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(40).ToArray());
            if (Context.Child(name) is not Nobody)
            {
                Sender.Tell(new JobRefused(open.RequestId, $"a job with request id {open.RequestId} is already open", false));
                return;
            }
            var session = Context.ActorOf(JobSessionActor.Props(open, Sender, coordinator, Self, log), name);
            Context.Watch(session);
            _sessions[session] = new Entry(open.Kind, Sender.Path.Address.ToString());
        });
        Receive<SessionStarted>(m =>
        {
            if (_sessions.TryGetValue(Sender, out var e)) e.JobId = m.JobId;
        });
        Receive<SessionProgress>(m =>
        {
            if (_sessions.TryGetValue(Sender, out var e)) e.LastProgress = m.Line;
        });
        Receive<Terminated>(t => _sessions.Remove(t.ActorRef));
        Receive<StatusRequest>(m => Sender.Tell(Status(m.RequestId)));
    }

    private ClusterStatus Status(string requestId)
    {
        var cluster = Cluster.Get(Context.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(u => u.Address).ToHashSet();
        var nodes = state.Members
            .Concat(state.Unreachable.Where(u => !state.Members.Contains(u)))
            .OrderBy(m => m.HasRole(BlockSharding.CoordinatorRole) ? 0 : 1).ThenBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new NodeStatus(m.Address.ToString(), m.Roles.Where(r => !NodeConfig.IsThreadsRole(r)).Order(StringComparer.Ordinal).ToArray(),
                m.Status.ToString(), !unreachable.Contains(m.Address), NodeConfig.ThreadsOf(m.Roles)))
            .ToArray();
        var jobs = _sessions.Values.Where(e => e.JobId is not null)
            .OrderBy(e => e.StartedUnixMs)
            .Select(e => new JobStatus(e.JobId!, e.Kind, e.StartedUnixMs, e.LastProgress, e.Client))
            .ToArray();
        return new ClusterStatus(requestId, cluster.SelfAddress.ToString(), ProgramInfo.Version, nodes, jobs);
    }

    public static Props Props(IActorRef coordinator, Action<string> log) =>
        Akka.Actor.Props.Create(() => new GatewayActor(coordinator, log));
}

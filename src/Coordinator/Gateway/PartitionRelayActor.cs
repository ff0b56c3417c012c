using Akka.Actor;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// The coordinator node's partition relay, at <c>/user/ntk-partition-relay</c>: a worker that has no copy of a
/// partition asks here (<see cref="RequestPartition"/>); the request goes on to the session of a running job whose
/// client ships that partition's unit (<see cref="OfferPartitions"/>), or is answered <see cref="PartitionNotShipped"/>
/// (read the shared path). It holds only the offers — keys and sessions — never a byte of data.
/// </summary>
public sealed class PartitionRelayActor : ReceiveActor
{
    /// <summary>A job session's client ships these units (<see cref="ShippedUnit.KeyOf"/>) until the session stops.</summary>
    public sealed record OfferPartitions(string[] Keys) : INoSerializationVerificationNeeded;

    private readonly Dictionary<string, List<IActorRef>> _offers = new(StringComparer.Ordinal);

    public PartitionRelayActor()
    {
        Receive<OfferPartitions>(m =>
        {
            Context.Watch(Sender);
            foreach (string key in m.Keys)
            {
                if (!_offers.TryGetValue(key, out var sessions)) _offers[key] = sessions = new List<IActorRef>();
                if (!sessions.Contains(Sender)) sessions.Add(Sender);
            }
        });
        Receive<Terminated>(t =>
        {
            foreach (var (key, sessions) in _offers.ToList())
            {
                sessions.Remove(t.ActorRef);
                if (sessions.Count == 0) _offers.Remove(key);
            }
        });
        Receive<RequestPartition>(m =>
        {
            // The first session that offers it: any client of any job shipping the same content sends the same bytes.
            if (_offers.TryGetValue(ShippedUnit.KeyOf(m.Partition), out var sessions) && sessions.Count > 0) sessions[0].Forward(m);
            else Sender.Tell(new PartitionNotShipped(m.TransferId));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PartitionRelayActor());
}

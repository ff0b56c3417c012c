using Akka.Actor;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// How a worker node is named in messages: its cluster address, host:port — the same name whether a worker says it of
/// itself or the coordinator says it of a member, so a line from either points at the same node.
/// </summary>
public static class WorkerNames
{
    /// <summary>This node's name; the actor system's name when it is not a cluster node (tests of an actor alone).</summary>
    public static string Of(ActorSystem system)
    {
        try
        {
            return Of(Akka.Cluster.Cluster.Get(system).SelfAddress);
        }
        catch (Exception e) when (e is Akka.Configuration.ConfigurationException or InvalidCastException or NotSupportedException)
        {
            return system.Name; // not a cluster node (tests of an actor alone)
        }
    }

    /// <summary>The name of the node at <paramref name="address"/>.</summary>
    public static string Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Host is { } host ? $"{host}:{address.Port}" : address.ToString();
    }
}

using Akka.Actor;

namespace NtkCluster.Worker.Shipping;

/// <summary>How a worker node is named in messages: its cluster address, host:port.</summary>
public static class WorkerNames
{
    public static string Of(ActorSystem system)
    {
        try
        {
            var address = Akka.Cluster.Cluster.Get(system).SelfAddress;
            return address.Host is { } host ? $"{host}:{address.Port}" : address.ToString();
        }
        catch (Exception e) when (e is Akka.Configuration.ConfigurationException or InvalidCastException or NotSupportedException)
        {
            return system.Name; // not a cluster node (tests of an actor alone)
        }
    }
}

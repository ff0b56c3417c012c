namespace NtkCluster.Protocol.Shipping;

/// <summary>The names under <c>/user</c> of the data plane's per-node actors, which nodes reach by address.</summary>
public static class ShippingPaths
{
    /// <summary>On every worker node: answers <see cref="ProbeFiles"/>.</summary>
    public const string DataProbe = "ntk-data-probe";

    /// <summary>On the coordinator node: routes a worker's <see cref="RequestPartition"/> to the job that ships it.</summary>
    public const string Relay = "ntk-partition-relay";

    /// <summary>On every worker node: the cache of shipped partitions and the transfers that fill it.</summary>
    public const string ShippedPartitions = "ntk-shipped-partitions";
}

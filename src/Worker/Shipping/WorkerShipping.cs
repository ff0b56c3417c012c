using Akka.Hosting;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Worker.Shipping;

/// <summary>
/// The data plane's actors on a worker node (<c>ntk-worker</c>): the data probe, which tells a coordinator how this
/// node sees a dataset's files, and the shipped partitions with their on-disk cache, which partition entities reach
/// through the node's <see cref="PartitionLocators"/>.
/// </summary>
public static class WorkerShipping
{
    /// <summary>The cache's size limit when <c>--cache-size</c> is not given.</summary>
    public const long DefaultCacheBytes = 10L << 30;

    /// <summary>The cache directory when <c>--cache-dir</c> is not given: under the temp directory, named for the
    /// worker's port, so workers on one machine keep separate caches and a restarted worker finds its own.</summary>
    public static string DefaultCacheDirectory(int port) => Path.Combine(Path.GetTempPath(), $"ntk-worker-cache-{port}");

    /// <param name="cacheDirectory">Null: <see cref="DefaultCacheDirectory"/> of the port the node is bound to.</param>
    public static AkkaConfigurationBuilder WithPartitionShipping(this AkkaConfigurationBuilder builder, string? cacheDirectory, long cacheBytes) =>
        builder.WithActors((system, _) =>
        {
            system.ActorOf(DataProbeActor.Props(), DataProbeActor.Name);
            // A directory the user named is made now, so a path that cannot be one fails at start-up, not at the first
            // shipped partition; the default one only when a partition arrives (no empty directory per worker port).
            if (cacheDirectory is not null) Directory.CreateDirectory(cacheDirectory);
            var cache = new ShippedPartitionCache(cacheDirectory ?? DefaultCacheDirectory(Akka.Cluster.Cluster.Get(system).SelfAddress.Port ?? 0), cacheBytes);
            var shipped = system.ActorOf(ShippedPartitionsActor.Props(cache), Protocol.Shipping.ShippingPaths.ShippedPartitions);
            PartitionLocators.Get(system).Locator = new ShippingPartitionLocator(shipped);
        });
}

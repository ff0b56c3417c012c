using Akka.Actor;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Worker.Shipping;

/// <summary>
/// Locates partitions through the node's <see cref="ShippedPartitionsActor"/>: a copy in the cache, a copy shipped now
/// by the job's client, or — when no running job ships the partition — its shared path. A cached copy's fingerprint is
/// taken on every use (at most 1 MiB read) and checked against the partition's key, so a damaged copy is refused.
/// </summary>
public sealed class ShippingPartitionLocator(IActorRef shippedPartitions, TimeSpan? timeout = null) : IPartitionLocator
{
    /// <summary>How long a locate may wait for its copy: a 64 MiB partition takes about a second on 1 Gb/s; a stalled
    /// shipment is failed sooner by the shipping actor itself.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    public async Task<DataPartition> LocateAsync(DataPartition partition, CancellationToken ct)
    {
        var answer = await shippedPartitions.Ask<ShippedPartitionsActor.ILocateAnswer>(new ShippedPartitionsActor.Locate(partition), timeout ?? DefaultTimeout, ct)
            .ConfigureAwait(false);
        switch (answer)
        {
            case ShippedPartitionsActor.Located { CopyPath: null }:
                return partition;
            case ShippedPartitionsActor.Located { CopyPath: { } path }:
                return await Task.Run(() =>
                {
                    var copy = FileFingerprint.Of(path);
                    if (ShippedUnit.Mismatch(partition, copy) is { } mismatch) throw new InvalidInputException($"{mismatch}; the copy in the cache is damaged");
                    return ShippedUnit.Local(partition, path, copy);
                }, ct).ConfigureAwait(false);
            case ShippedPartitionsActor.LocateFailed failed when failed.IsBadInput:
                throw new InvalidInputException(failed.Reason);
            case ShippedPartitionsActor.LocateFailed failed:
                throw new IOException(failed.Reason);
            default:
                throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}");
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Sharding;

/// <summary>
/// The entity id of a partition: its content key (<see cref="DataPartition.ContentKey"/>) and its place in the dataset
/// (<see cref="DataPartition.Index"/>), hashed to a name safe for an actor path. One entity per partition whatever the
/// job, round or path, so the same shard — the same worker, while the cluster does not change — serves every round of
/// a job and later jobs on the same data, from its rows kept in memory; after a worker dies, sharding re-creates the
/// entity on a survivor, which reads the partition again from its source (its lineage).
/// </summary>
/// <remarks>
/// The index is part of the id because a dataset may hold identical copies of a file (the scale benchmark is ten
/// copies of one): by content alone, every copy of a row group would be one entity, computed one after another on one
/// worker. The worker's row cache is keyed by content alone, so copies that do land on one worker share their rows.
/// </remarks>
public static class PartitionEntityId
{
    /// <summary>What every partition entity's id starts with (block entities' ids start with their job's id).</summary>
    public const string Prefix = "partition.";

    /// <summary>"partition." and 32 hex digits of the SHA-256 of the content key and the index.</summary>
    public static string Of(DataPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{partition.ContentKey}#{partition.Index}")));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Whether an entity id names a partition entity.</summary>
    public static bool IsPartition(string entityId) => entityId.StartsWith(Prefix, StringComparison.Ordinal);
}

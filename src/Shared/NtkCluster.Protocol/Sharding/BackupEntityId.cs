using System.Globalization;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Sharding;

/// <summary>
/// The id of a backup entity: a second entity for the same block (or partition), asked when the block's own entity
/// stalls or its node becomes unreachable. Its id is the original's with a replica suffix, so it hashes to another
/// shard — which the round picks to be on another worker node — and, because it starts as the original does, it is the
/// same kind of entity (a partition's backup is a partition entity). The command it receives is the original one,
/// byte for byte, so it computes the identical answer: the first answer wins, as with MapReduce's backup tasks.
/// </summary>
/// <remarks>
/// A backup is sent as <see cref="BlockCommandChunk"/>s addressed to the backup's id (routing is by the chunk's id),
/// so no command type needs a second form. Only stateless commands have backups: a neuron block's state lives in its
/// one entity, and a lost one is restored from the coordinator's checkpoint instead.
/// </remarks>
public static class BackupEntityId
{
    /// <summary>What separates the original id from the replica number ('~' is unreserved in actor paths and occurs in no
    /// original id: those are job ids, kinds, numbers and hex digits).</summary>
    public const string Separator = "~backup";

    /// <summary>The id of backup <paramref name="replica"/> (1, 2, …) of the entity <paramref name="entityId"/>.</summary>
    public static string Of(string entityId, int replica)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replica, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{entityId}{Separator}{replica}");
    }

    /// <summary>Whether an entity id (or an entity actor's name) names a backup.</summary>
    public static bool IsBackup(string entityId) => entityId.Contains(Separator, StringComparison.Ordinal);

    /// <summary>Whether a command may be computed by a backup entity: every stateless block and partition command, no
    /// neuron-block command.</summary>
    public static bool Allows(IBlockCommand command) =>
        command is not (LoadNeuronBlock or NeuronStep or InspectNeuronBlock or ReleaseNeuronBlock);
}

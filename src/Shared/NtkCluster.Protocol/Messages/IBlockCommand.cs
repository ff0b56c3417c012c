namespace NtkCluster.Protocol.Messages;

/// <summary>
/// A request for one block of work, routed by Cluster Sharding to the entity named <see cref="EntityId"/>.
/// Commands are idempotent: a block recomputed after a timeout or a lost worker gives bitwise the same answer.
/// </summary>
public interface IBlockCommand : INtkMessage
{
    string JobId { get; }
    int BlockIndex { get; }
    string EntityId { get; }
}

/// <summary>A worker's answer for one block of a job.</summary>
public interface IBlockReply : INtkMessage
{
    string JobId { get; }
    int BlockIndex { get; }
}

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// One piece of a block command too large for one remote frame: the command's serialized payload (what
/// <see cref="Serialization.NtkMessageSerializer"/> writes for <see cref="Manifest"/>) cut into <see cref="Count"/>
/// pieces. Routed by Cluster Sharding on <see cref="EntityId"/> — the command's own entity id — so every piece reaches
/// the entity the command would have; the entity puts the pieces together and handles the command as if it had
/// arrived whole, answering the sender of the pieces.
/// </summary>
/// <param name="TransferId">Names one sending of one command. Increases with every sending by the same coordinator
/// process, so an entity drops the pieces of an older (abandoned, retried) sending.</param>
/// <param name="Index">0 … Count−1; pieces may arrive in any order, and twice.</param>
public sealed record BlockCommandChunk(string EntityId, long TransferId, int Index, int Count, string Manifest, byte[] Bytes) : INtkMessage;

/// <summary>
/// One piece of a block reply too large for one remote frame, sent by the entity to the asker (the coordinator's
/// round receiver), which puts the pieces of a transfer together and handles the reply as if it had arrived whole.
/// </summary>
/// <param name="TransferId">Names one reply of one entity (pieces are told apart by sender and id).</param>
public sealed record BlockReplyChunk(long TransferId, int Index, int Count, string Manifest, byte[] Bytes) : INtkMessage;

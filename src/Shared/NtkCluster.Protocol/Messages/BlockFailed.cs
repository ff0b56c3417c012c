namespace NtkCluster.Protocol.Messages;

/// <summary>
/// A worker could not compute a block (the computation threw). Sent instead of a result, so the job fails at once
/// with the worker's reason rather than waiting for a timeout.
/// </summary>
public sealed record BlockFailed(string JobId, int BlockIndex, string Reason) : IBlockReply;

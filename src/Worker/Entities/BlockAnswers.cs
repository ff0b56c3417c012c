using Akka.Actor;
using Akka.Event;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// How every entity answers a block command: the computed reply, or — when the computation throws — a
/// <see cref="BlockFailed"/> with the reason, so the coordinator fails the job at once instead of timing out.
/// </summary>
internal static class BlockAnswers
{
    public static IBlockReply Compute(ILoggingAdapter log, IBlockCommand command, Func<IBlockReply> compute)
    {
        try
        {
            return compute();
        }
        catch (Exception e)
        {
            log.Warning("block {0} of job {1} failed: {2}", command.BlockIndex, command.JobId, e.Message);
            return new BlockFailed(command.JobId, command.BlockIndex, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Sends a reply to the asker. An asker on another node gets a reply larger than
    /// <see cref="ChunkedTransfer.DefaultChunkBytes"/> in pieces (<see cref="BlockReplyChunk"/>, all sent at once), since
    /// it would not fit in one remote frame; an asker in this process gets the reply object itself, never copied.
    /// </summary>
    public static void Send(IActorRef asker, IBlockReply reply, IActorRef self, int chunkBytes = ChunkedTransfer.DefaultChunkBytes)
    {
        // Local actor refs carry no host in their address; refs to actors on other nodes do.
        if (!asker.Path.Address.HasGlobalScope)
        {
            asker.Tell(reply, self);
            return;
        }
        byte[] payload = NtkMessageSerializer.Serialize(reply);
        if (payload.Length <= chunkBytes)
        {
            asker.Tell(reply, self); // small: remoting writes it once more, which costs less than the pieces' envelopes
            return;
        }
        long transfer = ChunkedTransfer.NextTransferId();
        ChunkedTransfer.SendAll(payload, chunkBytes, ChunkedTransfer.ReplyPieces(transfer, NtkMessageSerializer.ManifestOf(reply)), asker, self);
    }
}

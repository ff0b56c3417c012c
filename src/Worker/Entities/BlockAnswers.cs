using Akka.Event;
using NtkCluster.Protocol.Messages;

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
}

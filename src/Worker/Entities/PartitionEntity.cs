using Akka.Actor;
using Akka.Event;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Sharding;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// A sharded partition entity: the one entity of one partition of a dataset (<see cref="PartitionEntityId"/>), which
/// answers every partition command about it — every round of a job, and later jobs on the same data. It finds where
/// this worker reads the partition (<see cref="IPartitionLocator"/>: the shared path, or a shipped copy), then computes
/// the partial with <see cref="Numerics.Execution.PartitionComputations"/> over the rows of the worker's
/// <see cref="PartitionRowCache"/>: parsed from the file on the first pass and kept when they fit the worker's memory,
/// sliced from memory after that. Its partials are bitwise those of the file read afresh, so a partition recomputed
/// anywhere — on a survivor after its worker died, which reads it again from its source — gives the same answer.
/// </summary>
/// <remarks>
/// It runs on the compute dispatcher, as block entities do, so the partition's work occupies one of this node's
/// compute threads and never the ThreadPool; it handles one command at a time (the mailbox waits while the locator
/// does), so a second round's command finds the rows the first one kept.
/// <para>
/// Passivation: left to the region's idle passivation (as block entities are), and that is right for an entity that
/// owns rows, because the rows are not in the entity: they are in the worker-wide cache, keyed by the partition's
/// content, bounded by the worker's one budget (<c>ntk-worker --memory</c>) and evicted least recently used first. An
/// idle entity that stops loses nothing — the next command re-creates it on the same shard, on the same worker, and it
/// finds the rows where they were — while a policy of never passivating would keep an actor per partition ever seen.
/// Unlike a block entity it does not passivate after every answer: the next round's command is coming.
/// </para>
/// <para>
/// Commands in pieces (large draws or models) are collected one transfer at a time, as a block entity does: a newer
/// transfer replaces the one being collected. Two jobs sending large commands to the same partition at the same moment
/// therefore interrupt each other's transfers and rely on the round's resend; one job's rounds never overlap on a
/// partition.
/// </para>
/// </remarks>
public sealed class PartitionEntity : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CommandChunks _chunks;
    private readonly IPartitionRows _rows;
    private readonly IPartitionLocator _locator;
    private readonly CancellationTokenSource _stopping = new();

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="rows">The worker's row cache (or any source of partitions' rows).</param>
    /// <param name="locator">Where this worker reads a partition; null: the node's (<see cref="Shipping.PartitionLocators"/>, set by
    /// <c>ntk-worker</c>'s shipping), else the shared path.</param>
    /// <param name="transferTimeout">How long a command arriving in pieces may go without a piece before it is
    /// dropped (default <see cref="Protocol.Serialization.ChunkedTransfer.PartialTimeout"/>).</param>
    public PartitionEntity(IPartitionRows rows, IPartitionLocator? locator, TimeSpan? transferTimeout = null)
    {
        _rows = rows;
        _locator = locator ?? Shipping.PartitionLocators.Get(Context.System).Locator ?? SharedPathPartitionLocator.Instance;
        _chunks = new CommandChunks(transferTimeout);
        ReceiveAsync<IPartitionCommand>(command => AnswerAsync(command, Sender));
        // A command too large for one frame (draws, a model): the pieces are put together, then handled as if it had come whole.
        ReceiveAsync<BlockCommandChunk>(chunk => _chunks.Add(chunk, _log, Timers) switch
        {
            IPartitionCommand command => AnswerAsync(command, Sender),
            { } other => Refuse(other, Sender),
            null => Task.CompletedTask,
        });
        Receive<CommandChunks.Expire>(e => _chunks.OnExpire(e, _log));
        Receive<AnswerSent>(_ => { });
    }

    /// <summary>Props for the sharding region (see <see cref="WorkerHost"/>): on the compute dispatcher.</summary>
    public static Props Props(string computeDispatcher, IPartitionRows rows, IPartitionLocator? locator, TimeSpan? transferTimeout = null) =>
        Akka.Actor.Props.Create(() => new PartitionEntity(rows, locator, transferTimeout)).WithDispatcher(computeDispatcher);

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private async Task AnswerAsync(IPartitionCommand command, IActorRef asker)
    {
        IBlockReply reply;
        try
        {
            var local = await _locator.LocateAsync(command.Partition, _stopping.Token);
            // A part streamed back to the client: the entity waits, its mailbox held, until the client has it.
            reply = command.WithPartition(local) is StreamPartitionPredictions stream
                ? await PredictionPartStreamer.AnswerAsync(stream, Context, _rows, _log)
                : BlockAnswers.Compute(_log, command, () => BlockEntity.AnswerPartition(command.WithPartition(local), Context.System, _log, _rows));
        }
        catch (InvalidInputException e)
        {
            _log.Warning("partition {0} of job {1} cannot be located here: {2}", command.BlockIndex, command.JobId, e.Message);
            reply = new PartitionUnreadable(command.JobId, command.BlockIndex, WorkerNames.Of(Context.System), e.Message);
        }
        catch (Exception e)
        {
            _log.Warning("partition {0} of job {1} failed: {2}", command.BlockIndex, command.JobId, e.Message);
            reply = new BlockFailed(command.JobId, command.BlockIndex, $"{e.GetType().Name}: {e.Message}");
        }
        BlockAnswers.Send(asker, reply, Self);
        // Handling one more message drops this one, whose sender — in one process, the asker's future — holds the
        // reply: an entity that lives on must not keep a partition's m×m partial alive until its next command.
        Self.Tell(AnswerSent.Instance);
    }

    private Task Refuse(IBlockCommand command, IActorRef asker)
    {
        BlockAnswers.Send(asker, new BlockFailed(command.JobId, command.BlockIndex,
            $"NotSupportedException: a partition entity does not compute {command.GetType().Name}"), Self);
        return Task.CompletedTask;
    }

    /// <summary>Told to itself after each answer (see <see cref="AnswerAsync"/>).</summary>
    private sealed class AnswerSent : INoSerializationVerificationNeeded
    {
        public static readonly AnswerSent Instance = new();
    }
}

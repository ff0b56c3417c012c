using Akka.Actor;
using Akka.Event;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Shipping;

namespace NtkCluster.Worker.Entities;

/// <summary>
/// Sends one prediction part, spooled in a file of this worker, back to the client through the job's session
/// (<see cref="StreamPartitionPredictions"/>): announced with its size, then sent by a <see cref="ChunkedFileSender"/> —
/// this worker, the session and the client each hold a few chunks, never the part — then sealed with its SHA-256, which
/// the client checks before it renames the part into place and answers <see cref="PredictionPartStored"/>.
/// A child of the partition entity, which waits for <c>done</c>.
/// </summary>
public sealed class PredictionPartStreamer : ReceiveActor
{
    /// <summary>A part whose client stops acknowledging for this long is given up (the client or the coordinator is gone).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    private sealed record Begin : INoSerializationVerificationNeeded;

    private readonly string _file;
    private readonly string _partName;
    private readonly ActorSelection _session;
    private readonly TaskCompletionSource _done;
    private readonly string _transferId;
    private IActorRef _self = ActorRefs.Nobody;
    private ChunkedFileSender? _sender;

    public PredictionPartStreamer(string file, string partName, string session, TaskCompletionSource done)
    {
        _file = file;
        _partName = partName;
        _done = done;
        _session = Context.ActorSelection(session);
        _transferId = $"{WorkerNames.Of(Context.System)}/{Guid.NewGuid():N}";
        ReceiveAsync<Begin>(async _ =>
        {
            _sender = ChunkedFileSender.OfFile(_transferId, _file);
            _session.Tell(new PredictionPartStream(_transferId, _partName, _sender.Length, _sender.Chunks), _self);
            await Fill();
        });
        ReceiveAsync<TransferAck>(a => a.RequestId == _transferId, async a =>
        {
            if (!_sender!.Acknowledge(a.Index))
            {
                Give(new IOException($"the stream of {_partName} broke: acknowledgement of chunk {a.Index} out of order"));
                return;
            }
            await Fill();
        });
        Receive<PredictionPartStored>(m => m.TransferId == _transferId, _ =>
        {
            _done.TrySetResult();
            Context.Stop(Self);
        });
        Receive<PredictionPartFailed>(m => m.TransferId == _transferId, m => Give(new IOException($"the client could not take {_partName}: {m.Reason}")));
        Receive<ReceiveTimeout>(_ =>
        {
            _session.Tell(new PredictionPartFailed(_transferId, $"worker {WorkerNames.Of(Context.System)} gave up"), _self);
            Give(new IOException($"the client stopped taking {_partName} (nothing for {IdleTimeout.TotalSeconds:0} s)"));
        });
    }

    protected override void PreStart()
    {
        _self = Self;
        Context.SetReceiveTimeout(IdleTimeout);
        Self.Tell(new Begin());
    }

    protected override void PostStop()
    {
        _sender?.Dispose();
        _done.TrySetException(new IOException($"the stream of {_partName} stopped before the client had it"));
    }

    private async Task Fill()
    {
        if (await _sender!.FillAsync(c => _session.Tell(c, _self)) is { } sha256)
            _session.Tell(new PredictionPartSealed(_transferId, sha256), _self);
    }

    private void Give(Exception e)
    {
        _done.TrySetException(e);
        Context.Stop(Self);
    }

    public static Props Props(string file, string partName, string session, TaskCompletionSource done) =>
        Akka.Actor.Props.Create(() => new PredictionPartStreamer(file, partName, session, done));

    /// <summary>
    /// A <see cref="StreamPartitionPredictions"/> command's answer: the part written to a spool directory of this worker
    /// (<see cref="PartitionComputations.WritePredictions"/>, the very bytes a worker writes into a shared output), streamed
    /// to the client by a child <see cref="PredictionPartStreamer"/>, and the spool removed; the receipt once the client
    /// has the part. A partition this worker cannot read is <see cref="PartitionUnreadable"/>, as for every partition command.
    /// </summary>
    internal static async Task<IBlockReply> AnswerAsync(StreamPartitionPredictions m, IUntypedActorContext context, IPartitionRows rows, ILoggingAdapter log)
    {
        string spool = Path.Combine(Path.GetTempPath(), "ntk-prediction-spool", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(spool);
            PredictionPart part;
            try
            {
                part = PartitionComputations.WritePredictions(m.Partition, m.Model, m.Columns, m.DatasetRows, spool, m.PartName, rows, m.Keep);
            }
            catch (InvalidInputException e)
            {
                log.Warning("partition {0} of job {1} cannot be read here: {2}", m.BlockIndex, m.JobId, e.Message);
                return new PartitionUnreadable(m.JobId, m.BlockIndex, WorkerNames.Of(context.System), e.Message);
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            context.ActorOf(Props(Path.Combine(spool, m.PartName), m.PartName, m.Session, done));
            await done.Task;
            return new PartitionPredictionsWritten(m.JobId, m.BlockIndex, part);
        }
        finally
        {
            try
            {
                if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Warning("could not remove the prediction spool {0}: {1}", spool, e.Message);
            }
        }
    }
}

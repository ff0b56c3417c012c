using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Cluster;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Gateway;

/// <summary>
/// One client's job on the coordinator node, from its first chunk to its outcome's last: receives the submission
/// (acknowledging every chunk), runs it on the <see cref="CoordinatorActor"/> with a window sized to the workers Up,
/// forwards the job's progress updates (throttled, <see cref="ProgressThrottle"/>), and sends the outcome back in chunks. A child of the <see cref="GatewayActor"/>.
/// </summary>
/// <remarks>
/// It watches the client: a client that goes away (Ctrl-C, a lost connection) cannot be answered, so its job's
/// outcome is dropped when it arrives (jobs are not cancelled midway: the rounds in flight finish on the workers).
/// </remarks>
public sealed class JobSessionActor : ReceiveActor, IWithTimers
{
    private sealed record Started(string JobId) : INoSerializationVerificationNeeded;

    private sealed record Progress(ProgressUpdate Update) : INoSerializationVerificationNeeded;

    private sealed record FlushProgress : INoSerializationVerificationNeeded;

    private sealed record CheckpointReady(int Step, byte[] Payload) : INoSerializationVerificationNeeded;

    /// <summary>Counts of a stage go to the client at most this often (its bar redraws about as often).</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly ProgressThrottle _throttle = new(ProgressInterval);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>A client that stops sending its submission for this long is given up.</summary>
    public static readonly TimeSpan UploadIdleTimeout = TimeSpan.FromSeconds(60);

    private readonly OpenJob _open;
    private readonly IActorRef _client;
    private readonly IActorRef _coordinator;
    private readonly IActorRef _gateway;
    private readonly Action<string> _log;
    private ChunkAssembly? _upload;
    private ChunkSender? _download;
    private string _jobId = "";
    private bool _clientGone;
    private DateTime _startedAt;
    // train-nn --checkpoint: the checkpoint being sent, the newest one waiting behind it, and an outcome held until
    // both are through (the client must have written the final checkpoint before the command ends).
    private ChunkSender? _checkpointSend;
    private CheckpointReady? _nextCheckpoint;
    private object? _heldOutcome;
    // --rows: the shipments of a job whose client ships its rows; null when the workers read the shared path.
    private ShipmentRelay? _shipments;
    // ntk predict --out-delivery: the parts streamed back to the client; null when the workers write them.
    private PredictionStreamRelay? _parts;

    public JobSessionActor(OpenJob open, IActorRef client, IActorRef coordinator, IActorRef gateway, Action<string> log)
    {
        _open = open;
        _client = client;
        _coordinator = coordinator;
        _gateway = gateway;
        _log = log;
        Receiving();
    }

    private string ClientAddress => _client.Path.Address.ToString();

    protected override void PreStart()
    {
        Context.Watch(_client);
        try
        {
            _upload = ChunkAssembly.Announced(_open.RequestId, _open.PayloadBytes, _open.Chunks);
        }
        catch (InvalidOperationException e)
        {
            _client.Tell(new JobRefused(_open.RequestId, e.Message, true));
            Context.Stop(Self);
            return;
        }
        _client.Tell(new JobOpened(_open.RequestId));
        Context.SetReceiveTimeout(UploadIdleTimeout);
    }

    private void Receiving()
    {
        Receive<TransferChunk>(chunk =>
        {
            bool complete;
            try
            {
                complete = _upload!.Add(chunk);
            }
            catch (InvalidOperationException e)
            {
                Fail(e.Message, badInput: false);
                return;
            }
            Sender.Tell(new TransferAck(chunk.RequestId, chunk.Index));
            if (complete) StartJob();
        });
        Receive<ReceiveTimeout>(_ =>
        {
            _log($"the {_open.Kind} submission from {ClientAddress} stalled (no chunk for {UploadIdleTimeout.TotalSeconds:0} s); dropped");
            Context.Stop(Self);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_client), _ => Context.Stop(Self));
    }

    private void StartJob()
    {
        Context.SetReceiveTimeout(null);
        JobRequest request;
        try
        {
            request = JobPayloads.ReadRequest(_upload!.Join());
        }
        catch (SerializationException e)
        {
            Fail($"the coordinator could not read the submission: {e.Message}", badInput: false);
            return;
        }
        _upload = null;
        var workers = UpWorkers();
        if (workers.Count == 0)
        {
            Fail("no worker node is Up in the cluster (see ntk status); start ntk-worker nodes with --seeds set to this coordinator", badInput: false);
            return;
        }
        int window = request.Window > 0 ? request.Window : Math.Max(1, workers.Sum(m => Math.Max(1, NodeConfig.ThreadsOf(m.Roles))));
        // Remote: the blocks cross the network (large commands go in pieces; blocks lost with a worker are asked again).
        var options = RoundOptions.ForWorkers(window, request.BlockTimeoutSeconds is double s ? TimeSpan.FromSeconds(s) : null) with { Remote = true };
        var self = Self;
        _startedAt = DateTime.UtcNow;
        var submission = request.Submission;
        // The trainer runs here, but the checkpoint file is the client's: each checkpoint goes back to it, which writes it.
        string? SendToClient(NtkCluster.Numerics.Models.NetworkModel model)
        {
            self.Tell(new CheckpointReady(model.Steps, JobPayloads.WriteCheckpoint(model)));
            return null; // the client reports the file once it is written
        }
        if (submission is SubmitTrainNetwork { Checkpointing: { SavePath: not null } checkpointing } network)
            submission = network with { Checkpointing = checkpointing with { Sink = SendToClient } };
        if (submission is SubmitPartitionedTrainNetwork { Checkpointing: { SavePath: not null } partitioned } onPartitions)
            submission = onPartitions with { Checkpointing = partitioned with { Sink = SendToClient } };
        var run = new RunJob(submission, options, update => self.Tell(new Progress(update)), id => self.Tell(new Started(id)));
        int workerNodes = workers.Count;
        if (PartitionsOf(submission) is { } partitions)
        {
            // A partitioned job: first, how its rows reach the workers (--rows): their shared path, or shipped by the client.
            DataPlaneCheck.DecideAsync(Context.System, workers, partitions, request.Rows)
                .PipeTo(Self, failure: e => new DataPlaneCheck.Decision(false, "", $"the check of the workers' files failed: {e.Message}"));
            Become(() => Checking(run, partitions, window, workerNodes));
            return;
        }
        Run(run, window, workerNodes);
    }

    private void Run(RunJob run, int window, int workerNodes)
    {
        _coordinator.Tell(run);
        Become(() => Running(window, workerNodes));
    }

    /// <summary>
    /// The partitions a partitioned job reads (training, then test), whose delivery the data-plane check decides and
    /// whose shipments the client serves; null for a job that carries its rows (or writes where the client does).
    /// <c>ntk report</c> submits partitioned spectral and fit jobs.
    /// </summary>
    private static List<NtkCluster.Numerics.Partitions.DataPartition>? PartitionsOf(object submission) => submission switch
    {
        SubmitPartitionedFit fit => [.. fit.Train, .. fit.Test ?? []],
        SubmitPartitionedSpectral spectral => [.. spectral.Train],
        SubmitPartitionedCrossValidation cv => [.. cv.Train],
        SubmitPartitionedSweep sweep => [.. sweep.Train, .. sweep.Test ?? []],
        SubmitPartitionedTrainNetwork network => [.. network.Train, .. network.Test ?? []],
        SubmitPartitionedPredict predict => [.. predict.Partitions],
        SubmitPartitionedScan scan => [.. scan.Train],
        _ => null,
    };

    private void Checking(RunJob run, List<NtkCluster.Numerics.Partitions.DataPartition> partitions, int window, int workerNodes)
    {
        Receive<DataPlaneCheck.Decision>(d =>
        {
            if (d.Failure is { } failure)
            {
                Fail(failure, badInput: true);
                return;
            }
            _log($"{_open.Kind} job from {ClientAddress}: {d.Note}");
            _client.Tell(new JobProgress(_open.RequestId, ProgressUpdate.Notice(d.Note)));
            if (d.Ship)
            {
                _shipments = new ShipmentRelay();
                Context.ActorSelection("/user/" + Protocol.Shipping.ShippingPaths.Relay).Tell(
                    new PartitionRelayActor.OfferPartitions(partitions.Select(NtkCluster.Numerics.Partitions.ShippedUnit.KeyOf).Distinct().ToArray()), Self);
            }
            if (run.Submission is SubmitPartitionedPredict predict)
            {
                // Then where its parts go (--out-delivery): written by the workers, or streamed back through here.
                OutputDeliveryCheck.DecideAsync(Context.System, UpWorkers(), predict.Directory, predict.Delivery)
                    .PipeTo(Self, failure: e => new OutputDeliveryCheck.Decision(false, "", $"the check of the workers' output failed: {e.Message}"));
                Become(() => CheckingOutput(run, predict, window, workerNodes));
                return;
            }
            Run(run, window, workerNodes);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_client), _ => Context.Stop(Self));
    }

    private void CheckingOutput(RunJob run, SubmitPartitionedPredict predict, int window, int workerNodes)
    {
        Receive<OutputDeliveryCheck.Decision>(d =>
        {
            if (d.Failure is { } failure)
            {
                Fail(failure, badInput: true);
                return;
            }
            _log($"{_open.Kind} job from {ClientAddress}: {d.Note}");
            _client.Tell(new JobProgress(_open.RequestId, ProgressUpdate.Notice(d.Note)));
            if (d.Stream)
            {
                _parts = new PredictionStreamRelay();
                string self = Self.Path.ToStringWithAddress(Cluster.Get(Context.System).SelfAddress);
                run = run with { Submission = predict with { StreamTo = self } };
            }
            Run(run, window, workerNodes);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_client), _ => Context.Stop(Self));
    }

    /// <summary>
    /// Predictions streamed back (<c>--out-delivery</c>): each part's chunks pass from its worker to the client, and the
    /// acknowledgements back, as they come — this session holds none of them.
    /// </summary>
    private void ReceivePredictionParts()
    {
        Receive<Protocol.Shipping.PredictionPartStream>(m =>
        {
            if (_parts is null) Sender.Tell(new Protocol.Shipping.PredictionPartFailed(m.TransferId, $"job {_jobId} streams no predictions"));
            else _parts.Announced(m, Sender, _client, _clientGone, Self);
        });
        Receive<TransferChunk>(c => _parts?.Has(c.RequestId) == true, c => _parts!.Chunk(c, _client, Self));
        Receive<TransferAck>(a => _parts?.Has(a.RequestId) == true, a => _parts!.Ack(a, Self));
        Receive<Protocol.Shipping.PredictionPartSealed>(m => _parts?.Sealed(m, _client, Self));
        Receive<Protocol.Shipping.PredictionPartStored>(m => _parts?.Stored(m, Self));
        Receive<Protocol.Shipping.PredictionPartFailed>(m => _parts?.Failed(m, Sender, _client, Self));
    }

    /// <summary>
    /// Shipping (the job's rows shipped by its client): a worker's request for a partition goes to the client, and the
    /// unit's chunks and their acknowledgements pass through here as they come — this session holds none of them.
    /// </summary>
    private void ReceiveShipments()
    {
        Receive<Protocol.Shipping.RequestPartition>(m =>
        {
            if (_clientGone || _shipments is null)
            {
                Sender.Tell(new Protocol.Shipping.ShipmentFailed(m.TransferId, $"the client of job {_jobId} went away", false));
                return;
            }
            _shipments.Requested(m.TransferId, Sender);
            _client.Tell(new Protocol.Shipping.ShipPartition(_open.RequestId, m.TransferId, m.Partition));
        });
        Receive<Protocol.Shipping.PartitionShipment>(m => _shipments?.Announced(m, Sender, Self));
        Receive<TransferChunk>(c => _shipments?.Has(c.RequestId) == true, c => _shipments!.Chunk(c, Self));
        Receive<TransferAck>(a => _shipments?.Has(a.RequestId) == true, a => _shipments!.Ack(a, Self));
        Receive<Protocol.Shipping.ShipmentSealed>(m => _shipments?.Sealed(m, Self));
        Receive<Protocol.Shipping.ShipmentFailed>(m => _shipments?.Failed(m, Self));
    }

    private void Running(int window, int workerNodes)
    {
        ReceiveShipments();
        ReceivePredictionParts();
        Receive<Started>(m =>
        {
            _jobId = m.JobId;
            _gateway.Tell(new GatewayActor.SessionStarted(m.JobId));
            _log($"job {m.JobId} ({_open.Kind}) from {ClientAddress}: started, {window} block(s) in flight over {workerNodes} worker node(s)");
            if (!_clientGone) _client.Tell(new JobStarted(_open.RequestId, m.JobId, window, workerNodes));
        });
        Receive<Progress>(m =>
        {
            foreach (var update in _throttle.Offer(m.Update, _clock.Elapsed)) Forward(update);
            if (_throttle.Pending is not null && !Timers.IsTimerActive("progress")) Timers.StartSingleTimer("progress", new FlushProgress(), ProgressInterval);
        });
        Receive<FlushProgress>(_ =>
        {
            if (_throttle.TakePending(_clock.Elapsed) is { } update) Forward(update);
            if (_throttle.Pending is not null) Timers.StartSingleTimer("progress", new FlushProgress(), ProgressInterval);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_client), _ =>
        {
            _clientGone = true;
            _parts?.ClientGone(Self);
            _log($"job {_jobId} ({_open.Kind}): its client {ClientAddress} went away; the job runs to its end and its result is dropped");
            if (_heldOutcome is not null) Context.Stop(Self); // the job had ended; only its last checkpoint was on its way
        });
        Receive<CheckpointReady>(m =>
        {
            if (_clientGone) return;
            if (_checkpointSend is null) SendCheckpoint(m);
            else
            {
                // Only the newest matters (each holds the whole state): a slow client skips some, never the last.
                if (_nextCheckpoint is { } skipped) _log($"job {_jobId}: the checkpoint at step {skipped.Step} was overtaken by step {m.Step} before the client could take it");
                _nextCheckpoint = m;
            }
        });
        Receive<TransferAck>(ack => ack.RequestId == _checkpointSend?.Name, ack =>
        {
            try
            {
                if (!_checkpointSend!.OnAck(ack)) return;
            }
            catch (InvalidOperationException e)
            {
                Fail(e.Message, badInput: false);
                return;
            }
            _checkpointSend = null;
            if (_nextCheckpoint is { } next)
            {
                _nextCheckpoint = null;
                SendCheckpoint(next);
            }
            else if (_heldOutcome is { } outcome)
            {
                _heldOutcome = null;
                SendOutcome(outcome);
            }
        });
        Receive<JobFailed>(f =>
        {
            FlushPendingProgress();
            _log($"job {_jobId} ({_open.Kind}) failed after {Elapsed}: {f.Reason}");
            if (!_clientGone) _client.Tell(new JobError(_open.RequestId, f.Reason, f.IsBadInput));
            Context.Stop(Self);
        });
        Receive<JobSucceeded>(succeeded =>
        {
            var outcome = succeeded.Outcome;
            FlushPendingProgress();
            if (_clientGone)
            {
                _log($"job {_jobId} ({_open.Kind}) finished after {Elapsed}; nobody to tell");
                Context.Stop(Self);
                return;
            }
            if (_checkpointSend is not null) _heldOutcome = outcome;
            else SendOutcome(outcome);
        });
    }

    private void SendCheckpoint(CheckpointReady checkpoint)
    {
        _checkpointSend = ChunkSender.ToClient($"{_open.RequestId}/checkpoint-{checkpoint.Step}", checkpoint.Payload, _client, Self);
        _client.Tell(new JobCheckpoint(_open.RequestId, _checkpointSend.Name, checkpoint.Step, _checkpointSend.Bytes, _checkpointSend.Chunks));
        _checkpointSend.Start();
    }

    private void SendOutcome(object outcome)
    {
        byte[] payload;
        try
        {
            payload = JobPayloads.WriteOutcome(outcome);
        }
        catch (Exception e) when (e is ArgumentException or SerializationException)
        {
            Fail($"the coordinator could not send the job's outcome: {e.Message}", badInput: false);
            return;
        }
        _log($"job {_jobId} ({_open.Kind}) finished after {Elapsed}; sending {payload.Length} bytes of outcome to {ClientAddress}");
        _download = ChunkSender.ToClient(_open.RequestId, payload, _client, Self);
        _client.Tell(new JobFinished(_open.RequestId, _download.Bytes, _download.Chunks));
        _download.Start();
        Become(Sending);
        if (_download.Done) Context.Stop(Self);
    }

    private void Sending()
    {
        Receive<TransferAck>(ack =>
        {
            try
            {
                if (_download!.OnAck(ack)) Context.Stop(Self);
            }
            catch (InvalidOperationException e)
            {
                _log($"job {_jobId}: {e.Message}; stopping");
                Context.Stop(Self);
            }
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_client), _ =>
        {
            _log($"job {_jobId} ({_open.Kind}): its client {ClientAddress} went away while its outcome was being sent");
            Context.Stop(Self);
        });
    }

    /// <summary>The last count held back goes before the job's end, so the client's last state is the job's.</summary>
    private void FlushPendingProgress()
    {
        Timers.Cancel("progress");
        if (_throttle.TakePending(TimeSpan.MaxValue) is { } update) Forward(update);
        // What the client shipped: nothing when the workers' caches held every partition (a second job on the same data).
        if (_shipments is not null) Forward(ProgressUpdate.Notice(_shipments.Summary));
        if (_parts is not null) Forward(ProgressUpdate.Notice(_parts.Summary));
    }

    private void Forward(ProgressUpdate update)
    {
        _gateway.Tell(new GatewayActor.SessionProgress(update.Text));
        if (!_clientGone) _client.Tell(new JobProgress(_open.RequestId, update));
    }

    private string Elapsed => $"{(DateTime.UtcNow - _startedAt).TotalSeconds:0.0} s";

    private void Fail(string reason, bool badInput)
    {
        _log($"{_open.Kind} job from {ClientAddress}: {reason}");
        _client.Tell(new JobError(_open.RequestId, reason, badInput));
        Context.Stop(Self);
    }

    /// <summary>Worker-role members that are Up and reachable now.</summary>
    private static List<Member> UpWorkers()
    {
        var state = Cluster.Get(Context.System).State;
        return state.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(BlockSharding.WorkerRole) && !state.Unreachable.Contains(m))
            .ToList();
    }

    public static Props Props(OpenJob open, IActorRef client, IActorRef coordinator, IActorRef gateway, Action<string> log) =>
        Akka.Actor.Props.Create(() => new JobSessionActor(open, client, coordinator, gateway, log));
}

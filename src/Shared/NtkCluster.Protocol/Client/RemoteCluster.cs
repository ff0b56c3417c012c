using System.Net;
using System.Net.Sockets;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Remote;
using NtkCluster.Networks;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// A client of a running multi-node cluster (<c>ntk fit … --cluster H:P</c>): an actor system with plain remoting
/// that never joins the cluster, talking to the coordinator's gateway at <c>H:P/user/gateway</c>. A job's submission —
/// the data read here, so the nodes need no shared file system — goes up in acknowledged chunks, its progress updates
/// come back as the job reports them (rendered here as in local mode), and its outcome comes back in chunks; the command then writes its files
/// exactly as in local mode.
/// </summary>
/// <remarks>
/// A coordinator that dies or restarts while a job runs fails the job at once ("went away; the job was lost"): the
/// client watches the job's session actor and, when the connection to the coordinator drops, checks within seconds
/// whether that session is still there. A coordinator that cannot be reached fails the connection within
/// <see cref="ConnectTimeout"/>.
/// </remarks>
public sealed class RemoteCluster : IJobRunner
{
    /// <summary>How long a client waits for the coordinator's gateway to answer.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Overrides the address this client binds and advertises (default: the local address that routes to the coordinator).</summary>
    public const string ClientHostVariable = "NTK_CLIENT_HOST";

    private readonly ActorSystem _system;
    private readonly IActorRef _gateway;
    private readonly ClusterAddress _address;
    private readonly Action<ProgressUpdate> _progress;
    private readonly int _window;
    private readonly double? _blockTimeoutSeconds;
    private readonly NtkCluster.Numerics.Partitions.RowDelivery _rows;

    private RemoteCluster(ActorSystem system, IActorRef gateway, ClusterAddress address, Action<ProgressUpdate> progress, int window, double? blockTimeoutSeconds,
        NtkCluster.Numerics.Partitions.RowDelivery rows)
    {
        _rows = rows;
        _system = system;
        _gateway = gateway;
        _address = address;
        _progress = progress;
        _window = window;
        _blockTimeoutSeconds = blockTimeoutSeconds;
    }

    /// <inheritdoc />
    public int Window { get; private set; }

    /// <summary>Worker nodes that were Up when the last job started.</summary>
    public int WorkerNodes { get; private set; }

    public ClusterAddress Address => _address;

    /// <summary>Partitions and bytes this client shipped to workers that had no copy (<c>--rows</c>), over all its jobs.</summary>
    public Shipping.ShippingTally Shipped { get; } = new();

    /// <summary>Connects to the coordinator at <paramref name="address"/>.</summary>
    /// <param name="window">Blocks in flight per round; 0 lets the coordinator size it to the workers Up.</param>
    /// <param name="rows">How a partitioned job's rows reach the workers: their shared path, or shipped from here.</param>
    /// <exception cref="JobFailedException">The coordinator cannot be reached, or what answers is not one.</exception>
    public static async Task<RemoteCluster> ConnectAsync(ClusterAddress address, TransportTls? tls, Action<ProgressUpdate> progress, int window = 0,
        double? blockTimeoutSeconds = null, NtkCluster.Numerics.Partitions.RowDelivery rows = NtkCluster.Numerics.Partitions.RowDelivery.Auto)
    {
        var (system, gateway) = await OpenAsync(address, tls);
        return new RemoteCluster(system, gateway, address, progress, window, blockTimeoutSeconds, rows);
    }

    /// <summary>The cluster's members and running jobs, as the coordinator sees them.</summary>
    public static async Task<ClusterStatus> StatusAsync(ClusterAddress address, TransportTls? tls)
    {
        var (system, gateway) = await OpenAsync(address, tls);
        try
        {
            return await gateway.Ask<ClusterStatus>(new StatusRequest(Guid.NewGuid().ToString("N")), TimeSpan.FromSeconds(10));
        }
        catch (AskTimeoutException)
        {
            throw new JobFailedException($"the coordinator at {address} did not answer the status request within 10 s");
        }
        finally
        {
            await TerminateAsync(system);
        }
    }

    public async Task<T> RunAsync<T>(object submission)
    {
        string kind = JobKind.OfShipped(submission).Name;
        byte[] payload = JobPayloads.WriteRequest(new JobRequest(submission, _window, _blockTimeoutSeconds, _rows));
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpoints = ((submission as SubmitTrainNetwork)?.Checkpointing ?? (submission as SubmitPartitionedTrainNetwork)?.Checkpointing)
            is { SavePath: not null } checkpointing
            ? new CheckpointWriter(checkpointing, _progress, done)
            : null;
        // Predictions the workers cannot write come back here, into the output's staging directory.
        var parts = submission is SubmitPartitionedPredict predict ? new PredictionPartsReceiver(predict.Directory) : null;
        _system.ActorOf(Props.Create(() => new ClientJobActor(_gateway, _address.ToString(), kind, payload, _progress, done, OnStarted, checkpoints, Shipped,
            parts)));
        byte[] result = await done.Task;
        if (checkpoints is not null) await checkpoints.Written;
        object outcome;
        try
        {
            outcome = JobPayloads.ReadOutcome(result);
        }
        catch (SerializationException e)
        {
            throw new JobFailedException($"the coordinator at {_address} sent an outcome this client cannot read: {e.Message}");
        }
        return outcome is T typed ? typed : throw new JobFailedException($"the coordinator at {_address} answered a {kind} job with a {outcome.GetType().Name}");
    }

    private void OnStarted(JobStarted started)
    {
        Window = started.Window;
        WorkerNodes = started.WorkerNodes;
    }

    public async ValueTask DisposeAsync() => await TerminateAsync(_system);

    private static async Task TerminateAsync(ActorSystem system) =>
        await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(5)));

    private static async Task<(ActorSystem, IActorRef)> OpenAsync(ClusterAddress address, TransportTls? tls)
    {
        string host = ClientHost(address);
        await ProbeAsync(address);
        var system = NodeConfig.CreateClientSystem(host, tls);
        try
        {
            string path = NodeConfig.GatewayPath(address.ToString(), tls is not null);
            var answer = new TaskCompletionSource<(ActorIdentity Identity, bool Associated)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var probe = system.ActorOf(Props.Create(() => new IdentifyProbe(path, answer)));
            if (await Task.WhenAny(answer.Task, Task.Delay(ConnectTimeout)) != answer.Task)
            {
                system.Stop(probe);
                throw new JobFailedException(
                    $"the coordinator at {address} did not answer within {ConnectTimeout.TotalSeconds:0} s: is {address} exactly the address it " +
                    "advertises (its --public-host; an Akka node ignores messages sent to any other name for it)" +
                    (tls is null ? "?" : $", and does it use the same TLS certificate as {tls.Path}?"));
            }
            var (identity, associated) = answer.Task.Result;
            if (identity.Subject is not null) return (system, identity.Subject);
            // "No such actor" after a successful handshake comes from a cluster node without a gateway; without a
            // handshake it comes from this system's own dead letters: the connection itself failed (TLS or not, the
            // certificate, another protocol on that port).
            if (associated)
                throw new JobFailedException($"{address} is a cluster node but runs no ntk coordinator (is it a worker's port?)");
            throw new JobFailedException($"{address} accepts connections but the handshake with it failed: " +
                (tls is null
                    ? "is it an ntk coordinator, and does the cluster use TLS (then set NTK_TLS_CERTIFICATE and NTK_TLS_PASSWORD here too)?"
                    : $"is it an ntk coordinator, and does it use TLS with the same certificate as {tls.Path}?"));
        }
        catch
        {
            await TerminateAsync(system);
            throw;
        }
    }

    /// <summary>A plain TCP connection first: "nothing listens there" is the commonest mistake, and says so in a moment.</summary>
    private static async Task ProbeAsync(ClusterAddress address)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await client.ConnectAsync(address.Host.Trim('[', ']'), address.Port, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new JobFailedException($"cannot reach the coordinator at {address}: no answer to a connection within {ConnectTimeout.TotalSeconds:0} s (a firewall, or a wrong address?)");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new JobFailedException($"cannot reach the coordinator at {address}: nothing listens there (connection refused); is 'ntk coordinator' running?");
        }
        catch (SocketException e)
        {
            throw new JobFailedException($"cannot reach the coordinator at {address}: {e.Message}");
        }
    }

    /// <summary>Asks a path for its actor, and reports the answer with whether a connection to its node was established.</summary>
    private sealed class IdentifyProbe : ReceiveActor
    {
        private bool _associated;

        public IdentifyProbe(string path, TaskCompletionSource<(ActorIdentity, bool)> answer)
        {
            var target = ActorPath.Parse(path).Address;
            Receive<AssociatedEvent>(e =>
            {
                if (e.RemoteAddress.Equals(target)) _associated = true;
            });
            Receive<ActorIdentity>(id =>
            {
                answer.TrySetResult((id, _associated));
                Context.Stop(Self);
            });
            ReceiveAny(_ => { });
            // Published before the handshake's first message is written, so it is in the mailbox before any answer.
            Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
            Context.ActorSelection(path).Tell(new Identify("gateway"), Self);
        }

        protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
    }

    /// <summary>
    /// The address this client binds and advertises: loopback for a coordinator on loopback, else the local address
    /// the operating system routes to the coordinator through (found by connecting a UDP socket, which sends nothing).
    /// The coordinator answers over the client's own connection, but the address names this client in every reply.
    /// </summary>
    private static string ClientHost(ClusterAddress address)
    {
        if (Environment.GetEnvironmentVariable(ClientHostVariable) is { Length: > 0 } forced) return forced;
        string host = address.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return "127.0.0.1";
        IPAddress[] candidates;
        if (IPAddress.TryParse(host, out var literal)) candidates = [literal];
        else
        {
            try
            {
                candidates = Dns.GetHostAddresses(host);
            }
            catch (SocketException e)
            {
                throw new JobFailedException($"cannot resolve the coordinator's host '{host}': {e.Message}");
            }
        }
        var target = candidates.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? candidates.FirstOrDefault()
            ?? throw new JobFailedException($"the coordinator's host '{host}' has no address");
        if (IPAddress.IsLoopback(target)) return target.AddressFamily == AddressFamily.InterNetworkV6 ? "::1" : "127.0.0.1";
        try
        {
            using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(target, address.Port);
            return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return Dns.GetHostName();
        }
    }

    /// <summary>
    /// Writes a cluster train-nn run's checkpoints where the user asked (they arrive from the coordinator, which runs
    /// the training), one after another off the actor's thread, in the order they came. A checkpoint that cannot be
    /// written fails the job at once: continuing would spend the run's time on state nobody can resume from.
    /// </summary>
    private sealed class CheckpointWriter(NetworkCheckpointing checkpointing, Action<ProgressUpdate> progress, TaskCompletionSource<byte[]> job)
    {
        public Task Written { get; private set; } = Task.CompletedTask;

        public void Add(int step, byte[] payload) =>
            Written = Written.ContinueWith(previous =>
            {
                if (previous.IsFaulted) return;
                try
                {
                    var model = JobPayloads.ReadCheckpoint(payload);
                    if (model.Steps != step) throw new SerializationException($"the checkpoint announced for step {step} holds step {model.Steps}");
                    if (checkpointing.Take(model) is { } where) progress(ProgressUpdate.Notice($"checkpoint at step {step} {where}"));
                }
                catch (SerializationException e)
                {
                    job.TrySetException(new JobFailedException($"the checkpoint at step {step} from the coordinator is unreadable: {e.Message}"));
                    throw;
                }
                catch (Exception e)
                {
                    job.TrySetException(e);
                    throw;
                }
            }, TaskScheduler.Default);
    }

    /// <summary>
    /// One job's conversation with the coordinator: open, upload in acknowledged chunks, relay progress, download the
    /// outcome in acknowledged chunks. Completes <c>done</c> with the outcome's bytes, or fails it with the reason.
    /// </summary>
    private sealed class ClientJobActor : ReceiveActor, IWithTimers
    {
        private sealed record OpenTimedOut : INoSerializationVerificationNeeded;

        private sealed record ConnectionCheckTimedOut(int Check) : INoSerializationVerificationNeeded;

        private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(15);
        private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(4);

        public ITimerScheduler Timers { get; set; } = null!;

        private readonly IActorRef _gateway;
        private readonly string _address;
        private readonly string _kind;
        private readonly byte[] _payload;
        private readonly Action<ProgressUpdate> _progress;
        private readonly TaskCompletionSource<byte[]> _done;
        private readonly Action<JobStarted> _onStarted;
        private readonly CheckpointWriter? _checkpoints;
        private readonly PredictionPartsReceiver? _parts;
        private (JobCheckpoint Announced, ChunkAssembly Chunks)? _checkpoint;
        private readonly string _requestId = Guid.NewGuid().ToString("N");
        private IActorRef? _session;
        private ChunkSender? _upload;
        private ChunkAssembly? _download;
        private int _check;
        private int? _pendingCheck;

        public ClientJobActor(IActorRef gateway, string address, string kind, byte[] payload, Action<ProgressUpdate> progress,
            TaskCompletionSource<byte[]> done, Action<JobStarted> onStarted, CheckpointWriter? checkpoints, Shipping.ShippingTally shipped,
            PredictionPartsReceiver? parts)
        {
            _parts = parts;
            _gateway = gateway;
            _address = address;
            _kind = kind;
            _payload = payload;
            _progress = progress;
            _done = done;
            _onStarted = onStarted;
            _checkpoints = checkpoints;

            Receive<JobOpened>(_ =>
            {
                _session = Sender;
                Context.Watch(_session);
                _upload = ChunkSender.ToClient(_requestId, _payload, _session, Self);
                _upload.Start();
            });
            Receive<OpenTimedOut>(_ =>
            {
                if (_session is null) Fail(new JobFailedException($"the coordinator at {_address} did not accept the {_kind} job within {OpenTimeout.TotalSeconds:0} s"));
            });
            Receive<JobRefused>(m => Fail(m.IsBadInput ? new InvalidInputException(m.Reason) : new JobFailedException(m.Reason)));
            Receive<TransferAck>(ack => Guarded(() => _upload?.OnAck(ack)));
            Receive<JobStarted>(m =>
            {
                _onStarted(m);
                _progress(ProgressUpdate.Notice($"job {m.JobId} runs on the cluster at {_address}: {m.Window} block(s) in flight over {m.WorkerNodes} worker node(s)"));
            });
            Receive<JobProgress>(m => _progress(m.Update));
            // A worker has no copy of a partition: its unit is read from this client's file and sent, chunk by chunk.
            Receive<Shipping.ShipPartition>(m => Context.ActorOf(Shipping.PartitionShipper.Props(Sender, m, shipped)));
            // ntk predict --out-delivery: a part the workers cannot write arrives in chunks, each written before it is acknowledged.
            Receive<Shipping.PredictionPartStream>(m =>
            {
                var refused = _parts is null ? new Shipping.PredictionPartFailed(m.TransferId, "this job streams no predictions") : _parts.Begin(m);
                if (refused is not null) Sender.Tell(refused);
            });
            ReceiveAsync<TransferChunk>(chunk => _parts?.Has(chunk.RequestId) == true, async chunk =>
            {
                var sender = Sender;
                sender.Tell(await _parts!.ChunkAsync(chunk), Self);
            });
            // A part's transfer replaced by a newer one (or given up): its chunks still on their way are dropped, unacknowledged.
            Receive<TransferChunk>(chunk => _parts is not null && chunk.RequestId != _requestId && chunk.RequestId != _checkpoint?.Announced.TransferId, _ => { });
            ReceiveAsync<Shipping.PredictionPartSealed>(async m =>
            {
                var sender = Sender;
                if (_parts is not null) sender.Tell(await _parts.SealAsync(m), Self);
            });
            Receive<Shipping.PredictionPartFailed>(m => _parts?.Failed(m));
            Receive<JobFinished>(m => Guarded(() =>
            {
                _download = ChunkAssembly.Announced(_requestId, m.PayloadBytes, m.Chunks);
                if (_download.IsComplete) Succeed();
            }));
            Receive<JobCheckpoint>(m => Guarded(() =>
            {
                if (_checkpoints is null) throw new InvalidOperationException("a checkpoint arrived for a job that asked for none");
                if (_checkpoint is { } arriving) throw new InvalidOperationException($"checkpoint {m.Step} announced while {arriving.Announced.Step} was arriving");
                _checkpoint = (m, ChunkAssembly.Announced(m.TransferId, m.PayloadBytes, m.Chunks));
                if (_checkpoint.Value.Chunks.IsComplete) CheckpointArrived();
            }));
            Receive<TransferChunk>(chunk => chunk.RequestId == _checkpoint?.Announced.TransferId, chunk => Guarded(() =>
            {
                bool complete = _checkpoint!.Value.Chunks.Add(chunk);
                Sender.Tell(new TransferAck(chunk.RequestId, chunk.Index));
                if (complete) CheckpointArrived();
            }));
            Receive<TransferChunk>(chunk => Guarded(() =>
            {
                if (_download is null) throw new InvalidOperationException($"an outcome chunk arrived before the outcome was announced");
                bool complete = _download.Add(chunk);
                Sender.Tell(new TransferAck(chunk.RequestId, chunk.Index));
                if (complete) Succeed();
            }));
            Receive<JobError>(m => Fail(m.IsBadInput ? new InvalidInputException(m.Reason) : new JobFailedException(m.Reason)));
            Receive<Terminated>(_ => Lost());
            Receive<DisassociatedEvent>(e =>
            {
                if (!e.RemoteAddress.Equals(_gateway.Path.Address) || _pendingCheck is not null) return;
                // The connection dropped: a coordinator that died or restarted, or a network blip. Ask whether the job's
                // session (or, before it exists, the gateway) is still there; silence or "no such actor" means lost.
                _pendingCheck = ++_check;
                var target = _session ?? _gateway;
                Context.ActorSelection(target.Path).Tell(new Identify(_pendingCheck.Value), Self);
                Timers.StartSingleTimer("connection-check", new ConnectionCheckTimedOut(_pendingCheck.Value), CheckTimeout);
            });
            Receive<ActorIdentity>(id =>
            {
                if (id.MessageId is not int check || check != _pendingCheck) return;
                _pendingCheck = null;
                if (id.Subject is null || !id.Subject.Equals(_session ?? _gateway)) Lost();
            });
            Receive<ConnectionCheckTimedOut>(m =>
            {
                if (m.Check == _pendingCheck) Lost();
            });
        }

        protected override void PreStart()
        {
            Context.Watch(_gateway);
            Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
            _gateway.Tell(new OpenJob(_requestId, _kind, _payload.LongLength, ChunkedTransfer.ChunkCount(_payload.LongLength, ChunkedTransfer.ClientChunkBytes), ProgramInfo.Version));
            Timers.StartSingleTimer("open", new OpenTimedOut(), OpenTimeout);
        }

        protected override void PostStop()
        {
            _parts?.Dispose();
            Context.System.EventStream.Unsubscribe(Self);
            _done.TrySetException(new JobFailedException($"the {_kind} job's client stopped before the job finished"));
        }

        private void Guarded(Action action)
        {
            try
            {
                action();
            }
            catch (InvalidOperationException e)
            {
                Fail(new JobFailedException($"the transfer with the coordinator at {_address} broke: {e.Message}"));
            }
        }

        private void CheckpointArrived()
        {
            var (announced, chunks) = _checkpoint!.Value;
            _checkpoints!.Add(announced.Step, chunks.Join());
            _checkpoint = null;
        }

        private void Succeed()
        {
            // Unfinished transfers (a part asked again after its worker died) are dropped before the output is committed.
            _parts?.Dispose();
            _done.TrySetResult(_download!.Join());
            Context.Stop(Self);
        }

        private void Lost() => Fail(new JobFailedException($"the coordinator at {_address} went away; the job was lost"));

        private void Fail(Exception e)
        {
            _parts?.Dispose();
            _done.TrySetException(e);
            Context.Stop(Self);
        }
    }
}

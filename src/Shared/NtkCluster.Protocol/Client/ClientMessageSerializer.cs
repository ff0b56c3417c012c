using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Serialization;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// The binary serializer of the client ↔ coordinator messages (<see cref="IClientMessage"/>), in the primitives of
/// <see cref="PayloadWriter"/>/<see cref="PayloadReader"/>: one format-version byte, then the fields in declaration
/// order. A chunk's bytes are appended raw after its header, so a 512 KiB chunk costs one copy each way.
/// </summary>
/// <remarks>Job submissions and outcomes — data sets, models, matrices — are not messages of their own: they travel
/// as the bytes of a transfer (<see cref="TransferChunk"/>), written with <see cref="NumericsPayloads"/> by the
/// coordinator program's job codec, so they too are raw IEEE-754 bits, never JSON.</remarks>
public sealed class ClientMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id on the wire (the cluster's own is 7411).</summary>
    public const int SerializerId = 7412;

    /// <summary>The first byte of every payload. Bump it when a message's layout changes incompatibly.</summary>
    public const byte FormatVersion = 1;

    public const string OpenJobManifest = "c-open", JobOpenedManifest = "c-opened", JobRefusedManifest = "c-refused",
        ChunkManifest = "c-chunk", AckManifest = "c-ack", JobStartedManifest = "c-started", JobProgressManifest = "c-progress-2",
        JobFinishedManifest = "c-finished", JobErrorManifest = "c-error", JobCheckpointManifest = "c-checkpoint", StatusRequestManifest = "c-status?", ClusterStatusManifest = "c-status";

    public static IReadOnlyList<string> Manifests { get; } =
    [
        OpenJobManifest, JobOpenedManifest, JobRefusedManifest, ChunkManifest, AckManifest, JobStartedManifest, JobProgressManifest,
        JobFinishedManifest, JobErrorManifest, JobCheckpointManifest, StatusRequestManifest, ClusterStatusManifest,
    ];

    public ClientMessageSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        OpenJob => OpenJobManifest,
        JobOpened => JobOpenedManifest,
        JobRefused => JobRefusedManifest,
        TransferChunk => ChunkManifest,
        TransferAck => AckManifest,
        JobStarted => JobStartedManifest,
        JobProgress => JobProgressManifest,
        JobFinished => JobFinishedManifest,
        JobError => JobErrorManifest,
        JobCheckpoint => JobCheckpointManifest,
        StatusRequest => StatusRequestManifest,
        ClusterStatus => ClusterStatusManifest,
        _ => throw new SerializationException($"{nameof(ClientMessageSerializer)} does not serialize {o?.GetType().FullName ?? "null"}"),
    };

    public override byte[] ToBinary(object obj)
    {
        var w = new PayloadWriter();
        w.WriteByte(FormatVersion);
        try
        {
            switch (obj)
            {
                case OpenJob m:
                    w.WriteString(m.RequestId); w.WriteString(m.Kind); w.WriteInt64(m.PayloadBytes); w.WriteInt32(m.Chunks); w.WriteString(m.ClientVersion);
                    break;
                case JobOpened m:
                    w.WriteString(m.RequestId);
                    break;
                case JobRefused m:
                    w.WriteString(m.RequestId); w.WriteString(m.Reason); w.WriteBool(m.IsBadInput);
                    break;
                case TransferChunk m:
                    return WriteChunk(w, m);
                case TransferAck m:
                    w.WriteString(m.RequestId); w.WriteInt32(m.Index);
                    break;
                case JobStarted m:
                    w.WriteString(m.RequestId); w.WriteString(m.JobId); w.WriteInt32(m.Window); w.WriteInt32(m.WorkerNodes);
                    break;
                case JobProgress m:
                    w.WriteString(m.RequestId);
                    WriteUpdate(w, m.Update);
                    break;
                case JobFinished m:
                    w.WriteString(m.RequestId); w.WriteInt64(m.PayloadBytes); w.WriteInt32(m.Chunks);
                    break;
                case JobError m:
                    w.WriteString(m.RequestId); w.WriteString(m.Reason); w.WriteBool(m.IsBadInput);
                    break;
                case JobCheckpoint m:
                    w.WriteString(m.RequestId); w.WriteString(m.TransferId); w.WriteInt32(m.Step); w.WriteInt64(m.PayloadBytes); w.WriteInt32(m.Chunks);
                    break;
                case StatusRequest m:
                    w.WriteString(m.RequestId);
                    break;
                case ClusterStatus m:
                    WriteStatus(w, m);
                    break;
                default:
                    throw new SerializationException($"{nameof(ClientMessageSerializer)} does not serialize {obj?.GetType().FullName ?? "null"}");
            }
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new SerializationException($"{nameof(ClientMessageSerializer)} (id {SerializerId}) cannot write a {obj.GetType().Name}: {e.Message}", e);
        }
        return w.ToPayload();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Manifests.Contains(manifest))
            throw new SerializationException(
                $"{nameof(ClientMessageSerializer)} (id {SerializerId}) does not know the manifest '{manifest}' ({bytes.Length} bytes); " +
                "is the other side running a different version of ntk?");
        var r = new PayloadReader(bytes);
        byte version = r.ReadByte("the format version");
        if (version != FormatVersion)
            throw new SerializationException(
                $"{nameof(ClientMessageSerializer)}: a '{manifest}' message has format version {version}, this program reads {FormatVersion}; " +
                "client and coordinator must run the same version of ntk");
        if (manifest == ChunkManifest) return ReadChunk(ref r, bytes);
        object message = manifest switch
        {
            OpenJobManifest => new OpenJob(r.ReadString("the request id"), r.ReadString("the job kind"), r.ReadInt64("the payload size"),
                r.ReadInt32("the chunk count"), r.ReadString("the client version")),
            JobOpenedManifest => new JobOpened(r.ReadString("the request id")),
            JobRefusedManifest => new JobRefused(r.ReadString("the request id"), r.ReadString("the reason"), r.ReadBool("the bad-input flag")),
            AckManifest => new TransferAck(r.ReadString("the request id"), r.ReadInt32("the chunk index")),
            JobStartedManifest => new JobStarted(r.ReadString("the request id"), r.ReadString("the job id"), r.ReadInt32("the window"), r.ReadInt32("the worker count")),
            JobProgressManifest => new JobProgress(r.ReadString("the request id"), ReadUpdate(ref r)),
            JobFinishedManifest => new JobFinished(r.ReadString("the request id"), r.ReadInt64("the payload size"), r.ReadInt32("the chunk count")),
            JobErrorManifest => new JobError(r.ReadString("the request id"), r.ReadString("the reason"), r.ReadBool("the bad-input flag")),
            JobCheckpointManifest => new JobCheckpoint(r.ReadString("the request id"), r.ReadString("the transfer id"), r.ReadInt32("the step"),
                r.ReadInt64("the payload size"), r.ReadInt32("the chunk count")),
            StatusRequestManifest => new StatusRequest(r.ReadString("the request id")),
            _ => ReadStatus(ref r),
        };
        r.ExpectEnd();
        return message;
    }

    private static byte[] WriteChunk(PayloadWriter w, TransferChunk m)
    {
        ArgumentNullException.ThrowIfNull(m.Data);
        if (m.Data.Length > ChunkedTransfer.ClientChunkBytes)
            throw new SerializationException($"a chunk of {m.Data.Length} bytes exceeds the limit of {ChunkedTransfer.ClientChunkBytes}");
        w.WriteString(m.RequestId);
        w.WriteInt32(m.Index);
        w.WriteInt32(m.Data.Length);
        var header = w.ToPayload();
        var payload = GC.AllocateUninitializedArray<byte>(header.Length + m.Data.Length);
        header.CopyTo(payload, 0);
        m.Data.CopyTo(payload, header.Length);
        return payload;
    }

    private static TransferChunk ReadChunk(ref PayloadReader r, byte[] bytes)
    {
        string id = r.ReadString("the request id");
        int index = r.ReadInt32("the chunk index");
        int length = r.ReadInt32("the chunk length");
        if (index < 0) throw new SerializationException($"corrupt payload: chunk index {index}");
        if (length < 0 || length > ChunkedTransfer.ClientChunkBytes || length != r.Remaining)
            throw new SerializationException($"corrupt payload: a chunk claims {length} bytes, {r.Remaining} follow (at most {ChunkedTransfer.ClientChunkBytes})");
        // The raw bytes are the rest of the payload (checked above), so nothing is left unread.
        return new TransferChunk(id, index, bytes.AsSpan(r.Position, length).ToArray());
    }

    private static void WriteUpdate(PayloadWriter w, ProgressUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        w.WriteByte((byte)u.Kind);
        w.WriteString(u.Stage);
        w.WriteInt64(u.Done);
        if (w.WritePresence(u.Total)) w.WriteInt64(u.Total!.Value);
        w.WriteString(u.Unit);
        if (w.WritePresence(u.Detail)) w.WriteString(u.Detail!);
    }

    private static ProgressUpdate ReadUpdate(ref PayloadReader r)
    {
        byte kind = r.ReadByte("the progress kind");
        if (!Enum.IsDefined((ProgressKind)kind)) throw new SerializationException($"corrupt payload: progress kind {kind}");
        string stage = r.ReadString("the progress stage");
        long done = r.ReadInt64("the units done");
        long? total = r.ReadPresence("the units in all") ? r.ReadInt64("the units in all") : null;
        string unit = r.ReadString("the progress unit");
        string? detail = r.ReadPresence("the progress detail") ? r.ReadString("the progress detail") : null;
        return new ProgressUpdate((ProgressKind)kind, stage, done, total, unit, detail);
    }

    private static void WriteStatus(PayloadWriter w, ClusterStatus m)
    {
        w.WriteString(m.RequestId);
        w.WriteString(m.Coordinator);
        w.WriteString(m.Version);
        w.WriteInt32(m.Nodes.Length);
        foreach (var n in m.Nodes)
        {
            w.WriteString(n.Address); w.WriteStrings(n.Roles); w.WriteString(n.Status); w.WriteBool(n.Reachable); w.WriteInt32(n.Threads);
        }
        w.WriteInt32(m.Jobs.Length);
        foreach (var j in m.Jobs)
        {
            w.WriteString(j.JobId); w.WriteString(j.Kind); w.WriteInt64(j.StartedUnixMs);
            if (w.WritePresence(j.LastProgress)) w.WriteString(j.LastProgress!);
            w.WriteString(j.Client);
        }
    }

    private static ClusterStatus ReadStatus(ref PayloadReader r)
    {
        string id = r.ReadString("the request id");
        string coordinator = r.ReadString("the coordinator address");
        string version = r.ReadString("the coordinator version");
        var nodes = new NodeStatus[r.ReadCount("the nodes", 14)];
        for (int i = 0; i < nodes.Length; i++)
            nodes[i] = new NodeStatus(r.ReadString("a node address"), r.ReadStrings("a node's roles"), r.ReadString("a node status"),
                r.ReadBool("a node's reachability"), r.ReadInt32("a node's threads"));
        var jobs = new JobStatus[r.ReadCount("the jobs", 22)];
        for (int i = 0; i < jobs.Length; i++)
            jobs[i] = new JobStatus(r.ReadString("a job id"), r.ReadString("a job kind"), r.ReadInt64("a job start"),
                r.ReadPresence("a job's progress") ? r.ReadString("a job's progress") : null, r.ReadString("a job's client"));
        return new ClusterStatus(id, coordinator, version, nodes, jobs);
    }
}

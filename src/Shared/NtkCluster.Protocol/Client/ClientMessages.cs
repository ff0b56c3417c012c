using NtkCluster.Numerics.Execution;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// Marker for every message between a client (<c>ntk fit --cluster</c>, <c>ntk status</c>) and the coordinator's
/// gateway: the one interface <see cref="ClientMessageSerializer"/> is bound to. Clients never join the cluster;
/// they talk to the gateway over plain remoting.
/// </summary>
public interface IClientMessage;

// ---------------------------------------------------------------------------------------------------- a job
//
// client → gateway        OpenJob
// session → client        JobOpened (its sender is the job's session actor) or JobRefused
// client → session        TransferChunk × Chunks, each answered by TransferAck (at most ChunkedTransfer.ClientWindow unacknowledged)
// session → client        JobStarted, then JobProgress updates as the job reports them (counts at most ~10 a second)
// session → client        JobCheckpoint (train-nn --checkpoint): the checkpoint follows as TransferChunks named by its
//                         TransferId, acknowledged the same way; one at a time, all of them before JobFinished
// session → client        JobFinished (the outcome follows as TransferChunks, acknowledged the same way) or JobError

/// <summary>Opens a job: its submission (kind and data) follows as <paramref name="Chunks"/> chunks of
/// <paramref name="PayloadBytes"/> bytes in all.</summary>
/// <param name="RequestId">Chosen by the client; names the job's transfers in both directions.</param>
/// <param name="Kind">fit, spectral, sweep, train-nn or predict (for logs and <c>ntk status</c>).</param>
/// <param name="ClientVersion">The client's program version: a coordinator of another version refuses the job.</param>
public sealed record OpenJob(string RequestId, string Kind, long PayloadBytes, int Chunks, string ClientVersion) : IClientMessage;

/// <summary>The session is ready for the submission's chunks; send them to this message's sender.</summary>
public sealed record JobOpened(string RequestId) : IClientMessage;

/// <summary>The job was not accepted (another version, a transfer that is too large, a bad submission).</summary>
public sealed record JobRefused(string RequestId, string Reason, bool IsBadInput) : IClientMessage;

/// <summary>One piece of a transfer (a submission or an outcome), in order from 0; at most
/// <see cref="Serialization.ChunkedTransfer.ClientChunkBytes"/> bytes.</summary>
public sealed record TransferChunk(string RequestId, int Index, byte[] Data) : IClientMessage;

/// <summary>Chunk <paramref name="Index"/> arrived; the sender may send one more.</summary>
public sealed record TransferAck(string RequestId, int Index) : IClientMessage;

/// <summary>The job runs on the coordinator as <paramref name="JobId"/>, with <paramref name="Window"/> blocks in flight
/// per round over <paramref name="WorkerNodes"/> worker nodes that were Up when it started.</summary>
public sealed record JobStarted(string RequestId, string JobId, int Window, int WorkerNodes) : IClientMessage;

/// <summary>One progress update of the job, which the client renders exactly as local mode does.</summary>
public sealed record JobProgress(string RequestId, ProgressUpdate Update) : IClientMessage;

/// <summary>The job succeeded; its outcome follows as <paramref name="Chunks"/> chunks of <paramref name="PayloadBytes"/> bytes.</summary>
public sealed record JobFinished(string RequestId, long PayloadBytes, int Chunks) : IClientMessage;

/// <summary>The job failed; <paramref name="IsBadInput"/> marks the user's input as the cause (exit code 2).</summary>
public sealed record JobError(string RequestId, string Reason, bool IsBadInput) : IClientMessage;

/// <summary>
/// A <c>train-nn --checkpoint</c> checkpoint of the job at <paramref name="Step"/>: it follows as <paramref name="Chunks"/>
/// chunks of <paramref name="PayloadBytes"/> bytes whose request id is <paramref name="TransferId"/>, and the client writes
/// it to the file the user named (the training runs on the coordinator node; the file belongs where the user is).
/// </summary>
public sealed record JobCheckpoint(string RequestId, string TransferId, int Step, long PayloadBytes, int Chunks) : IClientMessage;

// ---------------------------------------------------------------------------------------------------- status

/// <summary>Asks the gateway for the cluster's members and running jobs; answered with <see cref="ClusterStatus"/>.</summary>
public sealed record StatusRequest(string RequestId) : IClientMessage;

/// <summary>One cluster member as the coordinator sees it.</summary>
/// <param name="Status">Akka's membership status: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed.</param>
/// <param name="Reachable">False when the coordinator's failure detector considers it unreachable.</param>
/// <param name="Threads">A worker's compute threads (its <c>--threads</c>), 0 when not known.</param>
public sealed record NodeStatus(string Address, string[] Roles, string Status, bool Reachable, int Threads);

/// <summary>A job running on the coordinator.</summary>
/// <param name="StartedUnixMs">When it started, in milliseconds since 1970-01-01 UTC.</param>
/// <param name="LastProgress">Its latest progress line, if any.</param>
/// <param name="Client">The client's address.</param>
public sealed record JobStatus(string JobId, string Kind, long StartedUnixMs, string? LastProgress, string Client);

/// <summary>The answer to <see cref="StatusRequest"/>.</summary>
public sealed record ClusterStatus(string RequestId, string Coordinator, string Version, NodeStatus[] Nodes, JobStatus[] Jobs) : IClientMessage;

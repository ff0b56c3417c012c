using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Shipping;

/// <summary>
/// Marker for the messages of the data plane's two services: the shared-path check (a coordinator asks each worker
/// node's data probe how it sees a dataset's files) and shipping (a worker pulls a partition it has no copy of from
/// the client, through the job's session on the coordinator). Bound to <see cref="ShippingMessageSerializer"/>.
/// </summary>
public interface IShippingMessage;

// ---------------------------------------------------------------------------------------------------- the check
//
// coordinator (job session) → worker node's data probe (/user/ntk-data-probe)    ProbeFiles
// data probe → session                                                            FilesProbed

/// <summary>Asks a worker node for the size and content fingerprint of each file, as that node sees them.</summary>
public sealed record ProbeFiles(string RequestId, string[] Paths) : IShippingMessage;

/// <summary>One file as a worker node sees it: its size and sampled hash (<see cref="FileFingerprint"/>), or why it
/// cannot be read there (<paramref name="Error"/>, then size 0 and an empty hash).</summary>
public sealed record ProbedFile(string Path, long Size, string SampleHash, string? Error);

/// <summary>The answer to <see cref="ProbeFiles"/>: the files in the order asked, seen by <paramref name="Worker"/> (host:port).</summary>
public sealed record FilesProbed(string RequestId, string Worker, ProbedFile[] Files) : IShippingMessage;

// ---------------------------------------------------------------------------------------------------- shipping
//
// worker's shipping actor → coordinator's relay (/user/ntk-partition-relay)  RequestPartition (forwarded to the session
//                                                                           of a job that ships the partition's key)
// relay → worker                         PartitionNotShipped (no running job ships it: read the shared path)
// session → client                       ShipPartition
// client → session → worker              PartitionShipment, then TransferChunk × Chunks (each answered by TransferAck,
//                                        worker → session → client, at most a window unacknowledged), then ShipmentSealed
// client or session → worker             ShipmentFailed (the client cannot read its file, or went away)

/// <summary>A worker has no copy of <paramref name="Partition"/>'s unit (<see cref="ShippedUnit"/>) and asks for it;
/// <paramref name="TransferId"/>, chosen by the worker, names the transfer in every later message.</summary>
public sealed record RequestPartition(string TransferId, DataPartition Partition) : IShippingMessage;

/// <summary>No running job ships this partition: the worker reads it from the shared path.</summary>
public sealed record PartitionNotShipped(string TransferId) : IShippingMessage;

/// <summary>The session asks its client to send <paramref name="Partition"/>'s unit as transfer <paramref name="TransferId"/>.</summary>
public sealed record ShipPartition(string RequestId, string TransferId, DataPartition Partition) : IShippingMessage;

/// <summary>A unit of <paramref name="Bytes"/> bytes follows as <paramref name="Chunks"/> <c>TransferChunk</c>s named by <paramref name="TransferId"/>.</summary>
public sealed record PartitionShipment(string TransferId, long Bytes, int Chunks) : IShippingMessage;

/// <summary>Every chunk was sent; <paramref name="Sha256"/> (hex) is the hash of the whole unit, which the worker checks.</summary>
public sealed record ShipmentSealed(string TransferId, string Sha256) : IShippingMessage;

/// <summary>The unit cannot be sent; <paramref name="IsBadInput"/> marks the user's data as the cause (its file changed or is gone).</summary>
public sealed record ShipmentFailed(string TransferId, string Reason, bool IsBadInput) : IShippingMessage;

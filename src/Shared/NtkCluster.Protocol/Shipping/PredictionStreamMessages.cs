namespace NtkCluster.Protocol.Shipping;

// ------------------------------------------------------------------------------------------ the output check
//
// coordinator (job session) → worker node's data probe (/user/ntk-data-probe)    ProbeOutput
// data probe → session                                                            OutputProbed

/// <summary>Asks a worker node whether it can create a file in <paramref name="Directory"/> (the output's staging
/// directory, which the client made with a random name: a node that sees it shares the client's file system).</summary>
public sealed record ProbeOutput(string RequestId, string Directory) : IShippingMessage;

/// <summary>The answer to <see cref="ProbeOutput"/> from <paramref name="Worker"/> (host:port): null
/// <paramref name="Error"/> when it made and removed a file there, else why it could not.</summary>
public sealed record OutputProbed(string RequestId, string Worker, string? Error) : IShippingMessage;

// ------------------------------------------------------------------------------------------ predictions streamed back
//
// worker's part streamer → session (by path)    PredictionPartStream, then TransferChunk × Chunks (each answered by
//                                               TransferAck, client → session → worker, at most a window unacknowledged),
//                                               then PredictionPartSealed
// session → client                              the same, relayed as they come (the session holds none of them)
// client → session → worker                     PredictionPartStored (the part is in the staging directory) or
//                                               PredictionPartFailed (the client cannot write it, or went away)

/// <summary>
/// A part of <paramref name="Bytes"/> bytes named <paramref name="PartName"/> follows as <paramref name="Chunks"/>
/// <c>TransferChunk</c>s named by <paramref name="TransferId"/>. A newer transfer of the same part (the partition asked
/// again after its worker died) replaces an unfinished one.
/// </summary>
public sealed record PredictionPartStream(string TransferId, string PartName, long Bytes, int Chunks) : IShippingMessage;

/// <summary>Every chunk was sent; <paramref name="Sha256"/> (hex) is the hash of the whole part, which the client checks.</summary>
public sealed record PredictionPartSealed(string TransferId, string Sha256) : IShippingMessage;

/// <summary>The client has the part in its staging directory, under its name.</summary>
public sealed record PredictionPartStored(string TransferId) : IShippingMessage;

/// <summary>The part cannot be delivered: the client cannot write it, the bytes arrived damaged, or the client went away.</summary>
public sealed record PredictionPartFailed(string TransferId, string Reason) : IShippingMessage;

using Akka.Actor;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// A job's answer when it succeeded: its outcome (a <c>FitOutcome</c>, <c>NetworkOutcome</c>, prediction matrix, …).
/// The outcomes are the library's plain records; this envelope is what says, within one process, that they are never
/// serialized (a cluster client gets them through the session's own wire format).
/// </summary>
public sealed record JobSucceeded(object Outcome) : INoSerializationVerificationNeeded;

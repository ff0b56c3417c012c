using Akka.Actor;
namespace NtkCluster.Protocol.Jobs;

/// <summary>A job that ended in failure; <see cref="IsBadInput"/> marks failures caused by the user's input (exit code 2).</summary>
public sealed record JobFailed(string Reason, bool IsBadInput) : INoSerializationVerificationNeeded;

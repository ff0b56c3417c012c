using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks for a plain-against-leverage sweep over feature counts (<c>ntk sweep</c>); answered with
/// <see cref="SweepOutcome"/> or <see cref="JobFailed"/>. Each count is fitted with seeds Seed … Seed+Repeats−1.
/// </summary>
public sealed record SubmitSweep(Dataset Train, Dataset? Test, FitSettings Settings, int[] FeatureCounts, int Repeats, int ExactRowLimit) : INoSerializationVerificationNeeded;

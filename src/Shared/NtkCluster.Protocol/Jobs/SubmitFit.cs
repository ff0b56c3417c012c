using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>Asks the coordinator to fit a model; answered with <see cref="FitOutcome"/> or <see cref="JobFailed"/>.</summary>
public sealed record SubmitFit(Dataset Train, Dataset? Test, FitSettings Settings) : INoSerializationVerificationNeeded;

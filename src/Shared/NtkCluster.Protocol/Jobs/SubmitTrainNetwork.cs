using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>Asks the coordinator to train a network; answered with <see cref="NetworkOutcome"/> or <see cref="JobFailed"/>.</summary>
public sealed record SubmitTrainNetwork(Dataset Train, Dataset? Test, NetworkSettings Settings, NetworkCheckpointing? Checkpointing = null) : INoSerializationVerificationNeeded;

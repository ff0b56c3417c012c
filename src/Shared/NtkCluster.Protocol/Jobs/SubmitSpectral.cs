using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks for the spectral report of one feature draw (<c>ntk spectral</c>); answered with <see cref="SpectralOutcome"/>
/// or <see cref="JobFailed"/>.
/// </summary>
/// <param name="Epsilon">The ε at which Theorem 3.3's feature count is reported.</param>
/// <param name="Delta">The failure probability δ of Theorem 3.3.</param>
/// <param name="ExactRowLimit">Up to this many rows ε is exact; beyond, it is measured on a seeded row subsample
/// of this size and is a lower bound.</param>
public sealed record SubmitSpectral(Dataset Train, FitSettings Settings, double Epsilon, double Delta, int ExactRowLimit) : INoSerializationVerificationNeeded;

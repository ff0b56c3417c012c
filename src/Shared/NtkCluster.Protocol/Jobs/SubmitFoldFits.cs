using Akka.Actor;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>
/// Asks for exact KRR fits on <paramref name="Train"/> for several λ at once — one kernel matrix, one Cholesky per λ —
/// and their predictions for <paramref name="Held"/>: a cross-validation fold's work for one kernel. Answered with
/// <see cref="FoldPredictions"/> or <see cref="JobFailed"/>.
/// </summary>
/// <param name="Settings">An exact fit's settings; their λ is ignored for <paramref name="Lambdas"/>.</param>
public sealed record SubmitFoldFits(Dataset Train, Dataset Held, FitSettings Settings, double[] Lambdas) : INoSerializationVerificationNeeded;

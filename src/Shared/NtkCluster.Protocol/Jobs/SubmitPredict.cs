using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Protocol.Jobs;

/// <summary>Asks the coordinator for a model's predictions on raw rows; answered with the prediction matrix or <see cref="JobFailed"/>.</summary>
public sealed record SubmitPredict(IPredictiveModel Model, Matrix<double> X) : INoSerializationVerificationNeeded;

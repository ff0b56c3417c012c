using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>The held-out rows' predictions (target units) of each λ of a <see cref="SubmitFoldFits"/>, in its order.</summary>
public sealed record FoldPredictions(Matrix<double>[] Held, double Seconds) : INoSerializationVerificationNeeded;

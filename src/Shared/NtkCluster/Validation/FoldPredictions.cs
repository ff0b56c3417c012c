using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;

namespace NtkCluster.Validation;

/// <summary>The held-out rows' predictions (target units) of each λ of a fold job (<see cref="FoldFitter.FitAsync"/>), in its order.</summary>
public sealed record FoldPredictions(Matrix<double>[] Held, double Seconds);

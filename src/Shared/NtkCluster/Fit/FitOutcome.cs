using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Fit;

/// <summary>A finished fit: the model, its errors in the target's units, and how long it took; for a classifier fitted on
/// a partitioned dataset, its classes and accuracy too (<see cref="Classification"/>).</summary>
public sealed record FitOutcome(KrrModel Model, double TrainMse, double? TestMse, Matrix<double>? TestPredictions, double Seconds,
    SamplingOutcome? Sampling = null, ClassifierScores? Classification = null, long? TrainRows = null, long? TestRows = null);

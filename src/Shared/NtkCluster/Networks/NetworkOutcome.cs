using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Networks;

/// <summary>
/// A trained network and how close it came to NTK ridge regression. Gaps are relative, in the preprocessed target
/// space: ‖u_nn − u*‖/‖u*‖. MSEs are in the target's own units.
/// </summary>
public sealed record NetworkOutcome(
    NetworkModel Model,
    double LearningRate,
    double TrainMse, double? TestMse,
    double? TrainGap, double? TestGap, double? KrrTrainMse, double? KrrTestMse,
    double MaxWeightMove, double? KernelDrift, double PatternFlips,
    double? ConvergenceExponent,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<TrainingPoint> Trajectory,
    Matrix<double> TrainPredictions, Matrix<double>? TestPredictions,
    double Seconds);

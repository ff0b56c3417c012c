using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Execution;

namespace NtkCluster.Networks;

/// <summary>
/// One progress point of a training run: the loss, with a reference the gap to u*, and with
/// <see cref="NetworkSettings.TrackKernelDrift"/> the kernel drift ‖H(t) − H(0)‖₂/‖H(0)‖₂ at that step.
/// </summary>
public sealed record TrainingPoint(int Step, double Loss, double? TrainGap, double? KernelDrift = null);

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

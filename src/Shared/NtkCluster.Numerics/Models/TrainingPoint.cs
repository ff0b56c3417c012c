namespace NtkCluster.Numerics.Models;

/// <summary>
/// One progress point of a training run: the regularized loss, with a reference the gap to u*, and when tracked the
/// kernel drift ‖H(t) − H(0)‖₂/‖H(0)‖₂ at that step. A run's outcome and its checkpoints (which carry the trajectory
/// so far, for <c>--resume</c>) hold the same points.
/// </summary>
public sealed record TrainingPoint(int Step, double Loss, double? TrainGap, double? KernelDrift = null);

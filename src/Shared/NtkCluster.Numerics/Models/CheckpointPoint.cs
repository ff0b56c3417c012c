namespace NtkCluster.Numerics.Models;

/// <summary>One recorded progress point of a checkpointed training run: the loss, the gap to u*, the kernel drift.</summary>
public sealed record CheckpointPoint(int Step, double Loss, double? TrainGap, double? KernelDrift);

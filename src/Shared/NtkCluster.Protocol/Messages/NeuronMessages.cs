using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;

namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Loads a neuron block: weights w(Step) (a checkpoint; the initial weights at step 0), then replays the residuals
/// of steps Step … Step+k−1 to reach step Step+k. The same message starts a block and restores a lost one.
/// Answered by <see cref="NeuronBlockLoaded"/>.
/// </summary>
public sealed record LoadNeuronBlock(string JobId, int BlockIndex, NeuronBlockSetup Setup, Matrix<double> Weights, int Step,
    IReadOnlyList<double[]> ResidualsSince) : IBlockCommand
{
    public string EntityId => $"{JobId}.neurons.{BlockIndex}";
}

/// <summary>The block is at <see cref="Step"/>; <see cref="Outputs"/> is its part of f(W(Step), X) (without κ).</summary>
public sealed record NeuronBlockLoaded(string JobId, int BlockIndex, int Step, double[] Outputs, double SquaredNorm) : IBlockReply;

/// <summary>
/// One synchronized gradient step: the residual Y − κ·f(W(Step), X) of the whole network, from which the block
/// moves its weights to w(Step+1). Idempotent: a block already at Step+1 answers again without moving.
/// Answered by <see cref="NeuronStepDone"/>, or <see cref="NeuronBlockMissing"/> when the block lost its state.
/// </summary>
public sealed record NeuronStep(string JobId, int BlockIndex, int Step, double[] Residual) : IBlockCommand
{
    public string EntityId => $"{JobId}.neurons.{BlockIndex}";
}

/// <summary>The block's part of f(W(Step), X) after the step, and Σ‖w_r‖² for the loss.</summary>
public sealed record NeuronStepDone(string JobId, int BlockIndex, int Step, double[] Outputs, double SquaredNorm) : IBlockReply;

/// <summary>
/// The entity has no state for the job at the asked step (it was lost, or restarted from nothing): the
/// coordinator restores it with <see cref="LoadNeuronBlock"/> from its last checkpoint and the residuals since.
/// </summary>
public sealed record NeuronBlockMissing(string JobId, int BlockIndex, int? HasStep) : IBlockReply;

/// <summary>Asks a block for its current weights (a checkpoint) and Lemma 4.1's diagnostics on the given rows.</summary>
public sealed record InspectNeuronBlock(string JobId, int BlockIndex, int Step, Matrix<double>? TestX, bool WithKernel) : IBlockCommand
{
    public string EntityId => $"{JobId}.neurons.{BlockIndex}";
}

/// <summary>
/// A block's weights at <see cref="Step"/>, max_r ‖w_r − w_r(0)‖, activation-pattern flips on the training rows,
/// its parts of H(Step) and H(0) (when asked) and of f on the test rows.
/// </summary>
public sealed record NeuronBlockInspected(string JobId, int BlockIndex, int Step, Matrix<double> Weights, double MaxWeightMove,
    long PatternFlips, Matrix<double>? KernelNow, Matrix<double>? KernelInitial, double[]? TestOutputs) : IBlockReply;

/// <summary>The job is over: the block entity stops and frees its memory. Fire and forget.</summary>
public sealed record ReleaseNeuronBlock(string JobId, int BlockIndex) : IBlockCommand
{
    public string EntityId => $"{JobId}.neurons.{BlockIndex}";
}

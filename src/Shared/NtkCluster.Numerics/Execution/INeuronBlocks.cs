using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The neuron blocks of a network in training (Def 3.5, Def 3.8): stateful blocks of hidden neurons that take
/// synchronized gradient steps on the whole network's residual. Every call reduces the blocks' answers in block
/// order, so the trajectory is the same however the blocks are placed.
/// </summary>
/// <remarks>
/// Every call carries the job's <see cref="NeuronLineage"/>: the checkpoint and the residuals since, from which an
/// implementation whose blocks can be lost (a worker node died) restores a block to the asked step exactly. An
/// in-process implementation never loses a block and never reads it.
/// </remarks>
public interface INeuronBlocks
{
    /// <summary>Creates every block at the lineage's checkpoint; the network's outputs f(W, X) there (without κ) and Σ‖w_r‖².</summary>
    Task<NeuronOutputs> LoadAsync(string jobId, NeuronLineage lineage);

    /// <summary>One synchronized gradient-descent step from <paramref name="step"/> to step+1 on the residual Y − κ·f(W(step), X).</summary>
    Task<NeuronOutputs> StepAsync(string jobId, int step, double[] residual, NeuronLineage lineage);

    /// <summary>Every block's weights and Lemma 4.1's diagnostics at <paramref name="step"/>, with the kernel parts summed when asked.</summary>
    /// <param name="testX">Rows (preprocessed) to evaluate the network on, or null.</param>
    /// <param name="withKernel">Also sum the blocks' parts of H(step) and H(0) (two n×n matrices).</param>
    Task<NeuronInspection> InspectAsync(string jobId, int step, Matrix<double>? testX, bool withKernel, NeuronLineage lineage);

    /// <summary>The job is over: frees every block.</summary>
    void Release(string jobId, int blocks);
}

/// <summary>The network's outputs f(W, X) on the training rows (without κ), summed over blocks in block order, and Σ‖w_r‖².</summary>
public sealed record NeuronOutputs(double[] Outputs, double SquaredNorm);

/// <summary>One block's state as an inspection found it.</summary>
/// <param name="Weights">The block's weights W_b(step).</param>
/// <param name="MaxWeightMove">max_r ‖w_r(step) − w_r(0)‖.</param>
/// <param name="PatternFlips">Activation patterns on the training rows that differ from step 0.</param>
/// <param name="TestOutputs">The block's part of f on the test rows, when they were given.</param>
public sealed record NeuronBlockState(int BlockIndex, int Step, Matrix<double> Weights, double MaxWeightMove, long PatternFlips, double[]? TestOutputs);

/// <summary>An inspection of every block, in block order, with H(step) and H(0) summed over blocks when asked for.</summary>
public sealed record NeuronInspection(IReadOnlyList<NeuronBlockState> Blocks, Matrix<double>? KernelNow, Matrix<double>? KernelInitial);

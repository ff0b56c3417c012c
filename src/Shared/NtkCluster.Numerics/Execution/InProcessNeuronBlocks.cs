using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Networks;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// Neuron blocks held in this process: each a <see cref="NeuronBlock"/> stepped on the thread pool, at most
/// <c>parallelism</c> at once, with the answers reduced in block order as a cluster reduces them. Blocks are never
/// lost here, so the lineage is not read.
/// </summary>
public sealed class InProcessNeuronBlocks : INeuronBlocks
{
    private readonly int _parallelism;
    private readonly CancellationToken _cancel;
    private readonly ConcurrentDictionary<string, (NeuronBlock[] Blocks, Matrix<double> X)> _jobs = new();

    public InProcessNeuronBlocks(int parallelism, CancellationToken cancel = default)
    {
        _parallelism = parallelism;
        _cancel = cancel;
    }

    public Task<NeuronOutputs> LoadAsync(string jobId, NeuronLineage lineage)
    {
        var blocks = new NeuronBlock[lineage.Blocks];
        var x = lineage.Blocks == 0 ? Matrix<double>.Build.Dense(0, 0) : lineage.Setups[0].X;
        _jobs[jobId] = (blocks, x);
        return Sum(Enumerable.Range(0, lineage.Blocks).Select(b => (Func<(double[], double)>)(() =>
        {
            var setup = lineage.Setups[b];
            var block = new NeuronBlock(setup.Network, setup.InitialWeights, setup.Signs, setup.Factors, lineage.Checkpoint[b], lineage.CheckpointStep);
            foreach (var residual in lineage.ResidualsSince) block.Advance(setup.X, residual);
            blocks[b] = block;
            return (block.Outputs(setup.X), block.SquaredNorm());
        })), x.RowCount);
    }

    public Task<NeuronOutputs> StepAsync(string jobId, int step, double[] residual, NeuronLineage lineage)
    {
        var (blocks, x) = Job(jobId);
        return Sum(blocks.Select(block => (Func<(double[], double)>)(() =>
        {
            if (block.Step != step) throw new InvalidOperationException($"neuron block at step {block.Step}, asked to step from {step}");
            block.Advance(x, residual);
            return (block.Outputs(x), block.SquaredNorm());
        })), x.RowCount);
    }

    public async Task<NeuronInspection> InspectAsync(string jobId, int step, Matrix<double>? testX, bool withKernel, NeuronLineage lineage)
    {
        var (blocks, x) = Job(jobId);
        int n = x.RowCount;
        var seed = (States: new List<NeuronBlockState>(), Now: withKernel ? Matrix<double>.Build.Dense(n, n) : null,
            Initial: withKernel ? Matrix<double>.Build.Dense(n, n) : null);
        var all = await OrderedRound.RunAsync(blocks.Select((block, b) => (Func<(NeuronBlockState, Matrix<double>?, Matrix<double>?)>)(() =>
            {
                if (block.Step != step) throw new InvalidOperationException($"neuron block at step {block.Step}, asked for step {step}");
                return (new NeuronBlockState(b, block.Step, block.Weights, block.MaxWeightMove(), block.PatternFlips(x),
                        testX is null ? null : block.Outputs(testX)),
                    withKernel ? block.KernelPart(x) : null, withKernel ? block.KernelPart(x, initial: true) : null);
            })), _parallelism, seed,
            (acc, _, part) =>
            {
                acc.States.Add(part.Item1);
                acc.Now?.Add(part.Item2!, acc.Now);
                acc.Initial?.Add(part.Item3!, acc.Initial);
                return acc;
            }, null, _cancel).ConfigureAwait(false);
        return new NeuronInspection(all.States, all.Now, all.Initial);
    }

    public void Release(string jobId, int blocks) => _jobs.TryRemove(jobId, out _);

    private (NeuronBlock[] Blocks, Matrix<double> X) Job(string jobId) =>
        _jobs.TryGetValue(jobId, out var job) ? job : throw new InvalidOperationException($"no neuron blocks loaded for job {jobId}");

    private async Task<NeuronOutputs> Sum(IEnumerable<Func<(double[] Outputs, double SquaredNorm)>> blocks, int n)
    {
        var (u, norm) = await OrderedRound.RunAsync(blocks, _parallelism, (U: new double[n], Norm: 0.0), (acc, _, part) =>
            {
                for (int i = 0; i < n; i++) acc.U[i] += part.Outputs[i];
                return (acc.U, acc.Norm + part.SquaredNorm);
            }, null, _cancel).ConfigureAwait(false);
        return new NeuronOutputs(u, norm);
    }
}

using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// Neuron blocks held by sharded neuron-block entities. A block's weights after t steps cannot be rebuilt from the
/// seed, so when a worker node dies its blocks are lost: the next command finds an empty entity, which answers
/// <see cref="NeuronBlockMissing"/>, and the block is reloaded from the job's <see cref="NeuronLineage"/> — its
/// checkpoint and the residuals since — then asked again. Loads and steps are idempotent, so a retry never applies a
/// step twice, and the trajectory is the one an undisturbed run takes.
/// </summary>
public sealed class ShardedNeuronBlocks : INeuronBlocks
{
    /// <summary>Restores tried for one lost block before the job fails: the node hosting it may die again meanwhile.</summary>
    private const int RestoreAttempts = 5;

    private readonly IActorRef _region;
    private readonly ShardedBlockRounds _rounds;

    public ShardedNeuronBlocks(IActorRef region, ShardedBlockRounds rounds)
    {
        _region = region;
        _rounds = rounds;
    }

    public async Task<NeuronOutputs> LoadAsync(string jobId, NeuronLineage lineage)
    {
        int n = RowsOf(lineage);
        var sum = await BlockRound.RunAsync<NeuronBlockLoaded, (double[] U, double Norm)>(_region, lineage.Blocks,
            b => new LoadNeuronBlock(jobId, b, lineage.Setups[b], lineage.Checkpoint[b], lineage.CheckpointStep, lineage.ResidualsSince.ToArray()),
            (new double[n], 0.0), (acc, r) => (Add(acc.U, r.Outputs), acc.Norm + r.SquaredNorm), _rounds.Options);
        return new NeuronOutputs(sum.U, sum.Norm);
    }

    public async Task<NeuronOutputs> StepAsync(string jobId, int step, double[] residual, NeuronLineage lineage)
    {
        Task<NeuronStepDone> Restore(IBlockCommand command, IBlockReply reply)
        {
            if (reply is not NeuronBlockMissing || command is not NeuronStep)
                throw new JobFailedException($"neuron block {command.BlockIndex}: unexpected answer {reply.GetType().Name}");
            return RestoreThenAskAsync<NeuronStepDone>(command, lineage, step);
        }
        int n = RowsOf(lineage);
        var sum = await BlockRound.RunAsync<NeuronStepDone, (double[] U, double Norm)>(_region, lineage.Blocks,
            b => new NeuronStep(jobId, b, step, residual), (new double[n], 0.0),
            (acc, r) => (Add(acc.U, r.Outputs), acc.Norm + r.SquaredNorm), _rounds.Options, repair: Restore);
        return new NeuronOutputs(sum.U, sum.Norm);
    }

    /// <remarks>The blocks' kernel parts are summed as they arrive into H(step) and H(0): the coordinator holds two
    /// n×n matrices, not two per block.</remarks>
    public async Task<NeuronInspection> InspectAsync(string jobId, int step, Matrix<double>? testX, bool withKernel, NeuronLineage lineage)
    {
        Task<NeuronBlockInspected> Repair(IBlockCommand command, IBlockReply reply) =>
            RestoreThenAskAsync<NeuronBlockInspected>(command, lineage, step);
        int n = RowsOf(lineage);
        var seed = (Blocks: new List<NeuronBlockState>(), KernelNow: withKernel ? Matrix<double>.Build.Dense(n, n) : null,
            KernelInitial: withKernel ? Matrix<double>.Build.Dense(n, n) : null);
        var all = await BlockRound.RunAsync<NeuronBlockInspected, (List<NeuronBlockState> Blocks, Matrix<double>? KernelNow, Matrix<double>? KernelInitial)>(
            _region, lineage.Blocks, b => new InspectNeuronBlock(jobId, b, step, testX, withKernel), seed,
            (acc, r) =>
            {
                if (withKernel)
                {
                    acc.KernelNow!.Add(r.KernelNow!, acc.KernelNow);
                    acc.KernelInitial!.Add(r.KernelInitial!, acc.KernelInitial);
                }
                acc.Blocks.Add(new NeuronBlockState(r.BlockIndex, r.Step, r.Weights, r.MaxWeightMove, r.PatternFlips, r.TestOutputs));
                return acc;
            }, _rounds.Options, repair: Repair);
        return new NeuronInspection(all.Blocks, all.KernelNow, all.KernelInitial);
    }

    public void Release(string jobId, int blocks)
    {
        for (int b = 0; b < blocks; b++) _region.Tell(new ReleaseNeuronBlock(jobId, b));
    }

    /// <summary>
    /// Reloads a lost block and asks <paramref name="command"/> again, retrying both when the block is lost anew or
    /// does not answer (loads and steps are idempotent, so a retry can never apply a step twice).
    /// </summary>
    private async Task<T> RestoreThenAskAsync<T>(IBlockCommand command, NeuronLineage lineage, int toStep) where T : class, IBlockReply
    {
        for (int attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                await LoadAsync(command.JobId, command.BlockIndex, lineage, toStep);
                var answer = await BlockRound.AskOnceAsync(_region, command, _rounds.Options);
                if (answer is T done) return done;
                if (answer is BlockFailed failed) throw new JobFailedException($"neuron block {failed.BlockIndex} of job {failed.JobId} failed on a worker: {failed.Reason}");
                problem = $"it answered {answer.GetType().Name}";
            }
            catch (AskTimeoutException)
            {
                problem = $"no answer within {_rounds.Options.BlockTimeout.TotalSeconds:0.#} s";
            }
            catch (RestoreFailedException e)
            {
                problem = e.Message;
            }
            if (attempt >= RestoreAttempts)
                throw new JobFailedException($"neuron block {command.BlockIndex} of job {command.JobId} could not be restored to step {toStep} after {attempt} attempts: {problem}");
        }
    }

    private sealed class RestoreFailedException(string message) : Exception(message);

    /// <summary>Reloads a lost block from the checkpoint and replays the residuals up to <paramref name="toStep"/>.</summary>
    private async Task LoadAsync(string jobId, int block, NeuronLineage lineage, int toStep)
    {
        ((IBlockRounds)_rounds).Warn($"restoring neuron block {block} from the checkpoint at step {lineage.CheckpointStep} to step {toStep}");
        var replay = lineage.ResidualsSince.Take(toStep - lineage.CheckpointStep).ToArray();
        var answer = await BlockRound.AskOnceAsync(_region,
            new LoadNeuronBlock(jobId, block, lineage.Setups[block], lineage.Checkpoint[block], lineage.CheckpointStep, replay), _rounds.Options);
        if (answer is BlockFailed failed) throw new JobFailedException($"neuron block {block} of job {jobId} failed on a worker: {failed.Reason}");
        if (answer is not NeuronBlockLoaded loaded || loaded.Step != toStep)
            throw new RestoreFailedException($"the reload answered {answer.GetType().Name}");
    }

    private static int RowsOf(NeuronLineage lineage) => lineage.Blocks == 0 ? 0 : lineage.Setups[0].X.RowCount;

    private static double[] Add(double[] acc, double[] part)
    {
        for (int i = 0; i < acc.Length; i++) acc[i] += part[i];
        return acc;
    }
}

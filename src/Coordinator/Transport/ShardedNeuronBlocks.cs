using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// Neuron blocks held by sharded neuron-block entities. A block's weights after t steps cannot be rebuilt from the
/// seed, so when a worker node dies its blocks are lost: the next command finds an empty entity, which answers
/// <see cref="NeuronBlockMissing"/>, and the block is reloaded from the job's <see cref="NeuronLineage"/> — its
/// checkpoint and the residuals since — then asked again. Loads and steps are idempotent, so a retry never applies a
/// step twice, and the trajectory is the one an undisturbed run takes.
/// </summary>
/// <remarks>
/// That waits for the node to be downed and its shard re-homed, seconds after it became unreachable. Sooner, when a
/// round finds the node of a block's entity unreachable (or the block stalls) it answers <see cref="NeuronHostLost"/>,
/// and the block is restored at once, the same way, on a <em>backup entity</em> (<see cref="BackupEntityId"/>) whose
/// shard is already at home on a reachable node (<see cref="ShardHomes"/>: no shard coordinator needed, which may be on
/// the lost node). From then on the block is addressed there for the rest of the job (<see cref="RoundOptions.AddressOf"/>):
/// the entity it left may come back (a SIGSTOP ends) with stale weights, so it is never asked again, and an answer it
/// still sends finds nothing pending and is dropped. The weights are the checkpoint's and the replayed residuals', so the
/// trajectory stays bitwise that of an undisturbed run.
/// </remarks>
public sealed class ShardedNeuronBlocks : INeuronBlocks
{
    /// <summary>Restores tried for one lost block before the job fails: the node hosting it may die again meanwhile.</summary>
    private const int RestoreAttempts = 5;

    private readonly IActorRef _region;
    private readonly ShardedBlockRounds _rounds;

    /// <summary>The rounds' options, with every command addressed where its block lives now.</summary>
    private readonly RoundOptions _options;

    /// <summary>The backup entity of each block moved off its own, by job and block.</summary>
    private readonly Dictionary<(string JobId, int Block), string> _moved = new();

    /// <summary>Every entity a block left, by job and block: never asked again in the job.</summary>
    private readonly Dictionary<(string JobId, int Block), HashSet<string>> _left = new();

    private readonly object _lock = new();

    public ShardedNeuronBlocks(IActorRef region, ShardedBlockRounds rounds)
    {
        _region = region;
        _rounds = rounds;
        _options = rounds.Options with { AddressOf = AddressOf };
    }

    /// <summary>The backup entity a command's block was moved to, or null while it is at its own.</summary>
    private string? AddressOf(IBlockCommand command)
    {
        lock (_lock) return _moved.GetValueOrDefault((command.JobId, command.BlockIndex));
    }

    public async Task<NeuronOutputs> LoadAsync(string jobId, NeuronLineage lineage)
    {
        Task<NeuronBlockLoaded> Repair(IBlockCommand command, IBlockReply reply) =>
            reply is NeuronHostLost lost
                ? RestoreThenAskAsync<NeuronBlockLoaded>(command, lineage, lineage.CheckpointStep + lineage.ResidualsSince.Count, lost)
                : throw new JobFailedException($"neuron block {command.BlockIndex}: unexpected answer {reply.GetType().Name}");
        int n = RowsOf(lineage);
        var sum = await BlockRound.RunAsync<NeuronBlockLoaded, (double[] U, double Norm)>(_region, lineage.Blocks,
            b => new LoadNeuronBlock(jobId, b, lineage.Setups[b], lineage.Checkpoint[b], lineage.CheckpointStep, lineage.ResidualsSince.ToArray()),
            (new double[n], 0.0), (acc, r) => (Add(acc.U, r.Outputs), acc.Norm + r.SquaredNorm), _options, repair: Repair);
        return new NeuronOutputs(sum.U, sum.Norm);
    }

    public async Task<NeuronOutputs> StepAsync(string jobId, int step, double[] residual, NeuronLineage lineage)
    {
        Task<NeuronStepDone> Restore(IBlockCommand command, IBlockReply reply)
        {
            if (reply is not (NeuronBlockMissing or NeuronHostLost) || command is not NeuronStep)
                throw new JobFailedException($"neuron block {command.BlockIndex}: unexpected answer {reply.GetType().Name}");
            return RestoreThenAskAsync<NeuronStepDone>(command, lineage, step, reply as NeuronHostLost);
        }
        int n = RowsOf(lineage);
        var sum = await BlockRound.RunAsync<NeuronStepDone, (double[] U, double Norm)>(_region, lineage.Blocks,
            b => new NeuronStep(jobId, b, step, residual), (new double[n], 0.0),
            (acc, r) => (Add(acc.U, r.Outputs), acc.Norm + r.SquaredNorm), _options, repair: Restore);
        return new NeuronOutputs(sum.U, sum.Norm);
    }

    /// <remarks>The blocks' kernel parts are summed as they arrive into H(step) and H(0): the coordinator holds two
    /// n×n matrices, not two per block.</remarks>
    public async Task<NeuronInspection> InspectAsync(string jobId, int step, Matrix<double>? testX, bool withKernel, NeuronLineage lineage)
    {
        Task<NeuronBlockInspected> Repair(IBlockCommand command, IBlockReply reply) =>
            RestoreThenAskAsync<NeuronBlockInspected>(command, lineage, step, reply as NeuronHostLost);
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
            }, _options, repair: Repair);
        return new NeuronInspection(all.Blocks, all.KernelNow, all.KernelInitial);
    }

    /// <remarks>A moved block is released at its backup, and the entities it left too: fire and forget, nothing is
    /// read from them, and one that came back (a SIGSTOP ended before its node was downed) still holds the job's rows.</remarks>
    public void Release(string jobId, int blocks)
    {
        for (int b = 0; b < blocks; b++)
        {
            var release = new ReleaseNeuronBlock(jobId, b);
            List<string> at;
            lock (_lock)
            {
                at = [_moved.GetValueOrDefault((jobId, b)) ?? release.EntityId, .. _left.GetValueOrDefault((jobId, b)) ?? []];
                _moved.Remove((jobId, b));
                _left.Remove((jobId, b));
            }
            foreach (string entity in at.Distinct()) TellAt(release, entity);
        }
    }

    /// <summary>Tells a command to an entity: its own whole, another (a backup) as pieces, which carry the id they are
    /// routed by.</summary>
    private void TellAt(IBlockCommand command, string entityId)
    {
        if (entityId == command.EntityId || !_options.Remote)
        {
            _region.Tell(command);
            return;
        }
        ChunkedTransfer.SendAll(NtkMessageSerializer.Serialize(command), _options.ChunkBytes,
            ChunkedTransfer.CommandPieces(entityId, ChunkedTransfer.NextTransferId(), NtkMessageSerializer.ManifestOf(command)), _region, ActorRefs.Nobody);
    }

    /// <summary>
    /// Reloads a lost block and asks <paramref name="command"/> again, retrying both when the block is lost anew or
    /// does not answer (loads and steps are idempotent, so a retry can never apply a step twice). With
    /// <paramref name="lost"/>, or when a node is lost again meanwhile, the block first moves to a backup entity on a
    /// reachable node (<see cref="Move"/>).
    /// </summary>
    private async Task<T> RestoreThenAskAsync<T>(IBlockCommand command, NeuronLineage lineage, int toStep, NeuronHostLost? lost = null)
        where T : class, IBlockReply
    {
        for (int attempt = 1; ; attempt++)
        {
            string problem;
            try
            {
                if (lost is not null)
                {
                    Move(command, lineage, toStep, lost);
                    lost = null;
                }
                else
                {
                    ((IBlockRounds)_rounds).Warn($"restoring neuron block {command.BlockIndex} from the checkpoint at step {lineage.CheckpointStep} to step {toStep}");
                }
                // A load is its own restore.
                if (command is not LoadNeuronBlock) await LoadAsync(command.JobId, command.BlockIndex, lineage, toStep);
                var answer = await BlockRound.AskOnceAsync(_region, command, _options);
                if (answer is T done) return done;
                if (answer is BlockFailed failed) throw new JobFailedException($"neuron block {failed.BlockIndex} of job {failed.JobId} failed on a worker: {failed.Reason}");
                lost = answer as NeuronHostLost;
                problem = lost?.Why ?? $"it answered {answer.GetType().Name}";
            }
            catch (AskTimeoutException)
            {
                problem = $"no answer within {_options.BlockTimeout.TotalSeconds:0.#} s";
            }
            catch (RestoreFailedException e)
            {
                lost = e.Lost;
                problem = e.Message;
            }
            if (attempt >= RestoreAttempts)
                throw new JobFailedException($"neuron block {command.BlockIndex} of job {command.JobId} could not be restored to step {toStep} after {attempt} attempts: {problem}");
        }
    }

    private sealed class RestoreFailedException(string message, NeuronHostLost? lost = null) : Exception(message)
    {
        public NeuronHostLost? Lost { get; } = lost;
    }

    /// <summary>
    /// Addresses a block, from now on in this job, at a backup entity whose shard is at home on one of the reachable
    /// nodes <paramref name="lost"/> names (spread over them by block index), never at an entity it left before. When
    /// none is found (nil odds: 4096 replica ids are tried per node) the block stays where it is, to be restored once its
    /// shard is re-homed.
    /// </summary>
    private void Move(IBlockCommand command, NeuronLineage lineage, int toStep, NeuronHostLost lost)
    {
        var key = (command.JobId, command.BlockIndex);
        var homes = ShardHomes.Of(((IInternalActorRef)_region).Provider.Settings.System);
        HashSet<string> left;
        lock (_lock)
        {
            if (!_left.TryGetValue(key, out left!)) _left[key] = left = [];
            left.Add(_moved.GetValueOrDefault(key) ?? command.EntityId);
        }
        var nodes = lost.Usable;
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[(command.BlockIndex + i) % nodes.Count];
            string? backup;
            lock (_lock) backup = homes.BackupOn(command.EntityId, node, BlockSharding.NeuronTypeName, left.Contains);
            if (backup is null) continue;
            lock (_lock) _moved[key] = backup;
            ((IBlockRounds)_rounds).Warn($"{lost.Why}; restoring neuron block {command.BlockIndex} of job {command.JobId} at once on backup entity " +
                                         $"{backup} on worker node {node}, from the checkpoint at step {lineage.CheckpointStep} to step {toStep}");
            return;
        }
        ((IBlockRounds)_rounds).Warn($"{lost.Why}; no backup entity found for neuron block {command.BlockIndex}: it is restored from the checkpoint " +
                                     $"at step {lineage.CheckpointStep} once its shard is re-homed");
    }

    /// <summary>Reloads a lost block (where it is addressed now) from the checkpoint and replays the residuals up to
    /// <paramref name="toStep"/>.</summary>
    private async Task LoadAsync(string jobId, int block, NeuronLineage lineage, int toStep)
    {
        var replay = lineage.ResidualsSince.Take(toStep - lineage.CheckpointStep).ToArray();
        var answer = await BlockRound.AskOnceAsync(_region,
            new LoadNeuronBlock(jobId, block, lineage.Setups[block], lineage.Checkpoint[block], lineage.CheckpointStep, replay), _options);
        if (answer is BlockFailed failed) throw new JobFailedException($"neuron block {block} of job {jobId} failed on a worker: {failed.Reason}");
        if (answer is NeuronHostLost lost) throw new RestoreFailedException($"the reload was cut short: {lost.Why}", lost);
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

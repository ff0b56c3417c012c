using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Coordinator.Transport;

/// <summary>
/// The execution seam (<see cref="IBlockRounds"/>) on Cluster Sharding: every round is a <see cref="BlockRound"/>
/// whose blocks are commands to sharded block entities — on this node in local mode, on the workers of a cluster —
/// and whose answers are reduced in block order. The entities compute with the same
/// <see cref="BlockComputations"/> as in-process rounds, so the results are bitwise the same everywhere.
/// </summary>
public sealed class ShardedBlockRounds : IBlockRounds
{
    private readonly IActorRef _region;
    private readonly RoundOptions _options;
    private readonly Action<ProgressUpdate> _progress;

    public ShardedBlockRounds(WorkerRegions regions, RoundOptions options, Action<ProgressUpdate>? progress = null)
        : this(regions.Blocks, options, progress) =>
        _neurons = new ShardedNeuronBlocks(regions.Neurons, this);

    public ShardedBlockRounds(IActorRef region, RoundOptions options, Action<ProgressUpdate>? progress = null)
    {
        _region = region;
        // A remote round reports lost workers and resent blocks where progress goes (as warnings: --quiet keeps
        // them), unless told otherwise.
        _options = progress is not null && options.Notify is null ? options with { Notify = line => progress(ProgressUpdate.Warning(line)) } : options;
        _progress = progress ?? (_ => { });
    }

    public RoundOptions Options => _options;

    public IActorRef Region => _region;

    /// <summary>Where this job's progress goes.</summary>
    public Action<ProgressUpdate> Progress => _progress;

    /// <summary>The neuron-block entities; only when made from <see cref="WorkerRegions"/>.</summary>
    public INeuronBlocks Neurons => _neurons ?? throw new InvalidOperationException("these rounds have no neuron region");

    private readonly ShardedNeuronBlocks? _neurons;

    /// <summary>The closed-form kernel matrix K(X, X), assembled from row blocks of its lower triangle (<see cref="KernelMatrixAssembly"/>).</summary>
    public async Task<Matrix<double>> KernelMatrixAsync(string jobId, IFeatureKernel kernel, Matrix<double> x)
    {
        var k = new KernelMatrixAssembly(x.RowCount);
        await BlockRound.RunAsync<KernelRowsComputed, KernelMatrixAssembly>(_region, k.Plan.Count,
            b => new BuildKernelRows(jobId, b, kernel.Spec, k.RowsOf(x, b), k.ColumnsFor(x, b)),
            k, (acc, r) => acc.Add(r.BlockIndex, r.Rows), _options, RoundProgress.Counter(_progress, "kernel rows", k.Plan.Count));
        return k.Complete();
    }

    /// <summary>
    /// ΨᵀΨ and ΨᵀY summed in block order over (preprocessed) row blocks that are produced as the round goes — read
    /// from a file for a streamed fit — so only the round's window of blocks is ever in memory. In-memory data goes
    /// through here too, cut into the same blocks (<see cref="BlockPlan.GramRowBlock"/> rows), which is why both give
    /// bitwise the same sums.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress lines.</param>
    public Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, IEnumerable<RowBlock> blocks,
        int targets, int blockCount)
    {
        int m = draws.ColumnCount;
        return BlockRound.RunAsync<GramBlockComputed, (Matrix<double> Gram, Matrix<double> Cross)>(_region,
            blocks.Select(b => (IBlockCommand)new BuildGramBlock(jobId, b.Index, draws, b.X, b.Y)),
            (Matrix<double>.Build.Dense(m, m), Matrix<double>.Build.Dense(m, targets)),
            (acc, r) => { acc.Gram.Add(r.Gram, acc.Gram); acc.Cross.Add(r.Cross, acc.Cross); return acc; },
            _options, RoundProgress.Counter(_progress, "Gram blocks", blockCount));
    }

    /// <summary>ΨΨᵀ summed over feature blocks in block order (the dual form).</summary>
    public Task<Matrix<double>> OuterAsync(string jobId, FeatureDraws draws, Matrix<double> x)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.OuterFeatureBlock(x.RowCount, FeatureMap.OuterColumnsPerDraw(draws)));
        return BlockRound.RunAsync<OuterBlockComputed, Matrix<double>>(_region, blocks.Count,
            f => new BuildOuterBlock(jobId, f, draws, blocks.Start(f), blocks.Length(f), x),
            Matrix<double>.Build.Dense(x.RowCount, x.RowCount), (acc, r) => { acc.Add(r.Outer, acc); return acc; },
            _options, RoundProgress.Counter(_progress, "feature blocks", blocks.Count));
    }

    /// <summary>β = Ψᵀα, one feature block's rows at a time.</summary>
    public Task<Matrix<double>> ProjectAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> alpha)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.DefaultFeatureBlock);
        int d2 = draws.FeatureDimension;
        return BlockRound.RunAsync<FeatureBlockProjected, Matrix<double>>(_region, blocks.Count,
            f => new ProjectFeatureBlock(jobId, f, draws, blocks.Start(f), blocks.Length(f), x, alpha),
            Matrix<double>.Build.Dense(draws.ColumnCount, alpha.ColumnCount),
            (acc, r) => { acc.SetSubMatrix(blocks.Start(r.BlockIndex) * d2, 0, r.Coefficients); return acc; },
            _options, RoundProgress.Counter(_progress, "projections", blocks.Count));
    }

    /// <summary>τ for every candidate of a pool, one candidate block per request, concatenated in pool order.</summary>
    public Task<double[]> ScoreAsync(string jobId, ILeverageScorer scorer, Matrix<double> pool, int blockSize)
    {
        var blocks = new BlockPlan(pool.RowCount, blockSize);
        // The scorer holds all n rows (exact: an n×n matrix too): blocks go with its key only, and a node that lacks it
        // gets it once (repair). One mechanism in both modes; in one process the first blocks' repairs copy nothing. A
        // remote round supplies it itself (Supply), to whichever entity lacks it: a backup on another node too.
        return BlockRound.RunAsync<CandidateBlockScored, double[]>(_region, blocks.Count,
            c => new ScoreCandidateBlock(jobId, c, jobId, null, pool.SubMatrix(blocks.Start(c), blocks.Length(c), 0, pool.ColumnCount)),
            new double[pool.RowCount],
            (acc, r) => { r.Scores.CopyTo(acc, blocks.Start(r.BlockIndex)); return acc; },
            _options with { Supply = (command, reply) => SupplyScorer(command, reply, scorer) }, RoundProgress.Counter(_progress, "candidate blocks", blocks.Count),
            repair: (command, reply) => reply is ScorerMissing && command is ScoreCandidateBlock score
                ? BlockRound.AskReplyAsync<CandidateBlockScored>(_region, score with { Scorer = scorer }, _options)
                : throw new JobFailedException($"candidate block {command.BlockIndex} of job {command.JobId}: unexpected answer {reply.GetType().Name}"));
    }

    /// <summary>The scoring command with its scorer, for an entity that answered <see cref="ScorerMissing"/>.</summary>
    internal static IBlockCommand? SupplyScorer(IBlockCommand command, IBlockReply reply, ILeverageScorer scorer) =>
        reply is ScorerMissing && command is ScoreCandidateBlock { Scorer: null } score ? score with { Scorer = scorer } : null;

    public Task<Matrix<double>> PredictTransformedAsync(string jobId, IPredictiveModel model, Matrix<double> x, string stage)
    {
        var rows = new BlockPlan(x.RowCount, BlockPlan.DefaultRowBlock);
        return BlockRound.RunAsync<BlockPredicted, Matrix<double>>(_region, rows.Count,
            b => new PredictBlock(jobId, b, model, x.SubMatrix(rows.Start(b), rows.Length(b), 0, x.ColumnCount)),
            Matrix<double>.Build.Dense(x.RowCount, model.TargetNames.Length),
            (acc, r) => { acc.SetSubMatrix(rows.Start(r.BlockIndex), 0, r.Predictions); return acc; },
            _options, RoundProgress.Counter(_progress, stage, rows.Count));
    }

    public Task<SquaredErrorSum> SquaredErrorsAsync(string jobId, IPredictiveModel model, IEnumerable<RowBlock> rawBlocks, int? blockCount,
        string stage)
    {
        var pre = model.Preprocessing;
        var truth = new Dictionary<int, Matrix<double>>(); // the targets of the blocks in flight, until their answer is folded
        var requests = rawBlocks.Select(b =>
        {
            truth.Add(b.Index, b.Y);
            return (IBlockCommand)new PredictBlock(jobId, b.Index, model, pre.TransformFeatures(b.X));
        });
        return BlockRound.RunAsync<BlockPredicted, SquaredErrorSum>(_region, requests, new SquaredErrorSum(model.TargetNames.Length),
            (acc, r) =>
            {
                acc.Add(truth[r.BlockIndex], pre.InverseTransformTargets(r.Predictions));
                truth.Remove(r.BlockIndex);
                return acc;
            },
            _options, RoundProgress.Counter(_progress, stage, blockCount));
    }

    public Task<PartitionCount[]> CountPartitionsAsync(string jobId, IReadOnlyList<DataPartition> partitions) =>
        PartitionRoundAsync<PartitionCounted, PartitionCount[]>(partitions, p => new CountPartition(jobId, p.Index, p),
            new PartitionCount[partitions.Count], (acc, r) => { acc[r.BlockIndex] = new PartitionCount(r.Rows, r.Lines); return acc; },
            "partitions counted");

    public Task<PartitionMoments> PartitionMomentsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split) =>
        PartitionRoundAsync<PartitionMomentsComputed, PartitionMoments>(partitions, p => new ComputePartitionMoments(jobId, p.Index, p, columns, split),
            new PartitionMoments(new ColumnMoments(columns.FeatureNames.Length), new ColumnMoments(columns.TargetCount)),
            (acc, r) => acc.MergeNext(r.Moments),
            "statistics partitions");

    public Task<PartitionGram> PartitionGramAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, FeatureDraws draws) =>
        PartitionRoundAsync<PartitionGramComputed, PartitionGram>(partitions, p => new BuildPartitionGram(jobId, p.Index, p, columns, split, pre, draws),
            PartitionGram.Zero(draws.ColumnCount, columns.TargetCount), (acc, r) => acc.Add(r.Partial), "Gram partitions");

    public Task<SquaredErrorSum> PartitionSquaredErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, IPredictiveModel model, string stage) =>
        PartitionRoundAsync<PartitionErrorsComputed, SquaredErrorSum>(partitions, p => new PartitionSquaredErrors(jobId, p.Index, p, columns, split, model),
            new SquaredErrorSum(model.TargetNames.Length), (acc, r) => { acc.Merge(r.Errors); return acc; }, stage);

    public Task<PredictionPart[]> PartitionPredictionsAsync(string jobId, IReadOnlyList<DataPartition> partitions, IPredictiveModel model,
        IReadOnlyList<string>? columns, string directory, string stage, IReadOnlyList<string>? keep = null)
    {
        string[]? chosen = columns?.ToArray();
        string[]? kept = keep?.ToArray();
        long rows = PartitionedOutput.DatasetRows(partitions);
        return PartitionRoundAsync<PartitionPredictionsWritten, PredictionPart[]>(partitions,
            p => new WritePartitionPredictions(jobId, p.Index, p, model, chosen, rows, directory, PartitionedOutput.PartName(p.Index, partitions.Count))
            {
                Keep = kept,
            },
            new PredictionPart[partitions.Count], (acc, r) => { acc[r.BlockIndex] = r.Part; return acc; }, stage);
    }

    /// <summary>
    /// <see cref="PartitionPredictionsAsync"/> for an output the workers cannot write: each partition's part is streamed
    /// back to the client through the job's session at <paramref name="session"/> (<see cref="StreamPartitionPredictions"/>),
    /// and a partition answers its receipt once the client has the part in place. The partitions must be counted.
    /// </summary>
    public Task<PredictionPart[]> StreamedPartitionPredictionsAsync(string jobId, IReadOnlyList<DataPartition> partitions, IPredictiveModel model,
        IReadOnlyList<string>? columns, string session, string stage = "prediction partitions", IReadOnlyList<string>? keep = null)
    {
        string[]? chosen = columns?.ToArray();
        string[]? kept = keep?.ToArray();
        long rows = PartitionedOutput.DatasetRows(partitions);
        return PartitionRoundAsync<PartitionPredictionsWritten, PredictionPart[]>(partitions,
            p => new StreamPartitionPredictions(jobId, p.Index, p, model, chosen, rows, PartitionedOutput.PartName(p.Index, partitions.Count), session)
            {
                Keep = kept,
            },
            new PredictionPart[partitions.Count], (acc, r) => { acc[r.BlockIndex] = r.Part; return acc; }, stage);
    }

    public Task<RowSampleKey[]> PartitionSampleKeysAsync(string jobId, IReadOnlyList<DataPartition> partitions, RowSplit? split, ulong seed,
        int count, ulong maxHash) =>
        PartitionRoundAsync<PartitionSampleKeysFound, RowSampleKey[]>(partitions,
            p => new FindPartitionSampleKeys(jobId, p.Index, p, split, seed, count, maxHash),
            [], (acc, r) => RowSample.MergeSmallest(acc, r.Keys, count), "sample partitions");

    public async Task<SampledRows> PartitionRowsAsync(string jobId, IReadOnlyList<(DataPartition Partition, long[] Rows)> requests,
        PartitionColumns columns)
    {
        // One command per request (a partition's share of the sample, cut to a bounded answer): its block index is the
        // request's position, which is the order the answers are put together in.
        var pieces = await PartitionCommandsAsync<PartitionRowsRead, List<SampledRows>>(
            requests.Select((r, i) => (IBlockCommand)new ReadPartitionRows(jobId, i, r.Partition, columns, r.Rows)), requests.Count,
            new List<SampledRows>(), (acc, r) => { acc.Add(r.Rows); return acc; }, "sampled-row requests");
        return SampledRows.Concat(pieces, columns.FeatureNames.Length, columns.TargetCount);
    }

    public async Task<double[]> PartitionScoresAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, Preprocessor pre, FirstStageLeverage firstStage, Matrix<double> pool)
    {
        var round = new PartitionScoreRound(partitions.Count, firstStage, pool, PartitionScoreRound.MaxCandidatesPerCommand);
        // One command per (candidate group, partition), group-major: the index says both, so its entity is unique.
        var commands = Enumerable.Range(0, round.Commands).Select(i =>
        {
            var (group, partition) = round.Command(i);
            return new ScorePartitionCandidates(jobId, i, partitions[partition], columns, split, pre, round.FirstStage, round.Candidates(group));
        });
        await PartitionCommandsAsync<PartitionCandidatesScored, PartitionScoreRound>(commands, round.Commands,
            round, (acc, r) => { acc.Fold(r.BlockIndex, r.Sums); return acc; }, "candidate partitions");
        return round.Scores;
    }

    public Task<long[]> PartitionLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split) =>
        PartitionRoundAsync<PartitionLabelsFound, long[]>(partitions, p => new FindPartitionLabels(jobId, p.Index, p, columns, split),
            [], (acc, r) => acc.Union(r.Labels).Order().ToArray(), "label partitions");

    public Task<CategoryCensus> PartitionCategoryCensusAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split = null) =>
        PartitionRoundAsync<PartitionCategoryCensusTaken, CategoryCensus>(partitions, p => new TakePartitionCategoryCensus(jobId, p.Index, p, columns, split),
            new CategoryCensus(columns.FeatureNames), (acc, r) => acc.Merge(r.Census), "census partitions");

    public async Task<TextLabelPartial[]> PartitionTextLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split) =>
        (await PartitionRoundAsync<PartitionTextLabelsScanned, List<TextLabelPartial>>(partitions,
            p => new ScanPartitionTextLabels(jobId, p.Index, p, columns, split), [], (acc, r) => { acc.Add(r.Partial); return acc; },
            "label-text partitions")).ToArray();

    public Task<ClassificationScore> PartitionClassificationAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, IPredictiveModel model, ClassLabels classes, string stage) =>
        PartitionRoundAsync<PartitionClassifierScored, ClassificationScore>(partitions,
            p => new ScorePartitionClassifier(jobId, p.Index, p, columns, split, model, classes),
            ClassificationScore.None, (acc, r) => acc.Plus(r.Score), stage);

    public Task<NetworkRoundPartial> PartitionNetworkAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, Preprocessor pre, NetworkPoint point, string? stage) =>
        PartitionRoundAsync<PartitionNetworkComputed, NetworkRoundPartial>(partitions,
            p => new ComputePartitionNetwork(jobId, p.Index, p, columns, split, pre, point),
            NetworkRoundPartial.Zero(point.Weights.RowCount, point.Weights.ColumnCount), (acc, r) => acc.Add(r.Partial), stage);

    public Task<PredictionGap> PartitionGapAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        IPredictiveModel model, IPredictiveModel reference, string stage) =>
        PartitionRoundAsync<PartitionGapComputed, PredictionGap>(partitions, p => new ComputePartitionGap(jobId, p.Index, p, columns, split, model, reference),
            PredictionGap.Zero, (acc, r) => acc.Add(r.Gap), stage);

    public Task<PartitionGram[]> PartitionFoldGramsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, RowFolds folds, Preprocessor pre, FeatureDraws draws) =>
        PartitionRoundAsync<PartitionFoldGramsComputed, PartitionGram[]>(partitions,
            p => new BuildPartitionFoldGrams(jobId, p.Index, p, columns, split, folds, pre, draws),
            FoldPartials.Zero(folds.Count, draws.ColumnCount, columns.TargetNames.Length), (acc, r) => FoldPartials.Add(acc, r.Partials),
            "fold Gram partitions");

    public Task<SquaredErrorSum[]> PartitionFoldErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, RowFolds folds, FoldModels models) =>
        PartitionRoundAsync<PartitionFoldErrorsComputed, SquaredErrorSum[]>(partitions,
            p => new PartitionFoldSquaredErrors(jobId, p.Index, p, columns, split, folds, models),
            FoldPartials.ZeroErrors(folds.Count * models.Lambdas, columns.TargetNames.Length), (acc, r) => FoldPartials.Merge(acc, r.Errors),
            "held-out error partitions");


    /// <summary>
    /// A partition round: one small command per partition (its descriptor, never its rows; a partition's index is its
    /// block index), to the partition's own entity — the same one in every round and job on the data, which keeps the
    /// rows that fit its worker's memory (PartitionEntityId) — answers folded in partition order. A worker that
    /// cannot read a partition answers <see cref="PartitionUnreadable"/>, which fails the job as bad input with one line.
    /// </summary>
    private Task<TAcc> PartitionRoundAsync<TReply, TAcc>(IReadOnlyList<DataPartition> partitions, Func<DataPartition, IBlockCommand> request,
        TAcc seed, Func<TAcc, TReply, TAcc> fold, string? stage)
        where TReply : IBlockReply
    {
        for (int i = 0; i < partitions.Count; i++)
            if (partitions[i].Index != i) throw new ArgumentException($"partition {i} has index {partitions[i].Index}", nameof(partitions));
        return PartitionCommandsAsync(partitions.Select(request), partitions.Count, seed, fold, stage);
    }

    /// <summary>Partition commands, answers folded in block-index order; a partition a worker cannot read fails the job
    /// as bad input with one line.</summary>
    private Task<TAcc> PartitionCommandsAsync<TReply, TAcc>(IEnumerable<IBlockCommand> commands, int count, TAcc seed, Func<TAcc, TReply, TAcc> fold,
        string? stage)
        where TReply : IBlockReply
    {
        return BlockRound.RunAsync(_region, commands, seed, fold, _options, stage is null ? null : RoundProgress.Counter(_progress, stage, count),
            repair: (command, reply) => reply is PartitionUnreadable unreadable
                ? throw new NtkCluster.Numerics.Errors.InvalidInputException(
                    _options.Remote ? $"worker {unreadable.Worker}: {unreadable.Reason}" : unreadable.Reason) // local mode: no worker to name
                : throw new JobFailedException($"partition {command.BlockIndex} of job {command.JobId}: unexpected answer {reply.GetType().Name}"));
    }
}

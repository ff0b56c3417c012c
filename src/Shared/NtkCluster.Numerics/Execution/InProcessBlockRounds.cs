using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// Rounds computed in this process, on the thread pool, with no actor system: the library's default execution. The
/// blocks, their computations (<see cref="BlockComputations"/>) and the order their partials are reduced in are those
/// of a cluster round, so the results are bitwise the same as on any cluster.
/// </summary>
public sealed class InProcessBlockRounds : IBlockRounds
{
    private readonly int _parallelism;
    private readonly CancellationToken _cancel;

    /// <param name="parallelism">Blocks computed at once; null for one per processor. Each block runs single-threaded
    /// BLAS, as a worker's compute thread does.</param>
    /// <param name="progress">Where progress goes; null drops it.</param>
    /// <param name="rows">Where partition rounds read partitions' rows; null: a cache of their own, with
    /// <see cref="PartitionRowCache.DefaultBudget"/>, so the rounds of a job after the first (and later jobs through the
    /// same rounds) slice the rows of partitions that fit from memory instead of parsing the files again.</param>
    public InProcessBlockRounds(int? parallelism = null, Action<ProgressUpdate>? progress = null, CancellationToken cancel = default,
        IPartitionRows? rows = null)
    {
        if (parallelism is < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "at least one block at a time");
        _parallelism = parallelism ?? Environment.ProcessorCount;
        Progress = progress ?? (_ => { });
        _cancel = cancel;
        Neurons = new InProcessNeuronBlocks(_parallelism, cancel);
        Rows = rows ?? new PartitionRowCache(PartitionRowCache.DefaultBudget);
    }

    /// <summary>Where partition rounds read partitions' rows.</summary>
    public IPartitionRows Rows { get; }

    public Action<ProgressUpdate> Progress { get; }

    public INeuronBlocks Neurons { get; }

    public async Task<Matrix<double>> KernelMatrixAsync(string jobId, IFeatureKernel kernel, Matrix<double> x)
    {
        var k = new KernelMatrixAssembly(x.RowCount);
        await Run(Enumerable.Range(0, k.Plan.Count).Select(b => (Func<Matrix<double>>)(() =>
                BlockComputations.KernelRows(kernel, k.RowsOf(x, b), k.ColumnsFor(x, b)))),
            k, (acc, b, part) => acc.Add(b, part), "kernel rows", k.Plan.Count);
        return k.Complete();
    }

    public Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, IEnumerable<RowBlock> blocks, int targets,
        int blockCount)
    {
        int m = draws.ColumnCount;
        return Run(blocks.Select(b => (Func<(Matrix<double> Gram, Matrix<double> Cross)>)(() => BlockComputations.GramBlock(draws, b.X, b.Y))),
            (Gram: Matrix<double>.Build.Dense(m, m), Cross: Matrix<double>.Build.Dense(m, targets)),
            (acc, _, part) => { acc.Gram.Add(part.Gram, acc.Gram); acc.Cross.Add(part.Cross, acc.Cross); return acc; },
            "Gram blocks", blockCount);
    }

    public Task<Matrix<double>> OuterAsync(string jobId, FeatureDraws draws, Matrix<double> x)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.OuterFeatureBlock(x.RowCount, FeatureMap.OuterColumnsPerDraw(draws)));
        return Run(Enumerable.Range(0, blocks.Count).Select(f => (Func<Matrix<double>>)(() =>
                BlockComputations.OuterBlock(draws, x, blocks.Start(f), blocks.Length(f)))),
            Matrix<double>.Build.Dense(x.RowCount, x.RowCount), (acc, _, part) => { acc.Add(part, acc); return acc; },
            "feature blocks", blocks.Count);
    }

    public Task<Matrix<double>> ProjectAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> alpha)
    {
        var blocks = new BlockPlan(draws.Count, BlockPlan.DefaultFeatureBlock);
        int d2 = draws.FeatureDimension;
        return Run(Enumerable.Range(0, blocks.Count).Select(f => (Func<Matrix<double>>)(() =>
                BlockComputations.ProjectBlock(draws, x, blocks.Start(f), blocks.Length(f), alpha))),
            Matrix<double>.Build.Dense(draws.ColumnCount, alpha.ColumnCount),
            (acc, f, part) => { acc.SetSubMatrix(blocks.Start(f) * d2, 0, part); return acc; },
            "projections", blocks.Count);
    }

    public Task<double[]> ScoreAsync(string jobId, ILeverageScorer scorer, Matrix<double> pool, int blockSize)
    {
        var blocks = new BlockPlan(pool.RowCount, blockSize);
        return Run(Enumerable.Range(0, blocks.Count).Select(c => (Func<double[]>)(() =>
                BlockComputations.Score(scorer, pool.SubMatrix(blocks.Start(c), blocks.Length(c), 0, pool.ColumnCount)))),
            new double[pool.RowCount], (acc, c, part) => { part.CopyTo(acc, blocks.Start(c)); return acc; },
            "candidate blocks", blocks.Count);
    }

    public Task<Matrix<double>> PredictTransformedAsync(string jobId, IPredictiveModel model, Matrix<double> x, string stage)
    {
        var rows = new BlockPlan(x.RowCount, BlockPlan.DefaultRowBlock);
        return Run(Enumerable.Range(0, rows.Count).Select(b => (Func<Matrix<double>>)(() =>
                BlockComputations.Predict(model, x.SubMatrix(rows.Start(b), rows.Length(b), 0, x.ColumnCount)))),
            Matrix<double>.Build.Dense(x.RowCount, model.TargetNames.Length),
            (acc, b, part) => { acc.SetSubMatrix(rows.Start(b), 0, part); return acc; }, stage, rows.Count);
    }

    public Task<SquaredErrorSum> SquaredErrorsAsync(string jobId, IPredictiveModel model, IEnumerable<RowBlock> rawBlocks, int? blockCount, string stage)
    {
        var pre = model.Preprocessing;
        return Run(rawBlocks.Select(b =>
            {
                var x = pre.TransformFeatures(b.X);
                return (Func<(Matrix<double> Truth, Matrix<double> Predicted)>)(() => (b.Y, BlockComputations.Predict(model, x)));
            }),
            new SquaredErrorSum(model.TargetNames.Length),
            (acc, _, part) => { acc.Add(part.Truth, pre.InverseTransformTargets(part.Predicted)); return acc; }, stage, blockCount);
    }

    public Task<PartitionCount[]> CountPartitionsAsync(string jobId, IReadOnlyList<DataPartition> partitions) =>
        Run(partitions.Select(p => (Func<PartitionCount>)(() => PartitionComputations.Count(p))), new PartitionCount[partitions.Count],
            (acc, i, part) => { acc[i] = part; return acc; }, "partitions counted", partitions.Count);

    public Task<PartitionMoments> PartitionMomentsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split) =>
        Run(partitions.Select(p => (Func<PartitionMoments>)(() => PartitionComputations.Moments(p, columns, split, Rows))),
            new PartitionMoments(new ColumnMoments(columns.FeatureNames.Length), new ColumnMoments(columns.TargetCount)),
            (acc, _, part) => acc.MergeNext(part),
            "statistics partitions", partitions.Count);

    public Task<PartitionGram> PartitionGramAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, FeatureDraws draws) =>
        Run(partitions.Select(p => (Func<PartitionGram>)(() => PartitionComputations.Gram(p, columns, split, pre, draws, Rows))),
            PartitionGram.Zero(draws.ColumnCount, columns.TargetCount), (acc, _, part) => acc.Add(part),
            "Gram partitions", partitions.Count);

    public Task<SquaredErrorSum> PartitionSquaredErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, IPredictiveModel model, string stage) =>
        Run(partitions.Select(p => (Func<SquaredErrorSum>)(() => PartitionComputations.SquaredErrors(p, columns, split, model, Rows))),
            new SquaredErrorSum(model.TargetNames.Length), (acc, _, part) => { acc.Merge(part); return acc; }, stage, partitions.Count);

    public Task<PredictionPart[]> PartitionPredictionsAsync(string jobId, IReadOnlyList<DataPartition> partitions, IPredictiveModel model,
        IReadOnlyList<string>? columns, string directory, string stage, IReadOnlyList<string>? keep = null)
    {
        long rows = PartitionedOutput.DatasetRows(partitions);
        return Run(partitions.Select((p, i) => (Func<PredictionPart>)(() =>
                PartitionComputations.WritePredictions(p, model, columns, rows, directory, PartitionedOutput.PartName(i, partitions.Count), Rows, keep))),
            new PredictionPart[partitions.Count], (acc, i, part) => { acc[i] = part; return acc; }, stage, partitions.Count);
    }

    public Task<RowSampleKey[]> PartitionSampleKeysAsync(string jobId, IReadOnlyList<DataPartition> partitions, RowSplit? split, ulong seed,
        int count, ulong maxHash) =>
        Run(partitions.Select(p => (Func<RowSampleKey[]>)(() => PartitionComputations.SampleKeys(p, split, seed, count, maxHash))),
            Array.Empty<RowSampleKey>(), (acc, _, part) => RowSample.MergeSmallest(acc, part, count), "sample partitions", partitions.Count);

    public async Task<SampledRows> PartitionRowsAsync(string jobId, IReadOnlyList<(DataPartition Partition, long[] Rows)> requests,
        PartitionColumns columns)
    {
        var pieces = await Run(requests.Select(r => (Func<SampledRows>)(() => PartitionComputations.SampleRows(r.Partition, columns, r.Rows, Rows))),
            new List<SampledRows>(), (acc, _, part) => { acc.Add(part); return acc; }, "sampled-row requests", requests.Count);
        return SampledRows.Concat(pieces, columns.FeatureNames.Length, columns.TargetCount);
    }

    public async Task<double[]> PartitionScoresAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, Preprocessor pre, FirstStageLeverage firstStage, Matrix<double> pool)
    {
        var round = new PartitionScoreRound(partitions.Count, firstStage, pool, PartitionScoreRound.MaxCandidatesPerCommand);
        await Run(Enumerable.Range(0, round.Commands).Select(i => (Func<FirstStageScoreSums>)(() =>
            {
                var (group, partition) = round.Command(i);
                return PartitionComputations.ScoreSums(partitions[partition], columns, split, pre, round.FirstStage, round.Candidates(group), Rows);
            })),
            round, (acc, i, part) => { acc.Fold(i, part); return acc; }, "candidate partitions", round.Commands);
        return round.Scores;
    }

    public Task<long[]> PartitionLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split) =>
        Run(partitions.Select(p => (Func<long[]>)(() => PartitionComputations.Labels(p, columns, split, Rows))), Array.Empty<long>(),
            (acc, _, part) => acc.Union(part).Order().ToArray(), "label partitions", partitions.Count);

    public Task<CategoryCensus> PartitionCategoryCensusAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split = null) =>
        Run(partitions.Select(p => (Func<CategoryCensus>)(() => CategoryCensus.Of(p, columns.FeatureNames, columns.Separator, split))),
            new CategoryCensus(columns.FeatureNames), (acc, _, part) => acc.Merge(part), "census partitions", partitions.Count);

    public async Task<TextLabelPartial[]> PartitionTextLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split) =>
        (await Run(partitions.Select(p => (Func<TextLabelPartial>)(() => TextLabelScan.Of(p, columns, split))), new List<TextLabelPartial>(),
            (acc, _, part) => { acc.Add(part); return acc; }, "label-text partitions", partitions.Count)).ToArray();

    public Task<ClassificationScore> PartitionClassificationAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, IPredictiveModel model, ClassLabels classes, string stage) =>
        Run(partitions.Select(p => (Func<ClassificationScore>)(() => PartitionComputations.Classification(p, columns, split, model, classes, Rows))),
            ClassificationScore.None, (acc, _, part) => acc.Plus(part), stage, partitions.Count);

    public Task<NetworkRoundPartial> PartitionNetworkAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, Preprocessor pre, NetworkPoint point, string? stage) =>
        OrderedRound.RunAsync(partitions.Select(p => (Func<NetworkRoundPartial>)(() => PartitionComputations.Network(p, columns, split, pre, point, Rows))),
            _parallelism, NetworkRoundPartial.Zero(point.Weights.RowCount, point.Weights.ColumnCount), (acc, _, part) => acc.Add(part),
            stage is null ? null : RoundProgress.Counter(Progress, stage, partitions.Count), _cancel);

    public Task<PredictionGap> PartitionGapAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        IPredictiveModel model, IPredictiveModel reference, string stage) =>
        Run(partitions.Select(p => (Func<PredictionGap>)(() => PartitionComputations.Gap(p, columns, split, model, reference, Rows))),
            PredictionGap.Zero, (acc, _, part) => acc.Add(part), stage, partitions.Count);

    public Task<PartitionGram[]> PartitionFoldGramsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, RowFolds folds, Preprocessor pre, FeatureDraws draws) =>
        Run(partitions.Select(p => (Func<PartitionGram[]>)(() => PartitionComputations.FoldGrams(p, columns, split, folds, pre, draws, Rows))),
            FoldPartials.Zero(folds.Count, draws.ColumnCount, columns.TargetNames.Length), (acc, _, part) => FoldPartials.Add(acc, part),
            "fold Gram partitions", partitions.Count);

    public Task<SquaredErrorSum[]> PartitionFoldErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, RowFolds folds, FoldModels models) =>
        Run(partitions.Select(p => (Func<SquaredErrorSum[]>)(() => PartitionComputations.FoldSquaredErrors(p, columns, split, folds, models, Rows))),
            FoldPartials.ZeroErrors(folds.Count * models.Lambdas, columns.TargetNames.Length), (acc, _, part) => FoldPartials.Merge(acc, part),
            "held-out error partitions", partitions.Count);


    private Task<TAcc> Run<TPartial, TAcc>(IEnumerable<Func<TPartial>> blocks, TAcc seed, Func<TAcc, int, TPartial, TAcc> fold, string stage,
        int? count) =>
        OrderedRound.RunAsync(blocks, _parallelism, seed, fold, RoundProgress.Counter(Progress, stage, count), _cancel);
}

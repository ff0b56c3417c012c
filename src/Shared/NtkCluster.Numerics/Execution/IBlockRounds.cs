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
/// The execution seam: the rounds that fits, leverage sampling, spectral diagnostics, predictions and network
/// training are made of. Each round cuts its work into blocks, computes every block with
/// <see cref="BlockComputations"/> (or a <see cref="INeuronBlocks">neuron block</see>) and reduces the partials
/// strictly in block order, so a job's result depends on the data and the seed only — not on where the blocks ran,
/// how many ran at once, or in what order they finished.
/// </summary>
/// <remarks>
/// <see cref="InProcessBlockRounds"/> runs the blocks on this process's threads, with no actor system; the
/// coordinator's sharded implementation sends them to worker entities on a cluster. Estimators are written against
/// this interface only, which is why one implementation of every algorithm serves the library, local mode and the
/// cluster, with bitwise the same results.
/// </remarks>
public interface IBlockRounds
{
    /// <summary>Where this job's progress goes.</summary>
    Action<ProgressUpdate> Progress { get; }

    /// <summary>The stateful neuron blocks of network training.</summary>
    INeuronBlocks Neurons { get; }

    /// <summary>The closed-form kernel matrix K(X, X), assembled from row blocks of kernel rows.</summary>
    Task<Matrix<double>> KernelMatrixAsync(string jobId, IFeatureKernel kernel, Matrix<double> x);

    /// <summary>
    /// ΨᵀΨ and ΨᵀY of in-memory (preprocessed) rows, cut into the blocks a streamed fit reads
    /// (<see cref="BlockPlan.GramRowBlock"/> rows): which is why in-memory and streamed fits give bitwise the same sums.
    /// </summary>
    Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> y)
    {
        int rowBlock = BlockPlan.GramRowBlock(draws.ColumnCount);
        return GramAsync(jobId, draws, RowBlock.Split(x, y, rowBlock), y.ColumnCount, new BlockPlan(x.RowCount, rowBlock).Count);
    }

    /// <summary>
    /// ΨᵀΨ and ΨᵀY summed in block order over (preprocessed) row blocks produced as the round goes — read from a file
    /// for a streamed fit — so only the round's window of blocks is ever in memory.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress lines.</param>
    Task<(Matrix<double> Gram, Matrix<double> Cross)> GramAsync(string jobId, FeatureDraws draws, IEnumerable<RowBlock> blocks, int targets,
        int blockCount);

    /// <summary>ΨΨᵀ summed over feature blocks in block order (the dual form).</summary>
    Task<Matrix<double>> OuterAsync(string jobId, FeatureDraws draws, Matrix<double> x);

    /// <summary>β = Ψᵀα, one feature block's rows at a time.</summary>
    Task<Matrix<double>> ProjectAsync(string jobId, FeatureDraws draws, Matrix<double> x, Matrix<double> alpha);

    /// <summary>τ for every candidate of a pool, one candidate block per request, concatenated in pool order.</summary>
    Task<double[]> ScoreAsync(string jobId, ILeverageScorer scorer, Matrix<double> pool, int blockSize);

    /// <summary>A model's predictions for preprocessed rows, in the model's scaled target units, row block by row block.</summary>
    /// <param name="stage">The round's name in progress reports.</param>
    Task<Matrix<double>> PredictTransformedAsync(string jobId, IPredictiveModel model, Matrix<double> x, string stage);

    /// <summary>
    /// The squared errors of a model over raw row blocks (the model's feature columns and the targets, in the target's
    /// own units) produced as the round goes, predicted block by block and summed in block order.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress, when known.</param>
    Task<SquaredErrorSum> SquaredErrorsAsync(string jobId, IPredictiveModel model, IEnumerable<RowBlock> rawBlocks, int? blockCount, string stage);

    // Partition rounds: one command per partition of a dataset, which reads its own rows (never sent), computes with
    // PartitionComputations and answers one partial; the partials are reduced here in partition order, so the result
    // depends on the partitioning alone. The caller holds O(m² + partitions), never rows.

    /// <summary>Every partition's rows and (CSV) lines, in partition order (for <see cref="PartitionedDataset.WithCounts(IReadOnlyList{DataPartition}, IReadOnlyList{PartitionCount})"/>).</summary>
    Task<PartitionCount[]> CountPartitionsAsync(string jobId, IReadOnlyList<DataPartition> partitions);

    /// <summary>
    /// The partitions with their row counts and first rows (<see cref="DataPartition.FirstRow"/>), which the hashed split,
    /// folds, samples and the prediction grid decide rows by: as they are when already counted, else after a counting
    /// round (<see cref="CountPartitionsAsync"/>) — the one place every job counts.
    /// </summary>
    /// <param name="source">The dataset as the user named it, for the progress line; null reports nothing.</param>
    async Task<IReadOnlyList<DataPartition>> CountedAsync(string jobId, IReadOnlyList<DataPartition> partitions, string? source)
    {
        if (partitions.All(p => p.FirstRow is not null && p.RowCount is not null)) return partitions;
        if (source is not null) Report($"counting the rows of {partitions.Count} partition(s) of {source}");
        return PartitionedDataset.WithCounts(partitions, await CountPartitionsAsync(jobId, partitions));
    }

    /// <summary>The column moments of the partitions' rows (on one side of a split), merged in partition order.</summary>
    Task<PartitionMoments> PartitionMomentsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split);

    /// <summary>ΨᵀΨ, ΨᵀY and Σy² of the partitions' preprocessed rows (on one side of a split), added in partition order.</summary>
    Task<PartitionGram> PartitionGramAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, FeatureDraws draws);

    /// <summary>The squared errors of a model over the partitions' raw rows (on one side of a split), merged in partition order.</summary>
    /// <param name="stage">The round's name in progress reports.</param>
    Task<SquaredErrorSum> PartitionSquaredErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        IPredictiveModel model, string stage);

    /// <summary>
    /// A model's predictions for the partitions' raw rows, each partition written as its own part in
    /// <paramref name="directory"/> (<see cref="PartitionComputations.WritePredictions"/>, named by
    /// <see cref="PartitionedOutput.PartName"/>) where it is read; answered with the parts' receipts, in partition order.
    /// The partitions must be counted (<see cref="PartitionedDataset.WithCounts(IReadOnlyList{DataPartition}, IReadOnlyList{PartitionCount})"/>):
    /// every row is predicted on the whole dataset's grid of blocks.
    /// </summary>
    /// <param name="columns">The <c>--columns</c> choice, or null.</param>
    /// <param name="stage">The round's name in progress reports.</param>
    /// <param name="keep">The <c>--keep</c> columns copied in front of the predictions, or null.</param>
    Task<PredictionPart[]> PartitionPredictionsAsync(string jobId, IReadOnlyList<DataPartition> partitions, IPredictiveModel model,
        IReadOnlyList<string>? columns, string directory, string stage, IReadOnlyList<string>? keep = null);

    /// <summary>
    /// The <paramref name="count"/> smallest keys of a hashed row sample (<see cref="RowSample"/>) among the partitions'
    /// rows (on one side of a split) whose hash is at most <paramref name="maxHash"/>, ascending: each partition answers
    /// its own smallest keys from its row range (no file is read), merged here. The partitions must be counted.
    /// </summary>
    Task<RowSampleKey[]> PartitionSampleKeysAsync(string jobId, IReadOnlyList<DataPartition> partitions, RowSplit? split, ulong seed, int count,
        ulong maxHash);

    /// <summary>
    /// The raw rows of <paramref name="requests"/> (<see cref="RowSample.Requests"/>: a partition and some of its rows,
    /// by global index), each read where its partition is read, concatenated in request order.
    /// </summary>
    Task<SampledRows> PartitionRowsAsync(string jobId, IReadOnlyList<(DataPartition Partition, long[] Rows)> requests, PartitionColumns columns);

    /// <summary>
    /// The scalable leverage scores of every candidate of <paramref name="pool"/> against the partitions' preprocessed
    /// rows (on one side of a split): one command per (candidate group, partition), each answering its row sums
    /// (<see cref="PartitionComputations.ScoreSums"/>), added in partition order per group (<see cref="PartitionScoreRound"/>).
    /// </summary>
    Task<double[]> PartitionScoresAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, FirstStageLeverage firstStage, Matrix<double> pool);

    /// <summary>The distinct labels of the partitions' one target column (on one side of a split), merged in partition order, ascending.</summary>
    Task<long[]> PartitionLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split);

    /// <summary>How many of the partitions' rows (on one side of a split) a one-vs-rest classifier gets right, merged in partition order.</summary>
    /// <param name="stage">The round's name in progress reports.</param>
    Task<ClassificationScore> PartitionClassificationAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split, IPredictiveModel model, ClassLabels classes, string stage);

    /// A data-parallel network round (<see cref="PartitionComputations.Network"/>): every partition's gradient (or kernel
    /// product) partial at <paramref name="point"/>, added in partition order.
    /// </summary>
    /// <param name="stage">The round's name in progress reports; null reports nothing (a training step, which the trainer reports itself).</param>
    Task<NetworkRoundPartial> PartitionNetworkAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        Preprocessor pre, NetworkPoint point, string? stage);

    /// <summary>The gap of a model's predictions to a reference model's over the partitions' rows (on one side of a split), added in partition order.</summary>
    Task<PredictionGap> PartitionGapAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        IPredictiveModel model, IPredictiveModel reference, string stage);

    /// <summary>ΨᵀΨ, ΨᵀY and Σy² of each cross-validation fold's preprocessed rows (on one side of a split): entry f is
    /// fold f's, added in partition order.</summary>
    Task<PartitionGram[]> PartitionFoldGramsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        RowFolds folds, Preprocessor pre, FeatureDraws draws);

    /// <summary>The held-out squared errors of each fold's models (entry f·λs + l: fold f under λ l), merged in partition order.</summary>
    Task<SquaredErrorSum[]> PartitionFoldErrorsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split,
        RowFolds folds, FoldModels models);


    /// <summary>
    /// The category census of the partitions' feature columns (<see cref="CategoryCensus.Of"/>, every row, read as text
    /// with <see cref="PartitionColumns.Separator"/>), taken where each partition is read and merged in partition order.
    /// With a <paramref name="split"/> (its training side) it also counts that side's cells (<see cref="CategoryCensus.Kept"/>,
    /// the fill's counts), and the partitions must be counted (<see cref="CountedAsync"/>).
    /// </summary>
    Task<CategoryCensus> PartitionCategoryCensusAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? split = null);

    /// <summary>
    /// Every partition's part of the text-label scan (<see cref="TextLabelScan.Of"/>), read where the partition is read, in
    /// partition order (<see cref="TextLabelScan.Merge"/> makes the classes). With a split the partitions must be counted.
    /// </summary>
    Task<TextLabelPartial[]> PartitionTextLabelsAsync(string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split);

    /// <summary>A line about what the job does next (a solve, a phase).</summary>
    void Report(string message) => Progress(ProgressUpdate.Note(message));

    /// <summary>A line about how the job runs that the user asked for (a checkpoint written), shown without --verbose.</summary>
    void Notify(string message) => Progress(ProgressUpdate.Notice(message));

    /// <summary>A line shown even with --quiet: the job recovers from a failure, or a result needs a caveat.</summary>
    void Warn(string message) => Progress(ProgressUpdate.Warning(message));

    /// <summary>Units done of a stage of the job's own (steps, fits), as opposed to a round's blocks.</summary>
    void Report(string stage, long done, long? total, string unit, string? detail = null) =>
        Progress(ProgressUpdate.Count(stage, done, total, unit, detail));
}

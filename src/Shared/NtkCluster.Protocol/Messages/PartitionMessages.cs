using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Protocol.Sharding;

namespace NtkCluster.Protocol.Messages;

// Partition commands: one per partition of a dataset (BlockIndex = the partition's index), carrying the partition's
// descriptor and what to compute — never its rows. Each goes to the partition's own entity (IPartitionCommand,
// PartitionEntityId: one per partition's content, serving every round and job), which reads the partition where the
// worker can (the shared path, or a shipped copy), checks the file's fingerprint first, keeps the rows when they fit
// the worker's memory, and answers one partial (PartitionComputations), or PartitionUnreadable when the file cannot
// be read there.

/// <summary>Counts a partition's rows and lines. Answered by <see cref="PartitionCounted"/>.</summary>
public sealed record CountPartition(string JobId, int BlockIndex, DataPartition Partition) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>A partition's rows and (CSV) lines.</summary>
public sealed record PartitionCounted(string JobId, int BlockIndex, long Rows, long Lines) : IBlockReply;

/// <summary>The column moments of a partition's rows (on one side of a split). Answered by <see cref="PartitionMomentsComputed"/>.</summary>
public sealed record ComputePartitionMoments(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split)
    : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's moments of the features and targets.</summary>
public sealed record PartitionMomentsComputed(string JobId, int BlockIndex, PartitionMoments Moments) : IBlockReply;

/// <summary>ΨᵀΨ, ΨᵀY and Σy² of a partition's preprocessed rows. Answered by <see cref="PartitionGramComputed"/>.</summary>
public sealed record BuildPartitionGram(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    Preprocessor Preprocessing, FeatureDraws Draws) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's partial of a primal fit.</summary>
public sealed record PartitionGramComputed(string JobId, int BlockIndex, PartitionGram Partial) : IBlockReply;

/// <summary>The squared errors of a model over a partition's rows. Answered by <see cref="PartitionErrorsComputed"/>.</summary>
public sealed record PartitionSquaredErrors(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's sum of squared errors.</summary>
public sealed record PartitionErrorsComputed(string JobId, int BlockIndex, SquaredErrorSum Errors) : IBlockReply;

/// <summary>
/// Writes a model's predictions for a partition's rows as one part, <paramref name="PartName"/> in
/// <paramref name="Directory"/> (a staging directory the client and the workers share), atomically. Answered by
/// <see cref="PartitionPredictionsWritten"/>, a receipt: the predictions themselves never cross the network. Goes to
/// the partition's own entity, which reads the rows where its worker can (the shared path or a shipped copy) through
/// the worker's row cache.
/// </summary>
/// <param name="Partition">A counted partition: its first row places its rows on the dataset's grid of blocks.</param>
/// <param name="Columns">The <c>--columns</c> choice, or null.</param>
/// <param name="DatasetRows">Rows in the whole dataset.</param>
public sealed record WritePartitionPredictions(string JobId, int BlockIndex, DataPartition Partition, IPredictiveModel Model, string[]? Columns,
    long DatasetRows, string Directory, string PartName) : IPartitionCommand
{
    /// <summary>The <c>--keep</c> columns, copied from the partition's file in front of the predictions; null for none.</summary>
    public string[]? Keep { get; init; }

    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's part is in place: its name, rows, bytes and checksum.</summary>
public sealed record PartitionPredictionsWritten(string JobId, int BlockIndex, PredictionPart Part) : IBlockReply;
/// A partition's smallest keys of a hashed row sample (<see cref="RowSample.SmallestKeys"/>), from its row range alone
/// (no file is read). Answered by <see cref="PartitionSampleKeysFound"/>.
/// </summary>
/// <param name="Count">At most this many keys (the sample's size).</param>
/// <param name="MaxHash">Only keys with a hash at most this (<see cref="RowSample.HashBound"/>).</param>
public sealed record FindPartitionSampleKeys(string JobId, int BlockIndex, DataPartition Partition, RowSplit? Split, ulong Seed, int Count,
    ulong MaxHash) : IBlockCommand
{
    public string EntityId => $"{JobId}.pkeys.{BlockIndex}";
}

/// <summary>One partition's smallest sample keys, ascending.</summary>
public sealed record PartitionSampleKeysFound(string JobId, int BlockIndex, RowSampleKey[] Keys) : IBlockReply;

/// <summary>
/// Some rows of a partition by their global indices (one request of <see cref="RowSample.Requests"/>; BlockIndex is the
/// request's position, not the partition's). Answered by <see cref="PartitionRowsRead"/>.
/// </summary>
public sealed record ReadPartitionRows(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, long[] Rows)
    : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>The raw rows of a <see cref="ReadPartitionRows"/> request.</summary>
public sealed record PartitionRowsRead(string JobId, int BlockIndex, SampledRows Rows) : IBlockReply;

/// <summary>
/// A worker cannot read a partition (the path is missing there, unreadable, changed since the job started, or holds
/// a bad row): the job fails with one line that names the worker and the reason (which names the path).
/// </summary>
public sealed record PartitionUnreadable(string JobId, int BlockIndex, string Worker, string Reason) : IBlockReply;

/// <summary>
/// The scalable leverage scorer's row sums of a group of candidates over a partition's preprocessed rows
/// (<see cref="NtkCluster.Numerics.Execution.PartitionComputations.ScoreSums"/>). BlockIndex = group · partitions +
/// the partition's index. Answered by <see cref="PartitionCandidatesScored"/>.
/// </summary>
public sealed record ScorePartitionCandidates(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    Preprocessor Preprocessing, FeatureDraws FirstStage, MathNet.Numerics.LinearAlgebra.Matrix<double> Candidates) : IBlockCommand
{
    public string EntityId => $"{JobId}.pscore.{BlockIndex}";
}

/// <summary>One partition's ZᵀΦ and ‖φ‖² for one candidate group.</summary>
public sealed record PartitionCandidatesScored(string JobId, int BlockIndex, FirstStageScoreSums Sums) : IBlockReply;

/// <summary>The distinct labels of a partition's label column (<c>--task classify</c>). Answered by <see cref="PartitionLabelsFound"/>.</summary>
public sealed record FindPartitionLabels(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split)
    : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's distinct labels, ascending.</summary>
public sealed record PartitionLabelsFound(string JobId, int BlockIndex, long[] Labels) : IBlockReply;

/// <summary>How many of a partition's rows a one-vs-rest classifier gets right. Answered by <see cref="PartitionClassifierScored"/>.</summary>
public sealed record ScorePartitionClassifier(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model, NtkCluster.Numerics.Classification.ClassLabels Classes) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's classification counts.</summary>
public sealed record PartitionClassifierScored(string JobId, int BlockIndex, NtkCluster.Numerics.Classification.ClassificationScore Score) : IBlockReply;

/// A data-parallel network round on one partition (<see cref="NtkCluster.Numerics.Execution.PartitionComputations.Network"/>):
/// the partition's gradient (or kernel-product) partial at the network <see cref="Point"/>, sent whole with the command
/// (m×d doubles; the transport cuts a large command into pieces). Each round has its own job id, so a retry of a step
/// after a worker loss asks the same entity the same question. Answered by <see cref="PartitionNetworkComputed"/>.
/// </summary>
public sealed record ComputePartitionNetwork(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    Preprocessor Preprocessing, NtkCluster.Numerics.Networks.NetworkPoint Point) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's network-round partial.</summary>
public sealed record PartitionNetworkComputed(string JobId, int BlockIndex, NtkCluster.Numerics.Networks.NetworkRoundPartial Partial) : IBlockReply;

/// <summary>
/// The gap between a model's and a reference model's predictions over a partition's rows (a trained network against
/// NTK ridge regression). Answered by <see cref="PartitionGapComputed"/>.
/// </summary>
public sealed record ComputePartitionGap(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model, IPredictiveModel Reference) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's prediction gap.</summary>
public sealed record PartitionGapComputed(string JobId, int BlockIndex, PredictionGap Gap) : IBlockReply;

/// <summary>Each cross-validation fold's ΨᵀΨ, ΨᵀY and Σy² over a partition's preprocessed rows. Answered by
/// <see cref="PartitionFoldGramsComputed"/> (k m×m partials: the round cuts it into frame-sized pieces).</summary>
public sealed record BuildPartitionFoldGrams(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowFolds Folds, Preprocessor Preprocessing, FeatureDraws Draws) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's partial per fold, in fold order.</summary>
public sealed record PartitionFoldGramsComputed(string JobId, int BlockIndex, PartitionGram[] Partials) : IBlockReply;

/// <summary>The held-out squared errors of every fold's models over a partition's rows. Answered by
/// <see cref="PartitionFoldErrorsComputed"/>.</summary>
public sealed record PartitionFoldSquaredErrors(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowFolds Folds, FoldModels Models) : IPartitionCommand
{
    public string EntityId => PartitionEntityId.Of(Partition);

    public IPartitionCommand WithPartition(DataPartition local) => this with { Partition = local };
}

/// <summary>One partition's squared-error sums, entry f·λs + l for fold f under λ l.</summary>
public sealed record PartitionFoldErrorsComputed(string JobId, int BlockIndex, SquaredErrorSum[] Errors) : IBlockReply;


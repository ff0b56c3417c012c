using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Protocol.Messages;

// Partition commands: one per partition of a dataset (BlockIndex = the partition's index), carrying the partition's
// descriptor and what to compute — never its rows. The entity reads the partition from the path (the shared-path
// mode), checks the file's fingerprint first, and answers one partial (PartitionComputations), or
// PartitionUnreadable when the file cannot be read there.

/// <summary>Counts a partition's rows and lines. Answered by <see cref="PartitionCounted"/>.</summary>
public sealed record CountPartition(string JobId, int BlockIndex, DataPartition Partition) : IBlockCommand
{
    public string EntityId => $"{JobId}.pcount.{BlockIndex}";
}

/// <summary>A partition's rows and (CSV) lines.</summary>
public sealed record PartitionCounted(string JobId, int BlockIndex, long Rows, long Lines) : IBlockReply;

/// <summary>The column moments of a partition's rows (on one side of a split). Answered by <see cref="PartitionMomentsComputed"/>.</summary>
public sealed record ComputePartitionMoments(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split)
    : IBlockCommand
{
    public string EntityId => $"{JobId}.pstats.{BlockIndex}";
}

/// <summary>One partition's moments of the features and targets.</summary>
public sealed record PartitionMomentsComputed(string JobId, int BlockIndex, PartitionMoments Moments) : IBlockReply;

/// <summary>ΨᵀΨ, ΨᵀY and Σy² of a partition's preprocessed rows. Answered by <see cref="PartitionGramComputed"/>.</summary>
public sealed record BuildPartitionGram(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    Preprocessor Preprocessing, FeatureDraws Draws) : IBlockCommand
{
    public string EntityId => $"{JobId}.pgram.{BlockIndex}";
}

/// <summary>One partition's partial of a primal fit.</summary>
public sealed record PartitionGramComputed(string JobId, int BlockIndex, PartitionGram Partial) : IBlockReply;

/// <summary>The squared errors of a model over a partition's rows. Answered by <see cref="PartitionErrorsComputed"/>.</summary>
public sealed record PartitionSquaredErrors(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model) : IBlockCommand
{
    public string EntityId => $"{JobId}.perr.{BlockIndex}";
}

/// <summary>One partition's sum of squared errors.</summary>
public sealed record PartitionErrorsComputed(string JobId, int BlockIndex, SquaredErrorSum Errors) : IBlockReply;

/// <summary>
/// A worker cannot read a partition (the path is missing there, unreadable, changed since the job started, or holds
/// a bad row): the job fails with one line that names the worker and the reason (which names the path).
/// </summary>
public sealed record PartitionUnreadable(string JobId, int BlockIndex, string Worker, string Reason) : IBlockReply;

/// <summary>
/// A partition's raw rows (on one side of a split) with their global indices: all of them, or its part of a hashed
/// <see cref="RowSample"/> (at most the sample's size). Answered by <see cref="PartitionRowsRead"/>.
/// </summary>
public sealed record ReadPartitionRows(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowSample? Sample) : IBlockCommand
{
    public string EntityId => $"{JobId}.prows.{BlockIndex}";
}

/// <summary>One partition's rows (a large answer travels in pieces).</summary>
public sealed record PartitionRowsRead(string JobId, int BlockIndex, PartitionRowSet Rows) : IBlockReply;

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
    : IBlockCommand
{
    public string EntityId => $"{JobId}.plabels.{BlockIndex}";
}

/// <summary>One partition's distinct labels, ascending.</summary>
public sealed record PartitionLabelsFound(string JobId, int BlockIndex, long[] Labels) : IBlockReply;

/// <summary>How many of a partition's rows a one-vs-rest classifier gets right. Answered by <see cref="PartitionClassifierScored"/>.</summary>
public sealed record ScorePartitionClassifier(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model, NtkCluster.Numerics.Classification.ClassLabels Classes) : IBlockCommand
{
    public string EntityId => $"{JobId}.pclass.{BlockIndex}";
}

/// <summary>One partition's classification counts.</summary>
public sealed record PartitionClassifierScored(string JobId, int BlockIndex, NtkCluster.Numerics.Classification.ClassificationScore Score) : IBlockReply;

using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;

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

/// <summary>Each cross-validation fold's ΨᵀΨ, ΨᵀY and Σy² over a partition's preprocessed rows. Answered by
/// <see cref="PartitionFoldGramsComputed"/> (k m×m partials: the round cuts it into frame-sized pieces).</summary>
public sealed record BuildPartitionFoldGrams(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowFolds Folds, Preprocessor Preprocessing, FeatureDraws Draws) : IBlockCommand
{
    public string EntityId => $"{JobId}.pfgram.{BlockIndex}";
}

/// <summary>One partition's partial per fold, in fold order.</summary>
public sealed record PartitionFoldGramsComputed(string JobId, int BlockIndex, PartitionGram[] Partials) : IBlockReply;

/// <summary>The held-out squared errors of every fold's models over a partition's rows. Answered by
/// <see cref="PartitionFoldErrorsComputed"/>.</summary>
public sealed record PartitionFoldSquaredErrors(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowFolds Folds, FoldModels Models) : IBlockCommand
{
    public string EntityId => $"{JobId}.pferr.{BlockIndex}";
}

/// <summary>One partition's squared-error sums, entry f·λs + l for fold f under λ l.</summary>
public sealed record PartitionFoldErrorsComputed(string JobId, int BlockIndex, SquaredErrorSum[] Errors) : IBlockReply;

/// <summary>A partition's rows in a hashed bottom-k sample (at most <see cref="RowSample.Count"/> rows). Answered by
/// <see cref="PartitionSampleComputed"/>.</summary>
public sealed record SamplePartitionRows(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    RowSample Sample) : IBlockCommand
{
    public string EntityId => $"{JobId}.psample.{BlockIndex}";
}

/// <summary>One partition's sampled rows, raw, in row order.</summary>
public sealed record PartitionSampleComputed(string JobId, int BlockIndex, SampledRows Rows) : IBlockReply;

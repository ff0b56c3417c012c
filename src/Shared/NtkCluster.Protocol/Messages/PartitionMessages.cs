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

/// <summary>
/// A data-parallel network round on one partition (<see cref="NtkCluster.Numerics.Execution.PartitionComputations.Network"/>):
/// the partition's gradient (or kernel-product) partial at the network <see cref="Point"/>, sent whole with the command
/// (m×d doubles; the transport cuts a large command into pieces). Each round has its own job id, so a retry of a step
/// after a worker loss asks the same entity the same question. Answered by <see cref="PartitionNetworkComputed"/>.
/// </summary>
public sealed record ComputePartitionNetwork(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    Preprocessor Preprocessing, NtkCluster.Numerics.Networks.NetworkPoint Point) : IBlockCommand
{
    public string EntityId => $"{JobId}.pnet.{BlockIndex}";
}

/// <summary>One partition's network-round partial.</summary>
public sealed record PartitionNetworkComputed(string JobId, int BlockIndex, NtkCluster.Numerics.Networks.NetworkRoundPartial Partial) : IBlockReply;

/// <summary>
/// The gap between a model's and a reference model's predictions over a partition's rows (a trained network against
/// NTK ridge regression). Answered by <see cref="PartitionGapComputed"/>.
/// </summary>
public sealed record ComputePartitionGap(string JobId, int BlockIndex, DataPartition Partition, PartitionColumns Columns, RowSplit? Split,
    IPredictiveModel Model, IPredictiveModel Reference) : IBlockCommand
{
    public string EntityId => $"{JobId}.pgap.{BlockIndex}";
}

/// <summary>One partition's prediction gap.</summary>
public sealed record PartitionGapComputed(string JobId, int BlockIndex, PredictionGap Gap) : IBlockReply;

using NtkCluster.Numerics.Data;

namespace NtkCluster.Protocol.Jobs;

/// <summary>The answer to <see cref="SubmitPartitionedScan"/>.</summary>
/// <param name="Encoding">The categorical columns' one-hot encoding (empty when none, or not asked).</param>
/// <param name="LabelNames">The text classes in ordinal order, or null (integer labels, or not asked).</param>
public sealed record PartitionScanOutcome(CategoricalColumn[] Encoding, string[]? LabelNames);

using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The column moments of the features and targets of some rows: one partition's partial of the preprocessing
/// statistics, or the merge of several in partition order.
/// </summary>
public sealed record PartitionMoments(ColumnMoments Features, ColumnMoments Targets)
{
    /// <summary>The moments of every row a reader gives, block by block in block order (a partition's partial).</summary>
    public static PartitionMoments Of(IRowBlockReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var features = new ColumnMoments(reader.FeatureNames.Length);
        var targets = new ColumnMoments(reader.TargetNames.Length);
        while (reader.ReadBlock() is { } block)
        {
            features.Add(block.X);
            targets.Add(block.Y);
        }
        return new PartitionMoments(features, targets);
    }

    /// <summary>
    /// The partials merged in the order given, which must be partition order (<see cref="ColumnMoments.Merge"/>): the
    /// moments of the whole dataset, the same whichever worker computed which partial.
    /// </summary>
    public static PartitionMoments Merge(IEnumerable<PartitionMoments> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        PartitionMoments? merged = null;
        foreach (var partial in partials)
        {
            merged ??= new PartitionMoments(new ColumnMoments(partial.Features.Columns), new ColumnMoments(partial.Targets.Columns));
            merged.Features.Merge(partial.Features);
            merged.Targets.Merge(partial.Targets);
        }
        return merged ?? throw new ArgumentException("no partials to merge", nameof(partials));
    }
}

using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The column moments of the features and targets of some rows: one partition's partial of the preprocessing
/// statistics, or the merge of several in partition order.
/// </summary>
public sealed record PartitionMoments(ColumnMoments Features, ColumnMoments Targets)
{
    /// <summary>With <c>--missing</c> on a partitioned dataset: what the rows' missing cells were (<see cref="MissingRows"/>).</summary>
    public MissingCensus? Missing { get; init; }

    /// <summary>Merges <paramref name="partial"/> into this accumulator (the next partition in order) and returns the result.</summary>
    public PartitionMoments MergeNext(PartitionMoments partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        Features.Merge(partial.Features);
        Targets.Merge(partial.Targets);
        if (partial.Missing is null) return this;
        if (Missing is null)
        {
            var census = new MissingCensus(partial.Missing.FeatureMissing.Length, partial.Missing.TargetMissing.Length, partial.Missing.Histogram is not null);
            return (this with { Missing = census.Merge(partial.Missing) });
        }
        Missing.Merge(partial.Missing);
        return this;
    }

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

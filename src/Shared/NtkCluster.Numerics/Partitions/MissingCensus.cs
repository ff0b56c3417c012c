namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The missing cells a partition's training rows hold, counted by the moments round when <c>--missing</c> applies to a
/// partitioned dataset (<see cref="MissingRows"/>): one partition's partial, or the merge of several in partition
/// order — all the coordinator needs to refuse in one line, report drops, and learn mean and median fills without
/// holding a row.
/// </summary>
public sealed class MissingCensus
{
    public MissingCensus(int features, int targets, bool histogram)
    {
        TargetMissing = new long[targets];
        FeatureMissing = new long[features];
        PresentSums = new double[features];
        PresentCounts = new long[features];
        Histogram = histogram ? new long[features * MedianProbe.Targets * MedianProbe.Buckets] : null;
    }

    /// <summary>Rows read (on the split's side).</summary>
    public long Rows { get; set; }

    /// <summary>Missing cells of each target column, over every row read.</summary>
    public long[] TargetMissing { get; init; }

    /// <summary>Rows dropped because a target is missing (always: a row without a target has nothing to fit).</summary>
    public long WithoutTarget { get; set; }

    /// <summary>Missing cells of each feature column, over the rows that have a target.</summary>
    public long[] FeatureMissing { get; init; }

    /// <summary>Rows with a target dropped for a missing feature (<c>--missing drop</c>).</summary>
    public long DroppedIncomplete { get; set; }

    /// <summary>The sum of each feature column's present cells (rows with a target), in row order.</summary>
    public double[] PresentSums { get; init; }

    /// <summary>The present cells of each feature column (rows with a target).</summary>
    public long[] PresentCounts { get; init; }

    /// <summary>With a <see cref="MedianProbe"/>: the present values under each of its prefixes, by their next byte.</summary>
    public long[]? Histogram { get; init; }

    /// <summary>Adds another partial into this one (counts added, sums added: in partition order, so a merge depends on the
    /// partitioning alone).</summary>
    public MissingCensus Merge(MissingCensus other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Rows += other.Rows;
        WithoutTarget += other.WithoutTarget;
        DroppedIncomplete += other.DroppedIncomplete;
        for (int c = 0; c < TargetMissing.Length; c++) TargetMissing[c] += other.TargetMissing[c];
        for (int c = 0; c < FeatureMissing.Length; c++)
        {
            FeatureMissing[c] += other.FeatureMissing[c];
            PresentSums[c] += other.PresentSums[c];
            PresentCounts[c] += other.PresentCounts[c];
        }
        if (Histogram is not null && other.Histogram is not null)
            for (int i = 0; i < Histogram.Length; i++) Histogram[i] += other.Histogram[i];
        return this;
    }
}

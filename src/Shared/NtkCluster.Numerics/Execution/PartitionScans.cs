using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The scans a partitioned job needs before its first numeric round — the categories of text feature columns
/// (<see cref="CategoryCensus"/>) and the classes of text labels (<see cref="TextLabelScan"/>) — run as rounds, so each
/// partition is read where its rounds run (a worker, with the shared path or a shipped copy) and the caller merges
/// small partials in partition order: the same encoding and classes as the client-side scans, bit for bit.
/// </summary>
public static class PartitionScans
{
    /// <summary>
    /// The one-hot encoding of the partitions' categorical feature columns (<see cref="CategoryCensus.Encoding"/>): the
    /// categories of every row; with a <paramref name="split"/> (its training side) and <c>--missing mean|median</c>, the
    /// fill of the training side's rows, as the single file's (the partitions are counted first,
    /// <see cref="IBlockRounds.CountedAsync"/>). Without a fill the split changes nothing, and no count is taken for it.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">As <see cref="CategoryCensus.Encoding"/> and <see cref="CategoryCensus.Of"/>.</exception>
    public static async Task<CategoricalColumn[]> CategoriesAsync(IBlockRounds rounds, string jobId, string source,
        IReadOnlyList<DataPartition> partitions, PartitionColumns columns, IReadOnlyList<string>? forced, MissingPolicy missing,
        RowSplit? split = null)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (missing is not (MissingPolicy.Mean or MissingPolicy.Median)) split = null;
        if (split is not null) partitions = await rounds.CountedAsync(jobId + "-count", partitions, source: null);
        var census = await rounds.PartitionCategoryCensusAsync(jobId, partitions, columns, split);
        return census.Encoding(source, forced, missing);
    }

    /// <summary>
    /// The text classes in ordinal order, or null when the labels are integers (<see cref="TextLabelScan.Collect"/>): the
    /// first partition is asked alone first, so integer labels cost one partition's read, as in the client-side scan.
    /// With a split, the partitions are counted first (<see cref="IBlockRounds.CountedAsync"/>).
    /// </summary>
    public static async Task<string[]?> TextLabelsAsync(IBlockRounds rounds, string jobId, IReadOnlyList<DataPartition> partitions,
        PartitionColumns columns, RowSplit? split)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (!TextLabelScan.Applies(partitions, columns)) return null;
        // Whether the labels are numbers does not depend on the split: the first partition's probe needs no count.
        var first = await rounds.PartitionTextLabelsAsync(jobId + "-first", [partitions[0]], columns, null);
        if (TextLabelScan.Merge(first) is null) return null;
        if (split is not null) partitions = await rounds.CountedAsync(jobId + "-count", partitions, source: null);
        return TextLabelScan.Merge(await rounds.PartitionTextLabelsAsync(jobId, partitions, columns, split));
    }
}

using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The text classes of a partitioned dataset (<see cref="PartitionColumns.LabelNames"/>), collected where the job is
/// submitted, before any round: the labels round of the job reads numbers (class codes), so the codes — the index of
/// each class among the ordinally sorted labels — must be fixed first, the same on every worker.
/// </summary>
/// <remarks>
/// The first part decides the kind: if every label in it reads as a number, the labels are integers and nothing else
/// is read here (a text label in a later part is then refused where it is read). Otherwise every training part's label
/// column is read once, in partition order, and the distinct labels of the rows on the training side of the split (by
/// their global row index, as <see cref="RowSplit"/> keeps them) are the classes. CSV only: a Parquet dataset's labels
/// are numbers.
/// </remarks>
public static class TextLabelScan
{
    /// <summary>The text classes in ordinal order, or null when the labels are integers (or the dataset is Parquet).</summary>
    public static string[]? Collect(IReadOnlyList<DataPartition> partitions, PartitionColumns columns, RowSplit? split)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(columns);
        if (!Applies(partitions, columns)) return null;
        var partials = new List<TextLabelPartial>();
        long row = 0;
        for (int p = 0; p < partitions.Count; p++)
        {
            var partial = Of(partitions[p], columns, split, row);
            partials.Add(partial);
            if (!partial.HasColumn || (p == 0 && partial.Numbers)) break;
            row += partial.Rows;
        }
        return Merge(partials);
    }

    /// <summary>Whether a scan can find text labels: a CSV dataset with one label column.</summary>
    public static bool Applies(IReadOnlyList<DataPartition> partitions, PartitionColumns columns)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(columns);
        return partitions.Count > 0 && partitions[0].Format == DataFormat.Csv && columns.TargetNames.Length == 1;
    }

    /// <summary>
    /// One partition's labels: every row's label column read as text (the feature columns may hold text categories too),
    /// whether they are all numbers, and the distinct ones on the training side of <paramref name="split"/>.
    /// </summary>
    /// <param name="firstRow">The global index of the partition's first row (the split decides by it); null takes
    /// <see cref="DataPartition.FirstRow"/>, which a split then needs.</param>
    public static TextLabelPartial Of(DataPartition partition, PartitionColumns columns, RowSplit? split, long? firstRow = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        long row = firstRow ?? partition.FirstRow ?? (split is null ? 0
            : throw new ArgumentException($"partition {partition.Index} is not counted: a split needs its first row", nameof(partition)));
        string label = columns.TargetNames[0];
        var texts = new SortedSet<string>(StringComparer.Ordinal);
        bool numbers = true;
        long rows = 0;
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        using var reader = PartitionReader.OpenRange(partition, columns.Separator);
        int at = Array.IndexOf(reader.Columns, label);
        if (at < 0) return new TextLabelPartial(false, true, [], 0);
        reader.ParseOnly([]);
        reader.KeepText([at]);
        var values = new double[reader.Columns.Length];
        for (; reader.ReadRow(values); row++, rows++)
        {
            if (reader.Texts[at] is not { } text) continue;
            numbers &= LabelTexts.IsNumber(text, out _);
            if (split is null || split.Keeps(row)) texts.Add(text);
        }
        return new TextLabelPartial(true, numbers, texts.ToArray(), rows);
    }

    /// <summary>
    /// The partitions' partials merged in partition order: null when a partition lacks the column or the first one's
    /// labels are all numbers (the labels are integers); else every partial's labels, in ordinal order.
    /// </summary>
    public static string[]? Merge(IReadOnlyList<TextLabelPartial> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        if (partials.Count == 0 || partials.Any(p => !p.HasColumn) || partials[0].Numbers) return null;
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var partial in partials) kept.UnionWith(partial.Texts);
        return kept.ToArray();
    }
}

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
        if (partitions.Count == 0 || partitions[0].Format != DataFormat.Csv || columns.TargetNames.Length != 1) return null;
        string label = columns.TargetNames[0];
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        long row = 0;
        for (int p = 0; p < partitions.Count; p++)
        {
            // Only the label column is looked at (as text): the feature columns may hold text categories too.
            var texts = new HashSet<string>(StringComparer.Ordinal);
            bool numbers = true;
            partitions[p].Fingerprint.EnsureUnchanged(partitions[p].Path);
            using (var reader = PartitionReader.OpenRange(partitions[p], columns.Separator))
            {
                int at = Array.IndexOf(reader.Columns, label);
                if (at < 0) return null; // the reader of the first round says what is wrong
                reader.ParseOnly([]);
                reader.KeepText([at]);
                var values = new double[reader.Columns.Length];
                for (; reader.ReadRow(values); row++)
                {
                    if (reader.Texts[at] is not { } text) continue;
                    numbers &= LabelTexts.IsNumber(text, out _);
                    if (split is null || split.Keeps(row)) texts.Add(text);
                }
            }
            if (p == 0 && numbers) return null;
            kept.UnionWith(texts);
        }
        return kept.ToArray();
    }
}

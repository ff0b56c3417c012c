using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The categories of a partitioned dataset's feature columns: one partition's partial (<see cref="Of"/>), or the merge
/// of several in partition order (<see cref="Merge"/>) — which columns hold text, and how many cells of each distinct
/// text each column has. <see cref="Encoding"/> turns the merge into the one-hot encoding
/// (<see cref="CategoricalColumn"/>) that <see cref="CategoricalTable.ReadTraining"/> learns from the concatenated file:
/// the same categories, in the same sorted order, with the same fill and the same refusals.
/// </summary>
/// <remarks>
/// <para>
/// Like the single file's reader, the census counts every row of every training part, whatever <c>--test-fraction</c>
/// holds out and whether or not its target is missing: the categories are a property of the training data, fixed before
/// any round reads numbers. A partial holds text counts only: a column whose distinct cells pass
/// <see cref="CountLimit"/> stops being counted (<see cref="More"/>), since it is either numeric (and then its values
/// are not needed) or an identifier that is refused anyway.
/// </para>
/// <para>
/// Counts are added, so the merge does not depend on the order, and the categories are sorted in the end: the same
/// encoding on any number of workers.
/// </para>
/// </remarks>
public sealed class CategoryCensus
{
    /// <summary>Distinct cells counted per column and partial before a column counts as having too many (more than
    /// <see cref="CategoricalEncoder.MaxCategories"/> categories, with room for spellings of one numeric code).</summary>
    public const int CountLimit = 4 * CategoricalEncoder.MaxCategories;

    public CategoryCensus(string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        Text = new bool[columns.Length];
        More = new bool[columns.Length];
        Counts = columns.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
    }

    /// <summary>The feature columns counted (names in the file), in feature order.</summary>
    public string[] Columns { get; }

    /// <summary>Rows read.</summary>
    public long Rows { get; set; }

    /// <summary>Whether each column has a present cell that is not a number (<see cref="CategoricalEncoder.LooksNumeric"/>).</summary>
    public bool[] Text { get; init; }

    /// <summary>Whether each column had more than <see cref="CountLimit"/> distinct cells, and stopped being counted.</summary>
    public bool[] More { get; init; }

    /// <summary>Each column's present cells by their text (trimmed, unquoted), while it has at most <see cref="CountLimit"/>.</summary>
    public Dictionary<string, long>[] Counts { get; init; }

    /// <summary>Adds another partial into this one and returns this.</summary>
    public CategoryCensus Merge(CategoryCensus other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Columns.Length != Columns.Length) throw new ArgumentException($"{Columns.Length} columns, {other.Columns.Length} in the other census", nameof(other));
        Rows += other.Rows;
        for (int c = 0; c < Columns.Length; c++)
        {
            Text[c] |= other.Text[c];
            More[c] |= other.More[c];
            if (More[c])
            {
                Counts[c].Clear();
                continue;
            }
            foreach (var (cell, n) in other.Counts[c]) Counts[c][cell] = Counts[c].GetValueOrDefault(cell) + n;
            if (Counts[c].Count > CountLimit)
            {
                More[c] = true;
                Counts[c].Clear();
            }
        }
        return this;
    }

    /// <summary>Takes the census of one partition: every row, each of <paramref name="columns"/> read as text.</summary>
    /// <param name="separator">CSV: <c>--separator</c>; null detects it from the file's header.</param>
    /// <exception cref="InvalidInputException">The file changed or cannot be read, or lacks a column.</exception>
    public static CategoryCensus Of(DataPartition partition, string[] columns, char? separator)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        var census = new CategoryCensus(columns);
        if (partition.Format == DataFormat.Parquet)
        {
            // A Parquet column's type says what it is: its string columns are text, every cell a category; numeric
            // columns are numbers (not counted: --categorical reads CSV only).
            using var file = ParquetColumnReader.Open(partition.Path, columns, text: true);
            var strings = file.AllColumns.Where(c => c.Type == "string").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            census.Rows = file.RowGroupRowCount(partition.RowGroup);
            for (int c = 0; c < columns.Length; c++)
            {
                if (!strings.Contains(columns[c])) continue;
                census.Text[c] = true;
                foreach (string? cell in file.ReadStrings(partition.RowGroup, columns[c]))
                    census.Add(c, cell is null || MissingValues.IsMissingText(cell) ? null : cell, '\0');
            }
            return census;
        }
        using var reader = PartitionReader.OpenRange(partition, separator);
        var at = columns.Select(name =>
        {
            int i = Array.IndexOf(reader.Columns, name);
            return i >= 0 ? i : throw new InvalidInputException($"{partition.Path}: no column '{name}' (columns: {string.Join(", ", reader.Columns)})");
        }).ToArray();
        reader.ParseOnly([]);
        reader.KeepText(at);
        var row = new double[reader.Columns.Length];
        while (reader.ReadRow(row))
        {
            census.Rows++;
            for (int c = 0; c < at.Length; c++) census.Add(c, reader.Texts[at[c]], reader.Separator);
        }
        return census;
    }

    private void Add(int c, string? cell, char separator)
    {
        if (cell is null) return;
        if (!CategoricalEncoder.LooksNumeric(cell, separator)) Text[c] = true;
        if (More[c]) return;
        var counts = Counts[c];
        counts[cell] = counts.GetValueOrDefault(cell) + 1;
        if (counts.Count > CountLimit)
        {
            More[c] = true;
            counts.Clear();
        }
    }

    /// <summary>
    /// The census of every partition, one after another in partition order, merged, and its <see cref="Encoding"/>: what
    /// a job submitted without a census round does where it is submitted (as <see cref="TextLabelScan"/>).
    /// </summary>
    public static CategoricalColumn[] Collect(string source, IReadOnlyList<DataPartition> partitions, string[] columns, char? separator,
        IReadOnlyList<string>? forced, MissingPolicy missing)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var census = new CategoryCensus(columns);
        foreach (var partition in partitions) census.Merge(Of(partition, columns, separator));
        return census.Encoding(source, forced, missing);
    }

    /// <summary>
    /// The encoding of the categorical columns — those holding text, and those <paramref name="forced"/> names — in column
    /// order; empty when there is none. The rules of <see cref="CategoricalTable.ReadTraining"/>: a forced column whose
    /// cells are all numbers is matched by value (<see cref="CategoricalColumn.Codes"/>), every other one by its text.
    /// </summary>
    /// <param name="source">The dataset, as the refusals name it.</param>
    /// <exception cref="InvalidInputException">A categorical column is entirely missing or has more than
    /// <see cref="CategoricalEncoder.MaxCategories"/> categories.</exception>
    public CategoricalColumn[] Encoding(string source, IReadOnlyList<string>? forced, MissingPolicy missing)
    {
        forced ??= [];
        var encoding = new List<CategoricalColumn>();
        for (int c = 0; c < Columns.Length; c++)
        {
            if (!Text[c] && !forced.Contains(Columns[c], StringComparer.Ordinal)) continue;
            var counts = Counts[c];
            bool codes = !Text[c] && !More[c] && counts.Keys.All(k => CategoricalColumn.Canonical(k) is not null);
            if (codes)
            {
                var byValue = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (cell, n) in counts)
                {
                    string key = CategoricalColumn.Canonical(cell)!;
                    byValue[key] = byValue.GetValueOrDefault(key) + n;
                }
                counts = byValue;
            }
            encoding.Add(CategoricalEncoder.FromCounts(source, Columns[c], counts, Rows, codes, missing, More[c]));
        }
        return encoding.ToArray();
    }
}

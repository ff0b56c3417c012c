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
/// any round reads numbers. Taken with a split (<see cref="RowSplit"/>, <c>--test-fraction</c> under
/// <c>--missing mean|median</c>), it also counts each category's cells in the rows on the training side
/// (<see cref="Kept"/>): the fill is the training rows' most frequent category, as <see cref="CategoryFills"/> makes the
/// single file's, while the categories stay those of every row. A partial holds text counts only: a column whose distinct cells pass
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

    /// <param name="split">Whether the census also counts the training side of a split (<see cref="Kept"/>).</param>
    public CategoryCensus(string[] columns, bool split = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        Text = new bool[columns.Length];
        More = new bool[columns.Length];
        Counts = NewCounts(columns.Length);
        if (split) Kept = NewCounts(columns.Length);
    }

    private static Dictionary<string, long>[] NewCounts(int columns) =>
        Enumerable.Range(0, columns).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();

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

    /// <summary>
    /// Taken with a split: each column's present cells in the rows on the training side (a subset of <see cref="Counts"/>,
    /// cleared with it past <see cref="CountLimit"/>), from which <see cref="Encoding"/> learns the fill; null without one.
    /// </summary>
    public Dictionary<string, long>[]? Kept { get; private set; }

    /// <summary>Taken with a split: the rows on the training side, for the line that refuses a column with none there.</summary>
    public long KeptRows { get; set; }

    /// <summary>Adds another partial into this one and returns this.</summary>
    public CategoryCensus Merge(CategoryCensus other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Columns.Length != Columns.Length) throw new ArgumentException($"{Columns.Length} columns, {other.Columns.Length} in the other census", nameof(other));
        Rows += other.Rows;
        // An empty accumulator (the rounds' seed) takes the split of the partials it is merged with.
        if (other.Kept is not null) Kept ??= NewCounts(Columns.Length);
        KeptRows += other.KeptRows;
        for (int c = 0; c < Columns.Length; c++)
        {
            Text[c] |= other.Text[c];
            More[c] |= other.More[c];
            if (More[c])
            {
                Clear(c);
                continue;
            }
            foreach (var (cell, n) in other.Counts[c]) Counts[c][cell] = Counts[c].GetValueOrDefault(cell) + n;
            if (other.Kept is not null)
            {
                foreach (var (cell, n) in other.Kept[c]) Kept![c][cell] = Kept[c].GetValueOrDefault(cell) + n;
            }
            if (Counts[c].Count > CountLimit)
            {
                More[c] = true;
                Clear(c);
            }
        }
        return this;
    }

    private void Clear(int c)
    {
        Counts[c].Clear();
        Kept?[c].Clear();
    }

    /// <summary>Takes the census of one partition: every row, each of <paramref name="columns"/> read as text.</summary>
    /// <param name="separator">CSV: <c>--separator</c>; null detects it from the file's header.</param>
    /// <param name="split">The training side of a split, whose rows' cells are also counted in <see cref="Kept"/>; null: none.</param>
    /// <param name="firstRow">The global index of the partition's first row (the split decides by it); null takes
    /// <see cref="DataPartition.FirstRow"/>, which a split then needs.</param>
    /// <exception cref="InvalidInputException">The file changed or cannot be read, or lacks a column.</exception>
    public static CategoryCensus Of(DataPartition partition, string[] columns, char? separator, RowSplit? split = null, long? firstRow = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        long first = firstRow ?? partition.FirstRow ?? (split is null ? 0
            : throw new ArgumentException($"partition {partition.Index} is not counted: a split needs its first row", nameof(partition)));
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        var census = new CategoryCensus(columns, split is not null);
        if (partition.Format == DataFormat.Parquet)
        {
            // A Parquet column's type says what it is: its string columns are text, every cell a category; numeric
            // columns are numbers (not counted: --categorical reads CSV only).
            using var file = ParquetColumnReader.Open(partition.Path, columns, text: true);
            var strings = file.AllColumns.Where(c => c.Type == "string").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            census.Rows = file.RowGroupRowCount(partition.RowGroup);
            var kept = split is null ? null : Enumerable.Range(0, checked((int)census.Rows)).Select(i => split.Keeps(first + i)).ToArray();
            census.KeptRows = kept?.Count(k => k) ?? 0;
            for (int c = 0; c < columns.Length; c++)
            {
                if (!strings.Contains(columns[c])) continue;
                census.Text[c] = true;
                int i = 0;
                foreach (string? cell in file.ReadStrings(partition.RowGroup, columns[c]))
                    census.Add(c, cell is null || MissingValues.IsMissingText(cell) ? null : cell, '\0', kept?[i++] ?? false);
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
        for (long index = first; reader.ReadRow(row); index++)
        {
            census.Rows++;
            bool keeps = split?.Keeps(index) ?? false;
            if (keeps) census.KeptRows++;
            for (int c = 0; c < at.Length; c++) census.Add(c, reader.Texts[at[c]], reader.Separator, keeps);
        }
        return census;
    }

    /// <param name="kept">The row is on the training side of the census's split (counted in <see cref="Kept"/> too).</param>
    private void Add(int c, string? cell, char separator, bool kept)
    {
        if (cell is null) return;
        if (!CategoricalEncoder.LooksNumeric(cell, separator)) Text[c] = true;
        if (More[c]) return;
        var counts = Counts[c];
        counts[cell] = counts.GetValueOrDefault(cell) + 1;
        if (kept && Kept is not null) Kept[c][cell] = Kept[c].GetValueOrDefault(cell) + 1;
        if (counts.Count > CountLimit)
        {
            More[c] = true;
            Clear(c);
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
    /// Taken with a split, the fill (<c>--missing mean|median</c>) is the most frequent category of the training side's
    /// rows (<see cref="Kept"/>, <see cref="CategoryFills.FromCounts"/>), as <see cref="CategoryFills.FromTraining"/>
    /// learns the single file's; the categories are those of every row either way.
    /// </summary>
    /// <param name="source">The dataset, as the refusals name it.</param>
    /// <exception cref="InvalidInputException">A categorical column is entirely missing (or, with a split and a fill, has
    /// no value on the training side) or has more than <see cref="CategoricalEncoder.MaxCategories"/> categories.</exception>
    public CategoricalColumn[] Encoding(string source, IReadOnlyList<string>? forced, MissingPolicy missing)
    {
        forced ??= [];
        var encoding = new List<CategoricalColumn>();
        for (int c = 0; c < Columns.Length; c++)
        {
            if (!Text[c] && !forced.Contains(Columns[c], StringComparer.Ordinal)) continue;
            var counts = Counts[c];
            bool codes = !Text[c] && !More[c] && counts.Keys.All(k => CategoricalColumn.Canonical(k) is not null);
            var column = CategoricalEncoder.FromCounts(source, Columns[c], codes ? ByValue(counts) : counts, Rows, codes, missing, More[c]);
            if (Kept is not null && column.Fill is not null)
                column = CategoryFills.FromCounts(source, column, codes ? ByValue(Kept[c]) : Kept[c], KeptRows);
            encoding.Add(column);
        }
        return encoding.ToArray();
    }

    /// <summary>A numeric-code column's counts keyed by each code's value (<see cref="CategoricalColumn.Canonical"/>).</summary>
    private static Dictionary<string, long> ByValue(Dictionary<string, long> counts)
    {
        var byValue = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (cell, n) in counts)
        {
            string key = CategoricalColumn.Canonical(cell)!;
            byValue[key] = byValue.GetValueOrDefault(key) + n;
        }
        return byValue;
    }
}

using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// A data file read for <c>--task classify</c>: its label column read as text, so that labels may be integers or
/// any text, and then coded as numbers in the table — the integer itself for integer classes, the class's index in
/// the ordinally sorted training classes for text classes (<see cref="ClassLabels.Names"/>).
/// </summary>
/// <remarks>
/// <para>
/// Which kind a training column is: integer classes when every label reads as a number (a label that is a number but
/// not an integer, 3.5, is then refused with its line, as a regression target given to classify by mistake); text
/// classes as soon as one label is not a number — then every label is text, so <c>1</c> and <c>1.0</c> are two
/// classes. Text classes sort ordinally (by UTF-16 code units: <c>B</c> before <c>a</c>), the order of numpy's and
/// scikit-learn's <c>np.unique</c> of strings, and the order of the score columns and of every per-class report.
/// </para>
/// <para>Only CSV files carry text labels; a Parquet file's label column must be numeric (its string columns are not read).</para>
/// </remarks>
public static class LabelledTable
{
    /// <summary>A training file: the table with its label column coded, and the text classes (null for integer classes).</summary>
    /// <param name="targets">The target columns as given (<c>--target</c>); null or empty: the last (chosen) column.</param>
    /// <param name="read">Reads the file with the label column coded by the given functions (null: no label column to
    /// code); by default <see cref="DataFile.ReadTable"/>. A reader that one-hot encodes categorical features
    /// (<see cref="CategoricalTable"/>) gives text labels beside text categories: one reader for every combination.</param>
    public static (INumericTable Table, string[]? Names) ReadTraining(string path, IReadOnlyList<string>? columns, IReadOnlyList<string>? targets,
        Action<string> note, char? separator, Func<IReadOnlyDictionary<string, Func<string, double>>?, INumericTable>? read = null)
    {
        string? label = LabelColumn(path, columns, targets, separator);
        var cells = new LabelTexts();
        var table = Read(path, columns, note, separator, label, cells, read);
        if (label is null || cells.Texts.Count == 0) return (table, null);
        int index = ColumnSelection.IndexOf(table.Columns, label);
        if (cells.AllNumbers)
        {
            Rewrite(table, index, cells.Numbers());
            ClassLabels.CheckIntegers(table, label);
            return (table, null);
        }
        string[] names = cells.Texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Rewrite(table, index, cells.Texts.Select(t => (double)Array.BinarySearch(names, t, StringComparer.Ordinal)).ToArray());
        return (table, names);
    }

    /// <summary>
    /// A test file, its labels coded by the training classes: a text label that is not a class reads as
    /// <see cref="ClassLabels.UnseenText"/>, and is returned in <c>Unseen</c> (sorted) for the notice.
    /// </summary>
    /// <param name="read">As for <see cref="ReadTraining"/>: a test file encoded with the training categories, say.</param>
    /// <exception cref="InvalidInputException">The training labels are integers and a test label is text.</exception>
    public static (INumericTable Table, string[] Unseen) ReadTest(string path, IReadOnlyList<string>? columns, string label, string[]? names,
        Action<string> note, char? separator, Func<IReadOnlyDictionary<string, Func<string, double>>?, INumericTable>? read = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        var cells = new LabelTexts();
        bool csv = !DataFile.IsParquet(path);
        var table = Read(path, columns, note, separator, csv ? label : null, cells, read);
        int index = ColumnSelection.IndexOf(table.Columns, label);
        if (!csv || cells.Texts.Count == 0 || index < 0) return (table, []);
        if (names is null)
        {
            if (!cells.AllNumbers)
            {
                string text = cells.Texts.First(t => !LabelTexts.IsNumber(t, out _));
                throw new InvalidInputException($"{path}: label column '{label}': '{TextForDisplay.Name(text, 40)}' is text, but the training labels are integers");
            }
            Rewrite(table, index, cells.Numbers());
            ClassLabels.CheckIntegers(table, label);
            return (table, []);
        }
        var unseen = new SortedSet<string>(StringComparer.Ordinal);
        var codes = new double[cells.Texts.Count];
        for (int id = 0; id < codes.Length; id++)
        {
            int k = Array.BinarySearch(names, cells.Texts[id], StringComparer.Ordinal);
            if (k < 0) unseen.Add(cells.Texts[id]);
            codes[id] = k >= 0 ? k : ClassLabels.UnseenText;
        }
        Rewrite(table, index, codes);
        return (table, unseen.ToArray());
    }

    /// <summary>The label column's name, from the header (CSV only; null for Parquet, whose labels are numbers).</summary>
    private static string? LabelColumn(string path, IReadOnlyList<string>? columns, IReadOnlyList<string>? targets, char? separator)
    {
        if (DataFile.IsParquet(path)) return null;
        if (targets is { Count: > 0 }) return targets[0];
        if (columns is { Count: > 0 }) return columns[^1];
        using var reader = CsvRowReader.Open(path, separator);
        return reader.Columns[^1];
    }

    private static INumericTable Read(string path, IReadOnlyList<string>? columns, Action<string> note, char? separator, string? label, LabelTexts cells,
        Func<IReadOnlyDictionary<string, Func<string, double>>?, INumericTable>? read)
    {
        var coders = label is null ? null : new Dictionary<string, Func<string, double>> { [label] = cells.Code };
        return read is null ? DataFile.ReadTable(path, columns, note, missingAsNaN: true, separator, coders) : read(coders);
    }

    /// <summary>Replaces each cell's id (<see cref="LabelTexts.Code"/>) in the label column by its code; a missing label stays NaN.</summary>
    private static void Rewrite(INumericTable table, int column, double[] codeOfId)
    {
        int width = table.Columns.Count;
        double[] values = table.Values;
        for (long r = 0; r < table.RowCount; r++)
        {
            long at = r * width + column;
            if (!double.IsNaN(values[at])) values[at] = codeOfId[(int)values[at]];
        }
    }
}

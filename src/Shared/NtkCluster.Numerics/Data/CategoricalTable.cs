using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A CSV file with categorical feature columns, read into memory with each of them one-hot encoded: the column is
/// replaced, where it stood, by one 0/1 column per category (<see cref="CategoricalColumn"/>), so everything
/// downstream — <see cref="Dataset"/>, missing values, preprocessing, every model — sees plain numbers.
/// </summary>
/// <remarks>
/// <para>
/// A feature column is categorical when one of its present cells is text (not a number), or when <c>--categorical</c>
/// names it (numeric codes). Categories come from the training file only (<see cref="ReadTraining"/>) and are stored
/// in the model; a test file or the rows to predict are encoded with them (<see cref="ReadEncoded"/>). A category not
/// seen in training turns on no column (all zeros), with one notice counting the rows, or is refused.
/// </para>
/// <para>
/// A missing cell (empty, NA, …) of a categorical column is missing in all of its one-hot columns, so that
/// <c>--missing drop</c> drops its row like any other; with <c>--missing mean|median</c> it takes the most frequent
/// training category (<see cref="CategoricalColumn.Fill"/>), since neither a mean nor a median of categories exists.
/// </para>
/// <para>A training file is read once (<see cref="FeatureCells"/>): each feature cell as text and as a number, the
/// column's kind decided at the end; a classifier's text labels are coded in the same pass. A test file is read
/// twice: once to check each column's type against training, once to encode it. Parquet files are read as before
/// (their text columns skipped): categorical features come from CSV files.</para>
/// </remarks>
public sealed class CategoricalTable : INumericTable
{
    public string Path { get; }

    /// <summary>Column names with each categorical column replaced by its one-hot columns (<c>column=category</c>).</summary>
    public IReadOnlyList<string> Columns { get; }

    public int RowCount { get; }

    public double[] Values { get; }

    /// <summary>The encoding of every categorical column, in column order.</summary>
    public CategoricalColumn[] Encoding { get; }

    private readonly bool[] _oneHot;

    private CategoricalTable(string path, string[] columns, int rows, double[] values, CategoricalColumn[] encoding, bool[] oneHot)
    {
        Path = path;
        Columns = Array.AsReadOnly(columns);
        RowCount = rows;
        Values = values;
        Encoding = encoding;
        _oneHot = oneHot;
    }

    /// <summary>A table read elsewhere (a Parquet file's partitions, <c>ParquetCategorical</c>): values row-major over the columns.</summary>
    internal static CategoricalTable Of(string path, string[] columns, int rows, double[] values, CategoricalColumn[] encoding, bool[] oneHot) =>
        new(path, columns, rows, values, encoding, oneHot);

    /// <summary>Which of the given columns (indices into <see cref="Columns"/>) are one-hot columns.</summary>
    public bool[] OneHotAmong(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Select(c => _oneHot[c]).ToArray();
    }

    /// <summary>
    /// Reads a training file whose feature columns may be categorical: learns each one's encoding and encodes it.
    /// Null when no feature column is (the caller reads the file as numbers, as ever), or the file is Parquet.
    /// </summary>
    /// <param name="columns">The columns <c>--columns</c> keeps, in order; null: all.</param>
    /// <param name="targets">The target columns (<c>--target</c>); null: the last column. Targets are never categorical features.</param>
    /// <param name="forced">Numeric feature columns to treat as categorical (<c>--categorical</c>).</param>
    /// <param name="textColumns">Target columns read as text, each cell coded by its function (a classifier's labels,
    /// <see cref="Classification.LabelledTable"/>): text labels beside text categories.</param>
    /// <param name="deferFill">Leave missing category cells missing and the encodings without a fill, for
    /// <see cref="CategoryFills"/> to fill from the training part of a split (<c>--test-fraction</c>).</param>
    /// <exception cref="InvalidInputException">The file or a forced column is wrong, a category column is entirely missing or
    /// has too many categories, or (without <c>--missing</c>) a cell is missing.</exception>
    public static CategoricalTable? ReadTraining(string path, IReadOnlyList<string>? columns, IReadOnlyList<string>? targets,
        IReadOnlyList<string>? forced, MissingPolicy missing, char? separator, Action<string> note,
        IReadOnlyDictionary<string, Func<string, double>>? textColumns = null, bool deferFill = false)
    {
        ArgumentNullException.ThrowIfNull(note);
        forced ??= [];
        if (DataFile.IsParquet(path))
        {
            if (forced.Count > 0)
                throw new InvalidInputException($"{path}: --categorical reads CSV files only; this one is Parquet (its string columns are categorical without it)");
            // String columns are categorical features, read through the partitioned reader (one partition per row group).
            return NtkCluster.Numerics.Partitions.ParquetCategorical.ReadTraining(path, columns, targets, missing, note, deferFill);
        }
        // One pass: every feature column is read as text and as a number at once, and is categorical if a present cell
        // is not a number (or --categorical names it); targets are parsed as numbers, or coded (text labels).
        using var reader = CsvRowReader.Open(path, separator);
        int[] selected = columns is null ? Enumerable.Range(0, reader.Columns.Length).ToArray() : ColumnSelection.Project(path, reader.Columns, columns);
        string[] names = selected.Select(i => reader.Columns[i]).ToArray();
        var (featurePositions, targetPositions) = ColumnSelection.ForTraining(path, names, targets);
        foreach (string name in forced)
        {
            int p = ColumnSelection.IndexOf(names, name);
            if (p < 0 || Array.IndexOf(targetPositions, p) >= 0)
                throw new InvalidInputException($"{path}: --categorical names '{name}', which is not a feature column " +
                                                $"(features: {string.Join(", ", featurePositions.Select(k => names[k]))})");
        }
        var feature = new FeatureCells?[names.Length];
        int skipped = reader.RowNamesLeftOut ? 1 : 0;
        foreach (int p in featurePositions)
            feature[p] = new FeatureCells(path, names[p], selected[p] + 1 + skipped, forced.Contains(names[p], StringComparer.Ordinal));
        reader.MissingAsNaN = true;
        foreach (var (name, code) in textColumns ?? new Dictionary<string, Func<string, double>>())
        {
            int index = Array.IndexOf(reader.Columns, name);
            if (index >= 0) reader.CodeText(index, code);
        }
        reader.ParseOnly(Enumerable.Range(0, names.Length).Where(p => feature[p] is null).Select(p => selected[p]));
        reader.KeepText(featurePositions.Select(p => selected[p]));
        var numberList = new List<double>();
        var row = new double[reader.Columns.Length];
        while (reader.ReadRow(row))
        {
            for (int p = 0; p < names.Length; p++)
                numberList.Add(feature[p] is { } f ? f.Add(reader.Texts[selected[p]], reader.Separator, reader.LineNumber) : row[selected[p]]);
        }
        int rows = reader.RowCount;
        foreach (int p in featurePositions) feature[p]!.CheckFinite();
        var categorical = featurePositions.Where(p => feature[p]!.IsCategorical).ToArray();
        if (categorical.Length == 0) return null;
        bool[] text = feature.Select(f => f is { SawText: true }).ToArray();
        var cells = categorical.Select(p => feature[p]!.Cells()).ToArray();
        double[] numbers = numberList.ToArray();
        var encoding = new CategoricalColumn[categorical.Length];
        // Categories and the most frequent one (the fill) come from the rows that are fitted: a row without a target is
        // dropped later (MissingData), so it must not add a category or tip the fill, as it does not in scikit-learn.
        int width = names.Length;
        var fitted = Enumerable.Range(0, rows).Where(r => targetPositions.All(t => !double.IsNaN(numbers[(long)r * width + t]))).ToArray();
        for (int k = 0; k < categorical.Length; k++)
        {
            int p = categorical[k];
            var column = cells[k];
            var learnt = fitted.Length == rows || fitted.Length == 0 ? column : fitted.Select(r => column[r]).ToList();
            // A forced column of text cells is a text column after all: matched by its text, sorted ordinally.
            bool codes = !text[p] && learnt.All(c => c is null || CategoricalColumn.Canonical(c) is not null);
            encoding[k] = CategoricalEncoder.Learn(path, names[p], learnt, codes, missing);
        }
        if (missing == MissingPolicy.Refuse) RefuseMissing(path, names, featurePositions, targetPositions, categorical, numbers, cells, rows);
        note($"{path}: categorical feature(s) (text columns, and --categorical), one-hot encoded: one 0/1 column per training " +
             $"category, in sorted order: {CategoricalEncoder.Describe(encoding)}");
        // Before a split the training rows are not known yet: missing cells stay missing (NaN in every one-hot column),
        // and CategoryFills fills them from the training part, as the numeric fills are.
        if (deferFill) encoding = encoding.Select(e => new CategoricalColumn { Name = e.Name, Codes = e.Codes, Categories = e.Categories }).ToArray();
        return Build(path, names, categorical, encoding, numbers, cells, rows, unknownIsError: false, note,
            fitted.Length == rows ? null : fitted);
    }

    /// <summary>
    /// Reads a test file or the rows to predict, encoding its categorical columns as the training data's encoding says.
    /// </summary>
    /// <param name="numericFeatures">The model's numeric feature columns: text in one of them is refused.</param>
    /// <param name="parseOthers">Parse the columns that are neither categorical nor numeric features (a test file's
    /// targets); false leaves them unread (0), as <c>predict</c> ignores them.</param>
    /// <param name="unknownIsError">Refuse a category not seen in training (<c>--unknown-category error</c>) instead of
    /// encoding it as all zeros with one notice.</param>
    /// <param name="textColumns">Other columns read as text, each cell coded by its function (a test file's text labels).</param>
    /// <exception cref="InvalidInputException">A column's type differs from training, a column is missing, or (with
    /// <paramref name="unknownIsError"/>) a category is new.</exception>
    public static CategoricalTable ReadEncoded(string path, IReadOnlyList<string>? columns, IReadOnlyList<CategoricalColumn> encoding,
        IReadOnlyList<string> numericFeatures, bool parseOthers, bool unknownIsError, char? separator, Action<string> notice,
        IReadOnlyDictionary<string, Func<string, double>>? textColumns = null)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(numericFeatures);
        if (DataFile.IsParquet(path))
            return NtkCluster.Numerics.Partitions.ParquetCategorical.ReadEncoded(path, columns, encoding, numericFeatures, parseOthers, unknownIsError, notice);
        string[] names;
        int[] selected, categorical, numeric;
        using (var reader = CsvRowReader.Open(path, separator))
        {
            selected = columns is null ? Enumerable.Range(0, reader.Columns.Length).ToArray() : ColumnSelection.Project(path, reader.Columns, columns);
            names = selected.Select(i => reader.Columns[i]).ToArray();
            var chosen = names;
            categorical = encoding.Select(e =>
            {
                int p = ColumnSelection.IndexOf(chosen, e.Name);
                return p >= 0 ? p : throw new InvalidInputException($"{path}: missing column '{e.Name}' that the model was trained on");
            }).ToArray();
            numeric = numericFeatures.Select(n => ColumnSelection.IndexOf(chosen, n)).Where(p => p >= 0).ToArray();
            CheckTypes(reader, path, names, selected, encoding, categorical, numeric);
        }
        var (numbers, cells, rows) = ReadCells(path, separator, selected, categorical, parseOthers, numeric, textColumns);
        return Build(path, names, categorical, encoding.ToArray(), numbers, cells, rows, unknownIsError, notice);
    }

    /// <summary>
    /// Whether a feature cell among a CSV file's first <paramref name="rows"/> rows is text: a cheap look, before a large
    /// file is streamed, for the categorical features that only a file loaded whole can encode. False for Parquet and
    /// for a file that cannot be read as CSV (whose reader then says why).
    /// </summary>
    /// <param name="separator">The field separator (<c>--separator</c>); null detects it from the header.</param>
    public static bool StartsWithText(string path, IReadOnlyList<string>? columns, IReadOnlyList<string>? targets, char? separator = null, int rows = 1000)
    {
        if (DataFile.IsParquet(path)) return false;
        try
        {
            using var reader = CsvRowReader.Open(path, separator);
            int[] selected = columns is null ? Enumerable.Range(0, reader.Columns.Length).ToArray() : ColumnSelection.Project(path, reader.Columns, columns);
            var (features, _) = ColumnSelection.ForTraining(path, selected.Select(i => reader.Columns[i]).ToArray(), targets);
            reader.ParseOnly([]);
            reader.KeepText(features.Select(p => selected[p]));
            var row = new double[reader.Columns.Length];
            for (int r = 0; r < rows && reader.ReadRow(row); r++)
            {
                foreach (int p in features)
                {
                    if (reader.Texts[selected[p]] is { } cell && !CategoricalEncoder.LooksNumeric(cell, reader.Separator)) return true;
                }
            }
            return false;
        }
        catch (InvalidInputException)
        {
            return false;
        }
    }

    /// <summary>Refuses a test file whose columns changed type since training: text in a numeric feature, or a text
    /// categorical column that holds only numbers.</summary>
    private static void CheckTypes(CsvRowReader reader, string path, string[] names, int[] selected, IReadOnlyList<CategoricalColumn> encoding,
        int[] categorical, int[] numeric)
    {
        reader.ParseOnly([]);
        reader.KeepText(categorical.Concat(numeric).Select(p => selected[p]));
        var row = new double[reader.Columns.Length];
        var sawText = new bool[categorical.Length];
        var sawValue = new bool[categorical.Length];
        while (reader.ReadRow(row))
        {
            foreach (int p in numeric)
            {
                if (reader.Texts[selected[p]] is { } cell && !CategoricalEncoder.LooksNumeric(cell, reader.Separator))
                    throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{path}: column '{names[p]}' holds text ('{TextForDisplay.Name(cell, 40)}', line {reader.LineNumber}) but is numeric in the training data: a column must have the same type in every file"));
            }
            for (int k = 0; k < categorical.Length; k++)
            {
                if (reader.Texts[selected[categorical[k]]] is not { } cell) continue;
                sawValue[k] = true;
                if (!CategoricalEncoder.LooksNumeric(cell, reader.Separator)) sawText[k] = true;
            }
        }
        for (int k = 0; k < categorical.Length; k++)
        {
            if (!encoding[k].Codes && sawValue[k] && !sawText[k])
                throw new InvalidInputException($"{path}: column '{encoding[k].Name}' holds only numbers but is text in the training data " +
                                                $"(categories {Sample(encoding[k].Categories)}): a column must have the same type in every file");
        }
    }

    private static string Sample(string[] categories) =>
        string.Join(", ", categories.Take(3).Select(c => TextForDisplay.Name(c, 20))) + (categories.Length > 3 ? ", …" : "");

    /// <summary>The selected columns' cells: numbers row-major (0 in categorical columns, NaN for missing cells), and each
    /// categorical column's text (null: missing).</summary>
    private static (double[] Numbers, List<string?>[] Cells, int Rows) ReadCells(string path, char? separator, int[] selected, int[] categorical,
        bool parseTargetsAndOthers, int[]? numeric = null, IReadOnlyDictionary<string, Func<string, double>>? textColumns = null)
    {
        using var reader = CsvRowReader.Open(path, separator);
        reader.MissingAsNaN = true;
        foreach (var (name, code) in textColumns ?? new Dictionary<string, Func<string, double>>())
        {
            int index = Array.IndexOf(reader.Columns, name);
            if (index >= 0) reader.CodeText(index, code);
        }
        var parsed = Enumerable.Range(0, selected.Length).Where(p => Array.IndexOf(categorical, p) < 0
                                                                      && (parseTargetsAndOthers || numeric is null || Array.IndexOf(numeric, p) >= 0));
        reader.ParseOnly(parsed.Select(p => selected[p]));
        reader.KeepText(categorical.Select(p => selected[p]));
        var cells = categorical.Select(_ => new List<string?>()).ToArray();
        var numbers = new List<double>();
        var row = new double[reader.Columns.Length];
        while (reader.ReadRow(row))
        {
            foreach (int i in selected) numbers.Add(row[i]);
            for (int k = 0; k < categorical.Length; k++) cells[k].Add(reader.Texts[selected[categorical[k]]]);
        }
        return (numbers.ToArray(), cells, reader.RowCount);
    }

    /// <summary>Without <c>--missing</c>, a missing cell in a categorical column refuses the file, in the one line that
    /// counts the missing cells of every feature column (rows without a target do not count: they are dropped anyway).</summary>
    private static void RefuseMissing(string path, string[] names, int[] features, int[] targets, int[] categorical,
        double[] numbers, List<string?>[] cells, int rows)
    {
        if (cells.All(c => !c.Contains(null))) return;
        int width = names.Length;
        var counts = new long[features.Length];
        for (int r = 0; r < rows; r++)
        {
            if (targets.Any(t => double.IsNaN(numbers[(long)r * width + t]))) continue;
            for (int f = 0; f < features.Length; f++)
            {
                int p = features[f], k = Array.IndexOf(categorical, p);
                if (k >= 0 ? cells[k][r] is null : double.IsNaN(numbers[(long)r * width + p])) counts[f]++;
            }
        }
        if (counts.Any(c => c > 0))
            throw new InvalidInputException(MissingValues.RefusalMessage(path, features.Select(p => names[p]).ToList(), counts));
    }

    private static CategoricalTable Build(string path, string[] names, int[] categorical, CategoricalColumn[] encoding, double[] numbers,
        List<string?>[] cells, int rows, bool unknownIsError, Action<string> notice, IReadOnlyList<int>? kept = null)
    {
        // Filled cells are counted over the rows kept (those with a target): a row dropped later fills nothing.
        bool[]? counted = null;
        if (kept is not null)
        {
            counted = new bool[rows];
            foreach (int r in kept) counted[r] = true;
        }
        var outNames = new List<string>();
        var oneHot = new List<bool>();
        var firstOut = new int[names.Length];
        for (int p = 0; p < names.Length; p++)
        {
            firstOut[p] = outNames.Count;
            int k = Array.IndexOf(categorical, p);
            if (k < 0)
            {
                outNames.Add(names[p]);
                oneHot.Add(false);
                continue;
            }
            foreach (string feature in encoding[k].FeatureNames())
            {
                if (ColumnSelection.IndexOf(names, feature) >= 0)
                    throw new InvalidInputException($"{path}: the one-hot column '{feature}' of categorical column '{names[p]}' clashes with a column of that name: rename one");
                outNames.Add(feature);
                oneHot.Add(true);
            }
        }
        int width = names.Length, outWidth = outNames.Count;
        var values = new double[(long)rows * outWidth];
        var unknownPerColumn = new long[categorical.Length];
        var filledPerColumn = new long[categorical.Length];
        long unknownRows = 0;
        for (int r = 0; r < rows; r++)
        {
            bool unknownRow = false;
            for (int p = 0; p < width; p++)
            {
                long at = (long)r * outWidth + firstOut[p];
                int k = Array.IndexOf(categorical, p);
                if (k < 0)
                {
                    values[at] = numbers[(long)r * width + p];
                    continue;
                }
                string? cell = cells[k][r];
                int index = CategoricalEncoder.IndexOf(encoding[k], cell);
                if (cell is null && index >= 0 && (counted is null || counted[r])) filledPerColumn[k]++;
                if (index == CategoricalEncoder.Missing)
                {
                    for (int j = 0; j < encoding[k].Categories.Length; j++) values[at + j] = double.NaN;
                }
                else if (index == CategoricalEncoder.Unknown)
                {
                    if (unknownIsError)
                        throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                            $"{path}: row {r + 1}: column '{names[p]}' has category '{TextForDisplay.Name(cell!, 40)}', not seen in training (categories {Sample(encoding[k].Categories)}); without --unknown-category error it is encoded as all zeros"));
                    unknownPerColumn[k]++;
                    unknownRow = true;
                }
                else values[at + index] = 1;
            }
            if (unknownRow) unknownRows++;
        }
        if (unknownRows > 0)
            notice(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {unknownRows} row(s) have a category not seen in training, encoded as all zeros: ") +
                MissingValues.Describe(encoding.Select(e => e.Name).ToList(), unknownPerColumn));
        // The numeric columns' fills are named by MissingData; a category column's would otherwise pass unsaid.
        if (filledPerColumn.Any(n => n > 0)) notice(CategoryFills.Note(path, encoding, filledPerColumn));
        return new CategoricalTable(path, outNames.ToArray(), rows, values, encoding, oneHot.ToArray());
    }
}

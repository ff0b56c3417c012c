using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// The classes of a classifier: the label column's name and the sorted distinct labels of the training set —
/// integers, sorted numerically, or text (<see cref="Names"/>), sorted ordinally (by UTF-16 code units, as
/// <see cref="string.CompareOrdinal(string, string)"/> and Python's <c>sorted</c> of str do).
/// One-vs-rest ridge fits one score column per class on targets coded +1 (the row's class) and −1 (every other
/// class), and predicts the class with the largest score.
/// </summary>
/// <remarks>
/// <para>
/// Why ±1 and not 0/1: ridge is linear in Y and 0/1 = (±1 + 1)/2, so the two codings differ by a halving and a
/// term that is the same for every class — the arg-max, and so every prediction and accuracy, is identical (with or
/// without the target centring of <c>--standardize</c>, which subtracts each column's mean and adds it back). ±1 is
/// scikit-learn's <c>RidgeClassifier</c> convention and makes each score a margin: positive means "this class".
/// </para>
/// <para>Ties in the arg-max go to the smallest class (the first column), as numpy's <c>argmax</c> does.</para>
/// </remarks>
public sealed class ClassLabels
{
    /// <summary>Labels beyond ±2⁵³ are not exactly representable as doubles, so they could not be told apart.</summary>
    private const double LargestExactInteger = 9007199254740992.0;

    /// <summary>The name of the label column in the data files.</summary>
    public string Column { get; }

    /// <summary>
    /// The classes, ascending; score column c belongs to <c>Labels[c]</c>. For text classes these are codes, 0 … C−1,
    /// the index of each class in <see cref="Names"/>: the label column is read as codes, so encoding, decoding and
    /// scoring are the same arithmetic for both kinds.
    /// </summary>
    public long[] Labels { get; }

    /// <summary>Text classes: the label of each class, in ordinal order (class c is <c>Names[c]</c>); null for integer classes.</summary>
    public string[]? Names { get; }

    /// <summary>Whether the classes are text (<see cref="Names"/>) rather than integers.</summary>
    public bool IsText => Names is not null;

    /// <summary>
    /// The code a text label that is not a class reads as (a test row of a class never seen in training): no class has
    /// it, so it counts as an error, as an unseen integer label does.
    /// </summary>
    public const long UnseenText = -1;

    public int Count => Labels.Length;

    /// <exception cref="ArgumentException">No labels, or labels that are not strictly ascending.</exception>
    public ClassLabels(string column, long[] labels)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length == 0) throw new ArgumentException("a classifier needs at least one class", nameof(labels));
        for (int i = 1; i < labels.Length; i++)
        {
            if (labels[i] <= labels[i - 1]) throw new ArgumentException("class labels must be distinct and ascending", nameof(labels));
        }
        Column = column;
        Labels = labels;
    }

    /// <summary>Text classes: <paramref name="names"/> must be distinct and in ordinal order; their codes are 0 … C−1.</summary>
    /// <exception cref="ArgumentException">No names, or names that are not strictly ascending (ordinal).</exception>
    public static ClassLabels Named(string column, string[] names) => new(column, names, named: true);

    private ClassLabels(string column, string[] names, bool named)
    {
        _ = named; // tells this constructor from the integer one: a collection expression [] fits both
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0) throw new ArgumentException("a classifier needs at least one class", nameof(names));
        for (int i = 1; i < names.Length; i++)
        {
            if (string.CompareOrdinal(names[i], names[i - 1]) <= 0)
                throw new ArgumentException("class names must be distinct and in ordinal order", nameof(names));
        }
        Column = column;
        Names = names;
        Labels = Enumerable.Range(0, names.Length).Select(i => (long)i).ToArray();
    }

    /// <summary>The label a code stands for, as predictions and reports write it: the integer, or the class's text.</summary>
    public string Text(long label) => Names is null
        ? label.ToString(CultureInfo.InvariantCulture)
        : label >= 0 && label < Names.Length ? Names[label] : "(unseen)";

    /// <summary>The labels of <paramref name="codes"/> as text (<see cref="Text"/>).</summary>
    public string[] Texts(IReadOnlyList<long> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var texts = new string[codes.Count];
        for (int i = 0; i < texts.Length; i++) texts[i] = Text(codes[i]);
        return texts;
    }

    /// <summary>The sorted distinct labels of a training set's single label column (already checked to be integers).</summary>
    public static ClassLabels FromTraining(string column, Matrix<double> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.ColumnCount != 1) throw new ArgumentException($"a classifier has one label column, got {labels.ColumnCount}", nameof(labels));
        var distinct = new SortedSet<long>();
        for (int i = 0; i < labels.RowCount; i++) distinct.Add(ToLabel(labels[i, 0]));
        return new ClassLabels(column, distinct.ToArray());
    }

    /// <summary>
    /// Checks that every cell of a table's label column is an integer, so that classes are exact: "3.5" is refused
    /// naming the file, line and column, rather than silently becoming a class of its own.
    /// </summary>
    /// <exception cref="DataFormatException">A label is not an integer (or is beyond ±2⁵³).</exception>
    public static void CheckIntegers(INumericTable table, string column)
    {
        ArgumentNullException.ThrowIfNull(table);
        int index = ColumnSelection.IndexOf(table.Columns, column);
        if (index < 0) throw new InvalidInputException($"{table.Path}: no label column '{column}'");
        int columns = table.Columns.Count;
        for (int r = 0; r < table.RowCount; r++)
        {
            double v = table.Values[r * columns + index];
            if (IsLabel(v) || double.IsNaN(v)) continue; // a missing label: its row is dropped (MissingData)
            string what = $"label column '{column}': {v.ToString("R", CultureInfo.InvariantCulture)} is not an integer class label (--task classify)";
            // A CSV cell has a line and column to point at; a Parquet value only its data row.
            if (table is CsvTable csv) throw new DataFormatException(csv.Path, csv.FirstDataLine + r, index + 1, what);
            throw new InvalidInputException($"{table.Path}: row {r + 1}, {what}");
        }
    }

    /// <summary>The names of the score columns, one per class: <c>column=label</c>.</summary>
    public string[] ScoreNames() => Labels.Select(l => $"{Column}={Text(l)}").ToArray();

    /// <summary>Whether a label is one of the classes.</summary>
    public bool Contains(long label) => Array.BinarySearch(Labels, label) >= 0;

    /// <summary>
    /// One-vs-rest targets, n × classes: +1 in the column of the row's class, −1 elsewhere. A label that is not a
    /// class (a test row of a class never seen in training) gets −1 everywhere: no column can be right for it.
    /// </summary>
    public Matrix<double> Encode(Matrix<double> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.ColumnCount != 1) throw new ArgumentException($"one label column expected, got {labels.ColumnCount}", nameof(labels));
        int n = labels.RowCount, c = Count;
        var data = new double[(long)n * c];
        Array.Fill(data, -1.0);
        for (int i = 0; i < n; i++)
        {
            int k = Array.BinarySearch(Labels, ToLabel(labels[i, 0]));
            if (k >= 0) data[(long)k * n + i] = 1.0;
        }
        return Matrix<double>.Build.Dense(n, c, data);
    }

    /// <summary>The predicted label of each row: the class of the largest score, ties to the smallest class.</summary>
    public long[] Decode(Matrix<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.ColumnCount != Count) throw new ArgumentException($"{Count} score columns expected, got {scores.ColumnCount}", nameof(scores));
        var predicted = new long[scores.RowCount];
        for (int i = 0; i < scores.RowCount; i++)
        {
            int best = 0;
            for (int k = 1; k < Count; k++)
            {
                if (scores[i, k] > scores[i, best]) best = k; // strictly greater: a tie keeps the smaller class
            }
            predicted[i] = Labels[best];
        }
        return predicted;
    }

    /// <summary>The label a checked cell stands for.</summary>
    public static long ToLabel(double value) =>
        IsLabel(value) ? (long)value : throw new ArgumentException($"{value} is not an integer class label");

    private static bool IsLabel(double v) => double.IsFinite(v) && Math.Floor(v) == v && Math.Abs(v) <= LargestExactInteger;
}

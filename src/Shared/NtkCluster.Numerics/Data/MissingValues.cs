using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Missing values — an empty cell, <c>NA</c>, <c>NaN</c>, <c>null</c>, <c>?</c>, a Parquet null — as a reader that
/// is asked to (<see cref="CsvRowReader.MissingAsNaN"/>) hands them on: <see cref="double.NaN"/> cells, counted per
/// column, and then refused, dropped or filled as <see cref="MissingPolicy"/> says.
/// </summary>
/// <remarks>
/// A missing target is never filled: a row without one has nothing to fit or score, so it is always dropped, and
/// counted. Fill values are learnt from the training rows only (never the test rows, as scikit-learn's
/// <c>SimpleImputer</c> inside a pipeline), stored in the model's preprocessing
/// (<see cref="Preprocessor.FeatureFills"/>), and applied again by <c>predict</c>.
/// </remarks>
public static class MissingValues
{
    /// <summary>The policies' names, as <c>--missing</c> takes them.</summary>
    public const string Choices = "drop|mean|median";

    /// <summary>Whether a text cell stands for a missing value: empty (or blank), or a marker (<see cref="IsMarker"/>).</summary>
    public static bool IsMissingText(string cell) => string.IsNullOrWhiteSpace(cell) || IsMarker(cell.AsSpan().Trim());

    /// <summary>
    /// Whether a (trimmed) cell is a missing-value marker: R's <c>NA</c>, pandas' <c>NaN</c>/<c>None</c>/<c>null</c>,
    /// spreadsheets' <c>#N/A</c> and <c>N/A</c>, and the UCI datasets' <c>?</c> (case-insensitive). An empty cell is
    /// missing too, but the readers test that first.
    /// </summary>
    public static bool IsMarker(ReadOnlySpan<char> cell)
    {
        foreach (string marker in Markers)
            if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static readonly string[] Markers = ["NA", "NaN", "null", "None", "?", "N/A", "#N/A", "-NaN"];

    /// <summary>The policy <c>--missing</c> names; null for an unknown name.</summary>
    public static MissingPolicy? Parse(string text) => text switch
    {
        "drop" => MissingPolicy.Drop,
        "mean" => MissingPolicy.Mean,
        "median" => MissingPolicy.Median,
        _ => null,
    };

    /// <summary>The policy's name, as <c>--missing</c> takes it and the model file stores it; null for <see cref="MissingPolicy.Refuse"/>.</summary>
    public static string? Name(MissingPolicy policy) => policy switch
    {
        MissingPolicy.Drop => "drop",
        MissingPolicy.Mean => "mean",
        MissingPolicy.Median => "median",
        _ => null,
    };

    /// <summary>The missing (NaN) cells of each column of a matrix.</summary>
    public static long[] Count(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var counts = new long[m.ColumnCount];
        double[] data = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        int n = m.RowCount;
        for (int c = 0; c < counts.Length; c++)
        {
            long k = 0;
            for (long r = (long)c * n, end = r + n; r < end; r++) if (double.IsNaN(data[r])) k++;
            counts[c] = k;
        }
        return counts;
    }

    /// <summary>
    /// The one line that refuses a file with missing feature cells: every affected column with its count, in column
    /// order, and what to do — <c>air.csv: missing values in humidity (102), wind (12): use --missing drop|mean|median,
    /// or --columns to leave columns out</c>.
    /// </summary>
    public static string RefusalMessage(string path, IReadOnlyList<string> names, IReadOnlyList<long> counts) =>
        $"{path}: missing values in {Describe(names, counts)}: use --missing {Choices}, or --columns to leave columns out";

    /// <summary>"humidity (102), wind (12)": the columns with a missing cell, with their counts.</summary>
    public static string Describe(IReadOnlyList<string> names, IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(counts);
        return string.Join(", ", Enumerable.Range(0, names.Count).Where(c => counts[c] > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{names[c]} ({counts[c]})")));
    }

    /// <summary>The rows of a dataset whose targets are all present, and how many were dropped.</summary>
    public static (Dataset Kept, int Dropped) DropMissingTargets(Dataset data) => KeepRows(data, data.Y);

    /// <summary>The rows of a dataset whose features are all present (<c>--missing drop</c>), and how many were dropped.</summary>
    public static (Dataset Kept, int Dropped) DropIncompleteRows(Dataset data) => KeepRows(data, data.X);

    private static (Dataset Kept, int Dropped) KeepRows(Dataset data, Matrix<double> judged)
    {
        ArgumentNullException.ThrowIfNull(data);
        var kept = new List<int>(data.Rows);
        for (int r = 0; r < data.Rows; r++)
        {
            bool complete = true;
            for (int c = 0; c < judged.ColumnCount && complete; c++) complete = !double.IsNaN(judged[r, c]);
            if (complete) kept.Add(r);
        }
        int dropped = data.Rows - kept.Count;
        if (dropped == 0) return (data, 0);
        if (kept.Count == 0) return (data, dropped); // the caller refuses a table with no complete row
        return (data.Subset(kept), dropped);
    }

    /// <summary>
    /// The fill value of every feature column, from the present cells of the training features: their mean (the
    /// running sum in row order over the count, as <see cref="ColumnMoments"/> sums) or their median (the middle
    /// value, or the mean of the two middle values, as numpy's <c>nanmedian</c>).
    /// </summary>
    /// <exception cref="InvalidInputException">A column has no present cell at all: nothing to fill it from.</exception>
    public static double[] Fills(string path, Dataset train, MissingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (policy is not (MissingPolicy.Mean or MissingPolicy.Median)) throw new ArgumentOutOfRangeException(nameof(policy), policy, "only mean and median fill");
        int n = train.Rows, d = train.X.ColumnCount;
        double[] data = train.X.AsColumnMajorArray() ?? train.X.ToColumnMajorArray();
        var fills = new double[d];
        var present = new List<double>(n);
        for (int c = 0; c < d; c++)
        {
            present.Clear();
            for (long r = (long)c * n, end = r + n; r < end; r++) if (!double.IsNaN(data[r])) present.Add(data[r]);
            if (present.Count == 0)
                throw new InvalidInputException($"{path}: column '{train.FeatureNames[c]}' is entirely missing in the training rows: " +
                                                "nothing to fill it from; leave it out with --columns");
            fills[c] = policy == MissingPolicy.Mean ? Mean(present) : Median(present);
        }
        return fills;
    }

    /// <summary>The mean of present values from per-partition partials: their sums added and their counts added, in partition order.</summary>
    public static double[] MeansOf(IReadOnlyList<double> sums, IReadOnlyList<long> present, IReadOnlyList<string> names, string path)
    {
        var fills = new double[sums.Count];
        for (int c = 0; c < fills.Length; c++)
        {
            if (present[c] == 0)
                throw new InvalidInputException($"{path}: column '{names[c]}' is entirely missing in the training rows: " +
                                                "nothing to fill it from; leave it out with --columns");
            fills[c] = sums[c] / present[c];
        }
        return fills;
    }

    private static double Mean(List<double> values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Count;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// <summary>The features with every missing cell replaced by its column's fill; the matrix itself when none is missing.</summary>
    public static Matrix<double> Fill(Matrix<double> x, IReadOnlyList<double> fills)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(fills);
        if (fills.Count != x.ColumnCount) throw new ArgumentException($"{fills.Count} fill values for {x.ColumnCount} columns", nameof(fills));
        int n = x.RowCount;
        double[]? data = null;
        double[] source = x.AsColumnMajorArray() ?? x.ToColumnMajorArray();
        for (int c = 0; c < fills.Count; c++)
        {
            for (long r = (long)c * n, end = r + n; r < end; r++)
            {
                if (!double.IsNaN(source[r])) continue;
                data ??= (double[])source.Clone();
                data[r] = fills[c];
            }
        }
        return data is null ? x : Matrix<double>.Build.Dense(n, x.ColumnCount, data);
    }
}

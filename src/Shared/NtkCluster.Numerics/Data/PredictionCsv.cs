using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Data;

/// <summary>Predictions as CSV: a <c>prediction</c> column, or <c>prediction_&lt;target&gt;</c> per target column.</summary>
/// <remarks>
/// A whole file (<see cref="Format"/>, <see cref="FormatLabels"/>) is its header followed by its rows, written by the
/// same <see cref="Header"/>/<see cref="AppendRows"/> (<see cref="LabelHeader"/>/<see cref="AppendLabels"/>) that
/// write the parts of a partitioned prediction block by block, so the parts' rows are byte for byte the file's.
/// </remarks>
public static class PredictionCsv
{
    public static string Format(Matrix<double> predictions, IReadOnlyList<string> targetNames)
    {
        var sb = new StringBuilder();
        sb.Append(Header(targetNames));
        AppendRows(sb, predictions);
        return sb.ToString();
    }

    /// <summary>A classifier's predicted labels: one integer column, named like the label column it predicts.</summary>
    public static string FormatLabels(IReadOnlyList<long> labels, string column)
    {
        var sb = new StringBuilder();
        sb.Append(LabelHeader(column));
        AppendLabels(sb, labels);
        return sb.ToString();
    }

    /// <summary>The header line (with its line end) of predictions of these targets.</summary>
    public static string Header(IReadOnlyList<string> targetNames) =>
        (targetNames.Count == 1 ? "prediction" : string.Join(",", targetNames.Select(t => Quote("prediction_" + t)))) + Environment.NewLine;

    /// <summary>The header line (with its line end) of a classifier's predicted labels.</summary>
    public static string LabelHeader(string column) => Quote(column) + "\n";

    /// <summary>One line per row of <paramref name="predictions"/>, every double in round-trip form.</summary>
    public static void AppendRows(StringBuilder sb, Matrix<double> predictions)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(predictions);
        for (int i = 0; i < predictions.RowCount; i++)
        {
            for (int j = 0; j < predictions.ColumnCount; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(predictions[i, j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
    }

    /// <summary>One line per predicted label.</summary>
    public static void AppendLabels(StringBuilder sb, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (long label in labels) sb.Append(label.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Quote(string name) =>
        name.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;
}

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

    /// <summary>
    /// A classifier's predicted labels: one column, named like the label column it predicts, holding each row's class as
    /// the training labels were written (an integer, or the text, quoted when it holds a separator or quote); with
    /// <paramref name="scores"/>, one more column per class, named after the class, holding its one-vs-rest score.
    /// </summary>
    public static string FormatLabels(Classification.ClassLabels classes, Matrix<double> scores, bool withScores = false)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var sb = new StringBuilder();
        sb.Append(withScores ? ScoredLabelHeader(classes) : LabelHeader(classes.Column));
        AppendLabels(sb, classes, scores, withScores);
        return sb.ToString();
    }

    /// <summary>The header of predicted labels with their class scores: the label column, then one column per class.</summary>
    /// <remarks>A class named like the label column would repeat its name, so such a score column is <c>label=class</c>.</remarks>
    public static string ScoredLabelHeader(Classification.ClassLabels classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var names = classes.Labels.Select(l => classes.Text(l)).Select(n => n == classes.Column ? $"{classes.Column}={n}" : n);
        return string.Join(",", names.Prepend(classes.Column).Select(Quote)) + "\n";
    }

    /// <summary>One line per row of <paramref name="scores"/>: its predicted class, then (with <paramref name="withScores"/>) every class's score.</summary>
    public static void AppendLabels(StringBuilder sb, Classification.ClassLabels classes, Matrix<double> scores, bool withScores)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(scores);
        long[] predicted = classes.Decode(scores);
        for (int i = 0; i < predicted.Length; i++)
        {
            sb.Append(Quote(classes.Text(predicted[i])));
            if (withScores)
            {
                for (int j = 0; j < scores.ColumnCount; j++) sb.Append(',').Append(scores[i, j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
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

    /// <summary>A field as CSV: quoted when it holds a comma, quote or line break, or starts or ends with blanks (which a reader trims).</summary>
    private static string Quote(string name) =>
        name.IndexOfAny([',', '"', '\n', '\r']) >= 0 || (name.Length > 0 && (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1])))
            ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;
}

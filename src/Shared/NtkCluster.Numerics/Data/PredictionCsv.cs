using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Data;

/// <summary>Predictions as CSV: a <c>prediction</c> column, or <c>prediction_&lt;target&gt;</c> per target column.</summary>
public static class PredictionCsv
{
    public static string Format(Matrix<double> predictions, IReadOnlyList<string> targetNames)
    {
        var sb = new StringBuilder();
        sb.AppendLine(targetNames.Count == 1 ? "prediction" : string.Join(",", targetNames.Select(t => Quote("prediction_" + t))));
        for (int i = 0; i < predictions.RowCount; i++)
        {
            for (int j = 0; j < predictions.ColumnCount; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(predictions[i, j].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A classifier's predicted labels: one integer column, named like the label column it predicts.</summary>
    public static string FormatLabels(IReadOnlyList<long> labels, string column)
    {
        var sb = new StringBuilder();
        sb.Append(Quote(column)).Append('\n');
        foreach (long label in labels) sb.Append(label.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string name) =>
        name.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;
}

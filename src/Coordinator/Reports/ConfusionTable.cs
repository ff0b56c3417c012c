using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Classification;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// A report's confusion matrix (<c>confusion-matrix.csv</c>, and its table in report.md and report.html): one row per
/// true class, one column per predicted class (scikit-learn's <c>confusion_matrix</c> layout), then each class's
/// precision, recall, F1 and support (<see cref="ClassMetrics"/>).
/// </summary>
public static class ConfusionTable
{
    public const string Name = "confusion-matrix";

    public static ReportTable Of(ReportClassifier c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var confusion = c.Score.Confusion ?? throw new ArgumentException("the score has no confusion matrix", nameof(c));
        var m = ClassMetrics.Of(c.Classes, confusion);
        int k = c.Classes.Count;
        string[] names = c.Classes.Labels.Select(c.Classes.Text).ToArray();
        var rows = Enumerable.Range(0, k).Select(t => Enumerable.Range(0, k).Select(p => (double?)confusion[(long)t * k + p])
            .Concat([m.Precision[t], m.Recall[t], m.F1[t], m.Support[t]]).ToArray()).ToList();
        // The CSV's header names the predicted classes as the labels were written; the metrics' columns follow.
        string[] columns = [.. names, "precision", "recall", "f1", "support"];
        var csv = new StringBuilder("true");
        foreach (string column in columns) csv.Append(',').Append(ClassMetrics.CsvText(column));
        csv.Append('\n');
        for (int t = 0; t < k; t++)
        {
            csv.Append(ClassMetrics.CsvText(names[t]));
            foreach (double? v in rows[t]) csv.Append(',').Append(v!.Value.ToString("R", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        string rowsText = c.OnTest ? "test rows" : "training rows (no test set)";
        return new ReportTable(Name, "Confusion matrix of the classifier",
            $"One-vs-rest ridge regression with M = {c.Features} random features of {c.KernelSpec}, λ = {G(c.Lambda)}, scored on the " +
            $"{c.Score.Rows} {rowsText}: rows are the true classes, columns the predicted ones, then each class's precision, recall, F1 " +
            $"and support. Accuracy {G(c.Score.Accuracy)}, macro-F1 {G(m.MacroF1)}" +
            (c.Score.Unseen > 0 ? $"; {c.Score.Unseen} row(s) of classes unseen in training count as errors and are not in the matrix" : ""),
            new FigureTable(columns, rows))
        {
            RowHeader = "true class",
            RowLabels = names,
            Headers = [.. names.Select(n => $"predicted {n}"), "precision", "recall", "F1", "support"],
            Csv = csv.ToString(),
        };
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

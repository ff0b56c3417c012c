using System.Globalization;
using System.Text;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// Per-class precision, recall and F1, and their macro average, from a confusion matrix
/// (<see cref="ClassificationScore.Confusion"/>), as scikit-learn's <c>precision_recall_fscore_support</c> computes them
/// with <c>labels</c> = the training classes and <c>zero_division=0</c>: a class never predicted has precision 0, a
/// class with no true rows recall 0, and F1 = 2PR/(P+R), 0 when P+R = 0. Macro-F1 is the unweighted mean of the
/// classes' F1. Rows of unseen classes are not in the matrix (they lower the accuracy only).
/// </summary>
public sealed record ClassMetrics(ClassLabels Classes, long[] Confusion, double[] Precision, double[] Recall, double[] F1, long[] Support)
{
    public double MacroF1 => F1.Average();

    /// <exception cref="ArgumentException">The matrix is not C × C for the classes.</exception>
    public static ClassMetrics Of(ClassLabels classes, long[] confusion)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(confusion);
        int c = classes.Count;
        if (confusion.Length != (long)c * c) throw new ArgumentException($"a {c}-class confusion matrix has {c * c} entries, got {confusion.Length}", nameof(confusion));
        var precision = new double[c];
        var recall = new double[c];
        var f1 = new double[c];
        var support = new long[c];
        for (int k = 0; k < c; k++)
        {
            long truePositive = confusion[(long)k * c + k], predicted = 0, actual = 0;
            for (int j = 0; j < c; j++)
            {
                predicted += confusion[(long)j * c + k];
                actual += confusion[(long)k * c + j];
            }
            support[k] = actual;
            precision[k] = predicted == 0 ? 0 : (double)truePositive / predicted;
            recall[k] = actual == 0 ? 0 : (double)truePositive / actual;
            f1[k] = precision[k] + recall[k] == 0 ? 0 : 2 * precision[k] * recall[k] / (precision[k] + recall[k]);
        }
        return new ClassMetrics(classes, confusion, precision, recall, f1, support);
    }

    /// <summary>
    /// The confusion matrix and per-class table as text: a header of predicted classes, one row per true class with its
    /// counts, then precision, recall, F1 and support; labels longer than 16 characters are cut.
    /// </summary>
    public string Table(string title)
    {
        int c = Classes.Count;
        string[] names = Classes.Labels.Select(l => Cut(Classes.Text(l))).ToArray();
        int nameWidth = Math.Max(8, names.Max(n => n.Length));
        int cell = Math.Max(6, Math.Max(names.Max(n => n.Length), Confusion.Length == 0 ? 1 : Confusion.Max().ToString(CultureInfo.InvariantCulture).Length));
        var sb = new StringBuilder();
        sb.Append(title).Append(": confusion matrix (rows: true class, columns: predicted class), precision, recall, F1\n");
        sb.Append("true\\pred".PadRight(nameWidth));
        foreach (string n in names) sb.Append(' ').Append(n.PadLeft(cell));
        sb.Append("  precision    recall        f1   support\n");
        for (int t = 0; t < c; t++)
        {
            sb.Append(names[t].PadRight(nameWidth));
            for (int p = 0; p < c; p++) sb.Append(' ').Append(Confusion[(long)t * c + p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"  {Precision[t],9:0.0000} {Recall[t],9:0.0000} {F1[t],9:0.0000} {Support[t],9}\n"));
        }
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"macro-F1 {MacroF1:0.0000}\n"));
        return sb.ToString();
    }

    /// <summary>The confusion matrix as CSV: a <c>true</c> column of class labels, then one column per predicted class.</summary>
    public string Csv()
    {
        int c = Classes.Count;
        var sb = new StringBuilder("true");
        foreach (long l in Classes.Labels) sb.Append(',').Append(CsvText(Classes.Text(l)));
        sb.Append('\n');
        for (int t = 0; t < c; t++)
        {
            sb.Append(CsvText(Classes.Text(Classes.Labels[t])));
            for (int p = 0; p < c; p++) sb.Append(',').Append(Confusion[(long)t * c + p].ToString(CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Cut(string s) => s.Length <= 16 ? s : s[..15] + "…";

    /// <summary>A CSV field: quoted when it holds a separator, a quote or a line break.</summary>
    public static string CsvText(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r', ';', '\t']) >= 0 || s.Trim().Length != s.Length ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

using System.Globalization;
using System.Text;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The numbers behind one figure: a header and rows of values (null = no value, an empty cell). Written as CSV with
/// every double in round-trip form, so what a reader loads from the CSV is bit for bit what was plotted.
/// </summary>
public sealed record FigureTable(IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Rows)
{
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Columns)).Append('\n');
        foreach (var row in Rows)
            sb.Append(string.Join(",", row.Select(v => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : ""))).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// A column as the report's md and html tables head it: the CSV's machine-readable name in words, for people
    /// (<c>test_mse_exact_krr</c> → <c>test MSE exact KRR</c>, <c>s_lambda_exact</c> → <c>sλ exact</c>). The CSV files keep
    /// the names, for the programs that read them.
    /// </summary>
    public static string Heading(string column)
    {
        var words = column.Split('_').ToList();
        for (int i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] != "s" || words[i + 1] != "lambda") continue;
            words[i] = "sλ"; // the statistical dimension s_λ of the paper, one symbol
            words.RemoveAt(i + 1);
        }
        return string.Join(" ", words.Select(w => w switch
        {
            "mse" => "MSE",
            "krr" => "KRR",
            "ntk" => "NTK",
            "epsilon" => "ε",
            "gaussian" => "Gaussian",
            _ => w,
        }));
    }

    /// <summary>A value as the report's tables show it: five significant digits, "–" for none.</summary>
    public static string Display(double? value) => value switch
    {
        null => "–",
        double d when double.IsNaN(d) => "NaN",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e7 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
    };
}

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

    /// <summary>A value as the report's tables show it: five significant digits, "–" for none.</summary>
    public static string Display(double? value) => value switch
    {
        null => "–",
        double d when double.IsNaN(d) => "NaN",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e7 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
    };
}

using System.Net;
using System.Text;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page — the figures as inline SVG, the style sheet inline, no scripts, no
/// links, no external resources — so it can be mailed, archived or opened offline as a single file.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: Arial, Helvetica, 'Liberation Sans', sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
        th { background: #f3f3f3; } table.facts td, table.facts th { text-align: left; }
        figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
        figcaption { color: #444; font-size: 0.92rem; }
        code { background: #f3f3f3; padding: 0 0.2rem; } .warning { color: #8a4b00; }
        """;

    public static string Render(ReportDocument doc, Func<Figure, string> inlineSvg)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(doc.Title)).Append("</title>\n")
         .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>").Append(E(doc.Title)).Append("</h1>\n<table class=\"facts\">\n");
        foreach (var (key, value) in doc.Facts) h.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
        h.Append("</table>\n");
        if (doc.Findings.Count > 0)
        {
            h.Append("<h2>Findings</h2>\n<ul>\n");
            foreach (var f in doc.Findings) h.Append("<li>").Append(E(f)).Append("</li>\n");
            h.Append("</ul>\n");
        }
        foreach (var figure in doc.Figures)
        {
            h.Append("<h2 id=\"").Append(E(figure.Name)).Append("\">").Append(E(figure.Title)).Append("</h2>\n<figure>\n")
             .Append(inlineSvg(figure)).Append('\n')
             .Append("<figcaption>").Append(E(figure.Caption)).Append("</figcaption>\n</figure>\n");
            h.Append("<p>The numbers (also in <code>").Append(E(figure.CsvFile)).Append("</code>):</p>\n");
            Table(h, figure.Table);
        }
        foreach (var table in doc.Tables)
        {
            h.Append("<h2 id=\"").Append(E(table.Name)).Append("\">").Append(E(table.Title)).Append("</h2>\n<p>").Append(E(table.Caption))
             .Append(" (also in <code>").Append(E(table.CsvFile)).Append("</code>)</p>\n");
            Table(h, table.Table, table.Headers, table.RowHeader, table.RowLabels);
        }
        if (doc.Warnings.Count > 0)
        {
            h.Append("<h2>Warnings from the jobs</h2>\n<ul>\n");
            foreach (var w in doc.Warnings) h.Append("<li class=\"warning\">").Append(E(w)).Append("</li>\n");
            h.Append("</ul>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    /// <param name="headers">The headers shown, if not the table's column names.</param>
    /// <param name="rowHeader">With <paramref name="rowLabels"/>: a first column of row headers.</param>
    private static void Table(StringBuilder h, FigureTable table, IReadOnlyList<string>? headers = null, string? rowHeader = null,
        IReadOnlyList<string>? rowLabels = null)
    {
        h.Append("<table>\n<tr>");
        if (rowLabels is not null) h.Append("<th>").Append(E(rowHeader ?? "")).Append("</th>");
        foreach (var c in headers ?? table.Columns.Select(FigureTable.Heading).ToList()) h.Append("<th>").Append(E(c)).Append("</th>");
        h.Append("</tr>\n");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            h.Append("<tr>");
            if (rowLabels is not null) h.Append("<th scope=\"row\">").Append(E(rowLabels[r])).Append("</th>");
            foreach (var v in table.Rows[r]) h.Append("<td>").Append(E(FigureTable.Display(v))).Append("</td>");
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

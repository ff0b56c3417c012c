using System.Text;

namespace NtkCluster.Coordinator.Reports;

/// <summary><c>report.md</c>: the same report in Markdown, showing the SVG files that sit beside it.</summary>
public static class MarkdownReport
{
    public static string Render(ReportDocument doc)
    {
        var m = new StringBuilder();
        m.Append("# ").Append(doc.Title).Append("\n\n| | |\n|---|---|\n");
        foreach (var (key, value) in doc.Facts) m.Append("| ").Append(Cell(key)).Append(" | ").Append(Cell(value)).Append(" |\n");
        if (doc.Findings.Count > 0)
        {
            m.Append("\n## Findings\n\n");
            foreach (var f in doc.Findings) m.Append("- ").Append(f).Append('\n');
        }
        foreach (var figure in doc.Figures)
        {
            m.Append("\n## ").Append(figure.Title).Append("\n\n![").Append(figure.Title).Append("](").Append(figure.SvgFile).Append(")\n\n")
             .Append(figure.Caption).Append("\n\nThe numbers (also in `").Append(figure.CsvFile).Append("`):\n\n");
            Table(m, figure.Table);
        }
        foreach (var table in doc.Tables)
        {
            m.Append("\n## ").Append(table.Title).Append("\n\n").Append(table.Caption).Append(" (also in `").Append(table.CsvFile).Append("`)\n\n");
            Table(m, table.Table, table.Headers, table.RowHeader, table.RowLabels);
        }
        if (doc.Warnings.Count > 0)
        {
            m.Append("\n## Warnings from the jobs\n\n");
            foreach (var w in doc.Warnings) m.Append("- ").Append(w).Append('\n');
        }
        return m.ToString();
    }

    /// <param name="headers">The headers shown, if not the table's column names.</param>
    /// <param name="rowHeader">With <paramref name="rowLabels"/>: a first, left-aligned column of text.</param>
    private static void Table(StringBuilder m, FigureTable table, IReadOnlyList<string>? headers = null, string? rowHeader = null,
        IReadOnlyList<string>? rowLabels = null)
    {
        m.Append("| ");
        if (rowLabels is not null) m.Append(Cell(rowHeader ?? "")).Append(" | ");
        m.Append(string.Join(" | ", (headers ?? table.Columns.Select(FigureTable.Heading).ToList()).Select(Cell))).Append(" |\n|");
        if (rowLabels is not null) m.Append("---|");
        m.Append(string.Concat(table.Columns.Select(_ => "---:|"))).Append('\n');
        for (int r = 0; r < table.Rows.Count; r++)
        {
            m.Append("| ");
            if (rowLabels is not null) m.Append(Cell(rowLabels[r])).Append(" | ");
            m.Append(string.Join(" | ", table.Rows[r].Select(v => FigureTable.Display(v)))).Append(" |\n");
        }
    }

    /// <summary>A table cell: a pipe would end the cell, a newline the row.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|").Replace('\n', ' ');
}

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Writes a report into its directory: per figure an SVG and a CSV, a CSV per further table, <c>report.html</c> and
/// <c>report.md</c> — all into the staging directory, then published in one move (see <see cref="ReportDirectory"/>).
/// </summary>
public static class ReportWriter
{
    public const string HtmlFile = "report.html", MarkdownFile = "report.md";

    /// <returns>The names of the files written, in the order written.</returns>
    public static IReadOnlyList<string> Write(ReportDocument doc, ReportDirectory directory)
    {
        var written = new List<string>();
        void Put(string name, string contents)
        {
            directory.Write(name, contents);
            written.Add(name);
        }
        foreach (var figure in doc.Figures)
        {
            Put(figure.SvgFile, SvgFigure.Document(figure));
            Put(figure.CsvFile, figure.Table.ToCsv());
        }
        foreach (var table in doc.Tables) Put(table.CsvFile, table.Csv ?? table.Table.ToCsv());
        Put(MarkdownFile, MarkdownReport.Render(doc));
        Put(HtmlFile, HtmlReport.Render(doc, SvgFigure.Element));
        directory.Publish();
        return written;
    }
}

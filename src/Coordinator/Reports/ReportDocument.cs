namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Everything a report says, before it is written as HTML or Markdown: what was run on which data and where
/// (<see cref="Facts"/>), the findings in a sentence each, the figures with their tables, further tables, and the
/// jobs' warnings.
/// </summary>
public sealed record ReportDocument(
    string Title,
    IReadOnlyList<KeyValuePair<string, string>> Facts,
    IReadOnlyList<string> Findings,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<string> Warnings);

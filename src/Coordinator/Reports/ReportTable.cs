namespace NtkCluster.Coordinator.Reports;

/// <summary>A table of a report that is not behind one figure (the networks' summary), written as <c>{Name}.csv</c>.</summary>
public sealed record ReportTable(string Name, string Title, string Caption, FigureTable Table)
{
    public string CsvFile => Name + ".csv";
}

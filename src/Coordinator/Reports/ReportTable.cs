namespace NtkCluster.Coordinator.Reports;

/// <summary>A table of a report that is not behind one figure (the networks' summary), written as <c>{Name}.csv</c>.</summary>
public sealed record ReportTable(string Name, string Title, string Caption, FigureTable Table)
{
    public string CsvFile => Name + ".csv";

    /// <summary>Text in front of each row where people read the table (a confusion matrix's true classes); null for none.</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }

    /// <summary>The header above <see cref="RowLabels"/>.</summary>
    public string? RowHeader { get; init; }

    /// <summary>The column headers people read, when the CSV's column names are not (default: <see cref="FigureTable.Columns"/>).</summary>
    public IReadOnlyList<string>? Headers { get; init; }

    /// <summary>The CSV file's text when it is not <see cref="FigureTable.ToCsv"/> (text row labels); null for that.</summary>
    public string? Csv { get; init; }
}

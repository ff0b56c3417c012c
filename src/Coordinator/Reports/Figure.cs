using OxyPlot;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// One figure of a report: the OxyPlot model that draws it and the table of exactly the numbers in its series.
/// </summary>
/// <param name="Name">File stem of the figure's SVG and CSV (<c>epsilon-vs-m</c> → <c>epsilon-vs-m.svg</c>, <c>.csv</c>).</param>
/// <param name="Caption">What the figure shows and how to read it, in plain text.</param>
public sealed record Figure(string Name, string Title, string Caption, PlotModel Plot, FigureTable Table)
{
    public string SvgFile => Name + ".svg";
    public string CsvFile => Name + ".csv";
}

using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The look shared by every figure: fonts, colours, markers, axes and legend, so the figures read as one set.
/// </summary>
internal static class ReportStyle
{
    /// <summary>
    /// A font every SVG viewer has under some name. OxyPlot measures text with its managed Helvetica metrics (the PDF
    /// standard font), which Arial and Liberation Sans share, so label boxes fit without any native font library.
    /// </summary>
    public const string Font = "Arial, Helvetica, 'Liberation Sans', sans-serif";

    public static readonly OxyColor Blue = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    public static readonly OxyColor Red = OxyColor.FromRgb(0xd6, 0x27, 0x28);
    public static readonly OxyColor Grey = OxyColor.FromRgb(0x44, 0x44, 0x44);

    /// <param name="legend">Where the legend goes: a corner the curves leave empty (top right for falling curves).</param>
    public static PlotModel Model(string title, LegendPosition legend = LegendPosition.TopRight) => new()
    {
        Title = title,
        DefaultFont = Font,
        DefaultFontSize = 13,
        TitleFontSize = 15,
        TitleFontWeight = FontWeights.Bold,
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColors.Gray,
        Padding = new OxyThickness(8, 8, 16, 8),
        Legends =
        {
            new Legend
            {
                LegendPosition = legend, LegendPlacement = LegendPlacement.Inside,
                LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendBorder = OxyColors.LightGray,
                LegendFontSize = 12,
            },
        },
    };

    public static Axis Axis(AxisPosition position, string title, bool logarithmic)
    {
        Axis axis = logarithmic ? new LogarithmicAxis() : new LinearAxis();
        axis.Position = position;
        axis.Title = title;
        axis.MajorGridlineStyle = LineStyle.Solid;
        axis.MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd);
        axis.MinorGridlineStyle = logarithmic ? LineStyle.Dot : LineStyle.None;
        axis.MinorGridlineColor = OxyColor.FromRgb(0xee, 0xee, 0xee);
        axis.AxisTitleDistance = 8;
        // Log axes pad by a fraction of the decades shown, so points never sit on the frame.
        axis.MinimumPadding = 0.06;
        axis.MaximumPadding = 0.06;
        return axis;
    }

    public static LineSeries Series(string title, OxyColor color, MarkerType marker, LineStyle line = LineStyle.Solid) => new()
    {
        Title = title,
        Color = color,
        StrokeThickness = 2,
        LineStyle = line,
        MarkerType = marker,
        MarkerSize = 4,
        MarkerFill = color,
        MarkerStroke = color,
    };
}

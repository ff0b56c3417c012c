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
    /// Fonts every SVG viewer has under some name. Text is measured with the larger width of Liberation Sans (the
    /// metrics of Arial and Helvetica) and DejaVu Sans (<see cref="SansFontWidths"/>), so label boxes fit whichever of
    /// the named fonts a viewer finds; DejaVu Sans is named before the generic family, which on Linux usually is DejaVu
    /// Sans anyway and elsewhere a font no wider than it.
    /// </summary>
    public const string Font = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif";

    public static readonly OxyColor Blue = OxyColor.FromRgb(0x1f, 0x77, 0xb4);
    public static readonly OxyColor Red = OxyColor.FromRgb(0xd6, 0x27, 0x28);
    public static readonly OxyColor Grey = OxyColor.FromRgb(0x44, 0x44, 0x44);

    public const double FontSize = 13, LegendFontSize = 12;

    /// <summary>The blank room between an axis title's ink and the tick labels, in pixels.</summary>
    public const double AxisTitleGap = 6;

    /// <param name="legend">Where the legend goes: a corner the curves leave empty (top right for falling curves).</param>
    public static PlotModel Model(string title, LegendPosition legend = LegendPosition.TopRight) => new()
    {
        Title = title,
        DefaultFont = Font,
        DefaultFontSize = FontSize,
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
                LegendFontSize = LegendFontSize,
                // Entries are laid out from their measured boxes and hang below them by a descender (see
                // FigureText.BelowBaseline); the spacing keeps one entry's descenders off the next one's capitals.
                LegendLineSpacing = SansFontWidths.Descent * LegendFontSize,
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
        // The tick labels' width is measured (SansFontWidths); the title's descenders or subscripts hang towards them.
        axis.AxisTitleDistance = AxisTitleGap + FigureText.BelowBaseline(title, FontSize);
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

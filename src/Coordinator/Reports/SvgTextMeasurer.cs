using OxyPlot;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Measures text for the SVG export without any native font library, with <see cref="FigureText.Measure"/>: the
/// larger advance width of Liberation Sans (= Arial, Helvetica) and DejaVu Sans for every character, in the SVG's
/// pixel units. OxyPlot's own managed metrics (the PDF standard font Helvetica) are narrower than DejaVu Sans by up to
/// a fifth and know nothing of Greek or mathematical symbols, so on a machine without Arial or Liberation the legends
/// clipped their entries and the y-axis titles ran into the tick labels. The PDF render context is only the base
/// OxyPlot's exporter needs for a measurer; none of its own measuring is used.
/// </summary>
internal sealed class SvgTextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
{
    public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight) =>
        FigureText.Measure(text, fontSize, bold: fontWeight >= FontWeights.Bold);
}

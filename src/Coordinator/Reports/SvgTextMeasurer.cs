using OxyPlot;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Measures text for the SVG export without any native font library: OxyPlot's PDF render context has the metrics
/// of the PDF standard fonts (Helvetica for sans-serif) built in. That context converts the font size from pixels
/// to points (×72/96) before measuring, because a PDF page is laid out in points; an SVG is laid out in the same
/// pixel units as its <c>font-size</c>, so the measured boxes are scaled back (×96/72). Without this every label box
/// comes out 25% too small: legends clip their entries and titles crowd the axes.
/// The standard fonts cover Latin-1 only; other characters (ε, λ, ‖, ∼, subscripts) would count as nothing, so
/// they are measured as an 'o', about the width of a Greek letter — a little generous for the narrow ones, which
/// errs on the side of room.
/// </summary>
internal sealed class SvgTextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
{
    private const double PixelsPerPoint = 96.0 / 72.0;

    public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
    {
        string latin = string.Create(text.Length, text, (span, t) =>
        {
            for (int i = 0; i < t.Length; i++) span[i] = t[i] <= '\u00ff' ? t[i] : 'o';
        });
        var size = base.MeasureText(latin, fontFamily, fontSize, fontWeight);
        return new OxySize(size.Width * PixelsPerPoint, size.Height * PixelsPerPoint);
    }
}

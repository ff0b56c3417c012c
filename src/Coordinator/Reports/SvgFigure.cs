using OxyPlot;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Renders a figure as SVG with OxyPlot's own exporter — fully managed: it measures text with the widths of the font
/// stack's fonts embedded in <see cref="SansFontWidths"/>, so no native graphics or font library is needed (CI has none)
/// and the layout does not depend on which fonts the machine that writes the report has.
/// </summary>
public static class SvgFigure
{
    public const double Width = 720, Height = 440;

    /// <summary>A standalone SVG document (XML declaration and doctype), for the figure's own file.</summary>
    public static string Document(Figure figure) => Export(figure, isDocument: true);

    /// <summary>
    /// OxyPlot's SVG with a text measurer in the SVG's own units, text placed by explicit offsets rather than the
    /// <c>dominant-baseline</c> attribute, which some renderers (librsvg, several image viewers) ignore, and the
    /// subscript markup of <see cref="FigureText"/> drawn as subscripts.
    /// </summary>
    private static string Export(Figure figure, bool isDocument) => FigureText.SvgSubscripts(
        SvgExporter.ExportToString(figure.Plot, Width, Height, isDocument, new SvgTextMeasurer(Width, Height), useVerticalTextAlignmentWorkaround: true));

    /// <summary>
    /// The bare <c>&lt;svg&gt;</c> element, to inline in HTML. It gains a viewBox so the page's CSS can scale it
    /// down to a narrow window without cropping, and its element ids (OxyPlot numbers its clip paths clipPath1, 2, …
    /// in every figure) are prefixed with the figure's name: ids are global to an HTML page, so otherwise every
    /// figure would clip to the first figure's plot area.
    /// </summary>
    public static string Element(Figure figure)
    {
        string svg = Export(figure, isDocument: false);
        int tag = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (tag < 0) throw new InvalidOperationException("OxyPlot's SVG has no <svg> element");
        svg = svg[tag..].Replace("id=\"", $"id=\"{figure.Name}-").Replace("url(#", $"url(#{figure.Name}-");
        int end = svg.IndexOf('>');
        if (svg.IndexOf("viewBox", StringComparison.Ordinal) is int at && at >= 0 && at < end) return svg;
        return svg.Insert(4, $" viewBox=\"0 0 {Width} {Height}\"");
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OxyPlot;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The text of a figure (titles, axis titles, legend entries) with one piece of markup: <c>_[…]</c> is a subscript,
/// as in <c>q_[λ]</c>. Unicode has subscript digits and a few letters but no subscript λ, so the SVG draws the
/// subscript as a smaller, lowered <c>&lt;tspan&gt;</c> instead of a literal underscore. Text is measured with
/// <see cref="SansFontWidths"/> and the same layout, so OxyPlot sizes legends and axis margins for what is drawn.
/// Not OxyPlot's own <c>_{…}</c>: OxyPlot draws that as separate text elements placed by measured widths, and since a
/// measured width must fit the widest font, the subscript would float away from its letter in a narrower one.
/// </summary>
public static partial class FigureText
{
    /// <summary>A subscript's size relative to the text around it.</summary>
    public const double SubscriptScale = 0.75;

    /// <summary>How far a subscript's baseline drops, in em of the surrounding text (about what renderers use for <c>baseline-shift: sub</c>).</summary>
    public const double SubscriptDrop = 0.25;

    /// <summary>The markup for <paramref name="text"/> as a subscript.</summary>
    public static string Subscript(string text) => "_[" + text + "]";

    /// <summary>The text without markup, as a reader sees it (<c>q_[λ]</c> → <c>qλ</c>).</summary>
    public static string Plain(string text) => Markup().Replace(text, m => m.Groups[1].Value);

    /// <summary>
    /// The box <paramref name="text"/> takes at <paramref name="fontSize"/> pixels in the widest of the stack's fonts: the
    /// sum of the advance widths, and the larger line height (one more subscript drop when a subscript hangs below it).
    /// </summary>
    public static OxySize Measure(string text, double fontSize, bool bold)
    {
        double width = 0;
        bool subscript = false;
        int at = 0;
        foreach (Match m in Markup().Matches(text))
        {
            width += Width(text.AsSpan(at, m.Index - at), bold) * fontSize;
            width += Width(m.Groups[1].ValueSpan, bold) * fontSize * SubscriptScale;
            subscript = true;
            at = m.Index + m.Length;
        }
        width += Width(text.AsSpan(at), bold) * fontSize;
        double height = SansFontWidths.LineHeight * fontSize + (subscript ? SubscriptDrop * fontSize : 0);
        return new OxySize(width, height);
    }

    /// <summary>
    /// How far <paramref name="text"/> reaches below its baseline, in pixels: a descender, or a lowered subscript's.
    /// OxyPlot's exporter (with the vertical-alignment workaround librsvg needs) puts the baseline on the edge of the
    /// measured box, so this much of the text hangs outside the box it laid out — towards the tick labels, for a
    /// y-axis title — and has to be added to the room around it.
    /// </summary>
    public static double BelowBaseline(string text, double fontSize) =>
        (Markup().IsMatch(text) ? SubscriptDrop + SubscriptScale * SansFontWidths.Descent : SansFontWidths.Descent) * fontSize;

    /// <summary>
    /// Rewrites the subscript markup inside the SVG's <c>&lt;text&gt;</c> elements as lowered, smaller
    /// <c>&lt;tspan&gt;</c>s. The drop is a <c>dy</c> shift, and the text after a subscript is shifted back to the
    /// baseline the same way, rather than <c>baseline-shift</c>, which not every renderer supports.
    /// </summary>
    public static string SvgSubscripts(string svg) => TextElement().Replace(svg, element =>
    {
        string content = element.Groups["content"].Value;
        if (!Markup().IsMatch(content)) return element.Value;
        double size = double.Parse(element.Groups["size"].Value, CultureInfo.InvariantCulture);
        var sb = new StringBuilder(element.Groups["open"].Value);
        double shift = 0;
        int at = 0;
        void Normal(string segment)
        {
            if (segment.Length == 0) return;
            if (shift == 0) sb.Append(segment);
            else sb.Append($"<tspan dy=\"{F(-shift)}\">{segment}</tspan>");
            shift = 0;
        }
        foreach (Match m in Markup().Matches(content))
        {
            Normal(content[at..m.Index]);
            double drop = SubscriptDrop * size;
            sb.Append($"<tspan dy=\"{F(drop - shift)}\" font-size=\"{F(size * SubscriptScale)}\">{m.Groups[1].Value}</tspan>");
            shift = drop;
            at = m.Index + m.Length;
        }
        Normal(content[at..]);
        return sb.Append("</text>").ToString();
    });

    private static double Width(ReadOnlySpan<char> text, bool bold)
    {
        double em = 0;
        foreach (char c in text) em += SansFontWidths.Width(c, bold);
        return em;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"_\[([^\[\]]*)\]")]
    private static partial Regex Markup();

    [GeneratedRegex("(?<open><text [^>]*font-size=\"(?<size>[0-9.]+)\"[^>]*>)(?<content>[^<]*)</text>")]
    private static partial Regex TextElement();
}

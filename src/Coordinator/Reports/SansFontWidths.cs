namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Advance widths of the sans-serif fonts a figure's font stack can resolve to — Liberation Sans (the metrics of
/// Arial and Helvetica) and DejaVu Sans (what <c>sans-serif</c> becomes on most Linux machines, and wider) — the larger
/// of the two for every character, generated from the font files by <c>make_sans_font_widths.py</c>. Text measured
/// with them fits whichever of these fonts a viewer picks, so a legend box sized from them never clips its entries.
/// </summary>
internal static partial class SansFontWidths
{
    /// <summary>
    /// The width of a character neither font has: a full em, as wide as the widest Latin letters, since a viewer draws
    /// it from some other font we know nothing about.
    /// </summary>
    public const double Unknown = 1.0;

    /// <summary>The advance width of <paramref name="c"/> in em.</summary>
    public static double Width(char c, bool bold)
    {
        var ranges = bold ? BoldRanges : RegularRanges;
        for (int r = 0; r < RangeStarts.Length; r++)
        {
            int offset = c - RangeStarts[r];
            if (offset >= 0 && offset < ranges[r].Length) return ranges[r][offset] is ushort w and > 0 ? w / 1000.0 : Unknown;
        }
        return Unknown;
    }
}

using System.Text.RegularExpressions;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Reports;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// The report's figures as a viewer draws them: every text element rendered by librsvg (<c>rsvg-convert</c>) with only
/// DejaVu fonts installed, and again with Liberation fonts (Arial's metrics) beside them. The ink of each text must
/// stay inside the canvas, keep clear of every other text (an axis title of its tick labels), and a legend's entries
/// must lie inside the legend's box, which no other text may enter. The tools and fonts are part of the test
/// environment (.ci/run installs librsvg2-bin, fonts-dejavu-core and fonts-liberation): without them the test fails,
/// it does not skip, so a CI machine cannot pass it by lacking them.
/// </summary>
public sealed partial class FigureRenderingTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Blank pixels required between two texts, and between a legend entry and its box's border.</summary>
    private const int MinimumGap = 2;

    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Figures_of_a_real_report_keep_every_text_clear_and_unclipped_with_dejavu_or_liberation_fonts()
    {
        string train = _dir.Write("train.csv", TestData.Csv(64, seed: 7));
        string outDir = _dir.PathOf("report");
        var run = await Ntk.RunAsync(
        [
            "report", "--train", train, "--out", outDir, "--test-fraction", "0.25", "--standardize", "--scale-target", "--normalize",
            "--features", "4,8,16", "--repeats", "1", "--pool", "400", "--widths", "8,32", "--steps", "12", "--workers", "2",
        ]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var svgs = Directory.GetFiles(outDir, "*.svg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(6, svgs.Length);
        CheckAll(svgs.Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
    }

    /// <summary>The example report in docs/ is what a reader sees first; its figures pass the same check.</summary>
    [Fact]
    public void Figures_of_the_example_report_in_docs_keep_every_text_clear_and_unclipped()
    {
        var svgs = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ReportExample"), "*.svg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(6, svgs.Length);
        CheckAll(svgs.Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
    }

    /// <summary>
    /// A subscript is drawn lowered and smaller (the figure's text has no literal underscore), and measuring it gives
    /// the box the renderer fills: the check above would not catch a measurer that is generous everywhere, so this one
    /// holds the measured width of every legend entry and axis title to within 15% of the rendered ink with DejaVu.
    /// </summary>
    [Fact]
    public void Measured_text_widths_match_the_rendered_dejavu_widths_and_subscripts_are_lowered()
    {
        var tool = RequireRenderer();
        using var dejavu = DejaVuOnly();
        string text = $"a mean u{FigureText.Subscript("nn")} over M";
        Assert.Equal("a mean unn over M", FigureText.Plain(text));
        string svg = FigureText.SvgSubscripts(
            "<svg width=\"720\" height=\"100\"><text transform=\"translate(10,50)\" font-family=\"'DejaVu Sans'\" font-size=\"12\" fill=\"black\">" +
            text + "</text>" +
            "<text transform=\"translate(10,80)\" font-family=\"'DejaVu Sans'\" font-size=\"12\" fill=\"black\">a mean unn over M</text></svg>");
        Assert.DoesNotContain("_", svg);
        Assert.Contains("u<tspan dy=\"3\" font-size=\"9\">nn</tspan><tspan dy=\"-3\"> over M</tspan>", svg);
        var rendered = SvgTextRenderer.Render(tool, svg, dejavu);
        var (sub, flat) = (rendered[0].Box, rendered[1].Box);
        // The subscript (no letter here descends) reaches below the baseline, by its drop, unlike the same text without
        // one, and is narrower; the text after it is back on the baseline, so the box is no taller than the drop makes it.
        Assert.InRange(sub.Bottom - 50, 2, 4);
        Assert.InRange(flat.Bottom - 80, -1, 0);
        Assert.Equal(flat.Top - 80, sub.Top - 50);
        Assert.True(sub.Right < flat.Right, $"subscript {sub} vs plain {flat}");

        double measured = FigureText.Measure(text, 12, bold: false).Width;
        int ink = sub.Right - sub.Left + 1;
        Assert.InRange(measured, ink, ink * 1.15);
    }

    private void CheckAll(IEnumerable<(string Name, string Svg)> figures)
    {
        var tool = RequireRenderer();
        using var dejavu = DejaVuOnly();
        string liberationDir = FontSet.DirectoryOf("LiberationSans-Regular.ttf")
                               ?? throw new InvalidOperationException("fonts-liberation is not installed (LiberationSans-Regular.ttf); apt-get install fonts-liberation");
        using var both = new FontSet("DejaVu and Liberation", FontSet.DirectoryOf("DejaVuSans.ttf")!, liberationDir);
        var failures = new List<string>();
        foreach (var (name, svg) in figures)
        {
            foreach (Match text in Texts().Matches(svg))
                if (Regex.Replace(text.Groups[1].Value, "<[^>]+>", "").Contains('_', StringComparison.Ordinal))
                    failures.Add($"{name}: '{text.Groups[1].Value}' has a literal underscore");
            var widths = new Dictionary<string, int>();
            foreach (var fonts in new[] { dejavu, both })
            {
                var texts = SvgTextRenderer.Render(tool, svg, fonts);
                failures.AddRange(Check(name, fonts.Name, svg, texts));
                var widest = texts.Where(t => !t.Empty).MaxBy(t => t.Box.Right - t.Box.Left)!;
                widths[fonts.Name] = widest.Box.Right - widest.Box.Left;
                var shown = texts.Where(t => !t.Hidden && !t.Empty).ToList();
                output.WriteLine($"{name} with {fonts.Name}: {shown.Count} texts shown, smallest gap " +
                                 $"{shown.SelectMany((a, i) => shown.Skip(i + 1).Select(b => a.Box.GapTo(b.Box))).Min()} px; '{widest.Content}' {widths[fonts.Name]} px wide");
            }
            // The two font sets did draw with different fonts: DejaVu Sans is wider than Liberation Sans.
            if (widths[dejavu.Name] <= widths[both.Name])
                failures.Add($"{name}: the widest text is {widths[dejavu.Name]} px with DejaVu, {widths[both.Name]} px with Liberation: the font sets made no difference");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private IEnumerable<string> Check(string name, string fonts, string svg, IReadOnlyList<RenderedText> all)
    {
        var (width, height) = SvgTextRenderer.CanvasSize(svg);
        var legends = Legends().Matches(svg).Select(SvgTextRenderer.Box).ToList();
        if (legends.Count == 0) yield return $"{name}: no legend box found";
        foreach (var hidden in all.Where(t => t.Hidden)) output.WriteLine($"{name} with {fonts}: '{hidden.Content}' is outside its clip {hidden.Clip} and not shown");
        foreach (var empty in all.Where(t => !t.Hidden && t.Empty)) yield return $"{name} with {fonts}: '{empty.Content}' drew nothing";
        var texts = all.Where(t => !t.Hidden && !t.Empty).ToList();
        foreach (var t in texts)
        {
            string what = $"{name} with {fonts}: '{t.Content}' {t.Box}";
            if (t.Box.Left < MinimumGap || t.Box.Top < MinimumGap || t.Box.Right >= width - MinimumGap || t.Box.Bottom >= height - MinimumGap)
                yield return $"{what} reaches the edge of the {width}×{height} canvas";
            if (t.Clip is { } clip && (t.Box.Left < clip.Left || t.Box.Top < clip.Top || t.Box.Right > clip.Right || t.Box.Bottom > clip.Bottom))
                yield return $"{what} is clipped by {clip}";
            foreach (var legend in legends)
            {
                bool entry = t.AnchorX > legend.Left && t.AnchorX < legend.Right && t.AnchorY > legend.Top && t.AnchorY < legend.Bottom;
                if (entry && (t.Box.Left - legend.Left <= MinimumGap || legend.Right - t.Box.Right <= MinimumGap ||
                              t.Box.Top - legend.Top <= MinimumGap || legend.Bottom - t.Box.Bottom <= MinimumGap))
                    yield return $"{what} touches the border of its legend box {legend}";
                if (!entry && t.Box.GapTo(legend) < 0) yield return $"{what} is under the legend box {legend}";
            }
        }
        for (int i = 0; i < texts.Count; i++)
            for (int j = i + 1; j < texts.Count; j++)
                if (texts[i].Box.GapTo(texts[j].Box) < MinimumGap)
                    yield return $"{name} with {fonts}: '{texts[i].Content}' {texts[i].Box} and '{texts[j].Content}' {texts[j].Box} are {texts[i].Box.GapTo(texts[j].Box)} px apart";
    }

    private static string RequireRenderer() => SvgTextRenderer.Find()
        ?? throw new InvalidOperationException($"{SvgTextRenderer.Tool} is not installed: apt-get install librsvg2-bin fonts-dejavu-core fonts-liberation (as .ci/run does)");

    private static FontSet DejaVuOnly() => new("DejaVu only", FontSet.DirectoryOf("DejaVuSans.ttf")
        ?? throw new InvalidOperationException("fonts-dejavu-core is not installed (DejaVuSans.ttf); apt-get install fonts-dejavu-core"));

    /// <summary>A legend's box: OxyPlot draws it with the LightGray border the report's style gives it.</summary>
    [GeneratedRegex(@"<rect x=""(?<x>[-0-9.]+)"" y=""(?<y>[-0-9.]+)"" width=""(?<w>[0-9.]+)"" height=""(?<h>[0-9.]+)"" style=""[^""]*stroke:rgb\(211,211,211\)")]
    private static partial Regex Legends();

    [GeneratedRegex("<text\\b[^>]*>(.*?)</text>", RegexOptions.Singleline)]
    private static partial Regex Texts();
}

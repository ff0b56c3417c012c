using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>A box of pixels, edges inclusive.</summary>
internal readonly record struct PixelBox(int Left, int Top, int Right, int Bottom)
{
    /// <summary>Blank pixels between two boxes along the axis that separates them; negative when they overlap.</summary>
    public int GapTo(PixelBox o) => Math.Max(Math.Max(o.Left - Right, Left - o.Right), Math.Max(o.Top - Bottom, Top - o.Bottom)) - 1;

    public override string ToString() => $"[{Left},{Top}–{Right},{Bottom}]";
}

/// <summary>
/// One <c>&lt;text&gt;</c> element of an SVG, the pixels it covers when rendered on its own, and the clip rectangle
/// the SVG draws it in (null when none smaller than the canvas).
/// </summary>
internal sealed record RenderedText(string Content, double AnchorX, double AnchorY, PixelBox Box, PixelBox? Clip)
{
    /// <summary>No ink at all within the canvas and the room around it.</summary>
    public bool Empty => Box.Right < Box.Left;

    /// <summary>Drawn outside its clip rectangle altogether: the figure does not show it (an annotation off the axis range).</summary>
    public bool Hidden => Clip is { } c && (Empty || Box.GapTo(c) >= 0);
}

/// <summary>
/// The fonts a rendering may use: a fontconfig configuration that sees only the given font directories (and the
/// system's alias rules, so <c>Arial</c> and <c>sans-serif</c> resolve as they would on a machine with just these fonts).
/// </summary>
internal sealed class FontSet : IDisposable
{
    private readonly string _dir;

    public string Name { get; }

    public string ConfigFile { get; }

    public FontSet(string name, params string[] fontDirectories)
    {
        Name = name;
        _dir = Directory.CreateTempSubdirectory("ntk-fonts-").FullName;
        ConfigFile = Path.Combine(_dir, "fonts.conf");
        var dirs = string.Concat(fontDirectories.Select(d => $"  <dir>{d}</dir>\n"));
        File.WriteAllText(ConfigFile, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n" + dirs +
            $"  <cachedir>{Path.Combine(_dir, "cache")}</cachedir>\n  <include ignore_missing=\"yes\">/etc/fonts/conf.d</include>\n</fontconfig>\n");
    }

    /// <summary>The directory under /usr/share/fonts that holds <paramref name="file"/> (as Debian's font packages install it), or null.</summary>
    public static string? DirectoryOf(string file) =>
        Directory.Exists("/usr/share/fonts")
            ? Directory.EnumerateFiles("/usr/share/fonts", file, SearchOption.AllDirectories).Select(Path.GetDirectoryName).FirstOrDefault()
            : null;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>
/// Renders an SVG's text elements one at a time with the real renderer (<c>rsvg-convert</c>, librsvg) and finds
/// the box of pixels each one covers. Each element is drawn alone, without the clip paths it sits in, so a text
/// the figure would clip shows its whole extent and overlaps show as intersecting boxes. To start the renderer once
/// per figure rather than once per text, the texts are drawn in bands of one tall image, each band a copy of the
/// canvas with <see cref="Pad"/> pixels of room around it (where text that leaves the canvas shows), clipped to itself.
/// </summary>
internal static partial class SvgTextRenderer
{
    public const string Tool = "rsvg-convert";

    /// <summary>Room around each band's canvas, in pixels.</summary>
    private const int Pad = 40;

    /// <summary>Bands per image: cairo's surfaces stop at 32 767 pixels.</summary>
    private const int BandsPerImage = 40;

    /// <summary>Where rsvg-convert is, or null when it is not installed.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, Tool)).FirstOrDefault(File.Exists);

    public static (int Width, int Height) CanvasSize(string svg)
    {
        var m = SvgSize().Match(svg);
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    public static IReadOnlyList<RenderedText> Render(string tool, string svg, FontSet fonts)
    {
        var (width, height) = CanvasSize(svg);
        var elements = new List<(Match Text, PixelBox? Clip)>();
        var clips = new Dictionary<string, PixelBox>();
        PixelBox? clip = null;
        // The exporter's clip groups are flat: a <g clip-path> holds elements and closes before the next one opens.
        foreach (Match m in Element().Matches(svg))
        {
            if (m.Groups["clipid"].Success) clips[m.Groups["clipid"].Value] = Box(m);
            else if (m.Groups["group"].Success)
                clip = clips.TryGetValue(m.Groups["group"].Value, out var c) && (c.Left > 0 || c.Top > 0 || c.Right < width - 1 || c.Bottom < height - 1) ? c : null;
            else if (m.Value == "</g>") clip = null;
            else elements.Add((m, clip));
        }

        var texts = new List<RenderedText>();
        int bandWidth = width + 2 * Pad, bandHeight = height + 2 * Pad;
        foreach (var chunk in elements.Chunk(BandsPerImage))
        {
            var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{bandWidth}\" height=\"{bandHeight * chunk.Length}\">");
            for (int k = 0; k < chunk.Length; k++)
                sb.Append($"<clipPath id=\"band{k}\"><rect x=\"0\" y=\"{k * bandHeight}\" width=\"{bandWidth}\" height=\"{bandHeight}\"/></clipPath>")
                  .Append($"<g clip-path=\"url(#band{k})\"><g transform=\"translate({Pad},{k * bandHeight + Pad})\">{chunk[k].Text.Value}</g></g>");
            var (w, h, alpha) = Png.DecodeAlpha(RenderPng(tool, sb.Append("</svg>").ToString(), fonts));
            if (w != bandWidth || h != bandHeight * chunk.Length) throw new InvalidOperationException($"rendered {w}×{h}, expected {bandWidth}×{bandHeight * chunk.Length}");
            for (int k = 0; k < chunk.Length; k++)
            {
                var (m, textClip) = chunk[k];
                int left = int.MaxValue, top = int.MaxValue, right = int.MinValue, bottom = int.MinValue;
                for (int y = 0; y < bandHeight; y++)
                    for (int x = 0; x < bandWidth; x++)
                        if (alpha[(k * bandHeight + y) * w + x] > 0)
                        {
                            left = Math.Min(left, x - Pad); right = Math.Max(right, x - Pad);
                            top = Math.Min(top, y - Pad); bottom = Math.Max(bottom, y - Pad);
                        }
                var anchor = Translate().Match(m.Value);
                string content = Regex.Replace(m.Groups["content"].Value, "<[^>]+>", "");
                texts.Add(new RenderedText(System.Net.WebUtility.HtmlDecode(content),
                    double.Parse(anchor.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(anchor.Groups[2].Value, CultureInfo.InvariantCulture),
                    new PixelBox(left, top, right, bottom), textClip));
            }
        }
        return texts;
    }

    /// <summary>A rectangle's box in whole pixels, rounded outwards to the pixels it touches.</summary>
    public static PixelBox Box(Match rect)
    {
        double x = D(rect, "x"), y = D(rect, "y");
        return new PixelBox((int)Math.Floor(x), (int)Math.Floor(y), (int)Math.Ceiling(x + D(rect, "w")) - 1, (int)Math.Ceiling(y + D(rect, "h")) - 1);
    }

    private static double D(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static byte[] RenderPng(string tool, string svg, FontSet fonts)
    {
        var start = new ProcessStartInfo(tool, ["--format", "png"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["FONTCONFIG_FILE"] = fonts.ConfigFile;
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errors = process.StandardError.ReadToEndAsync();
        using (var input = process.StandardInput) input.Write(svg);
        copy.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {errors.Result}");
        return stdout.ToArray();
    }

    [GeneratedRegex("<svg [^>]*width=\"([0-9]+)\" height=\"([0-9]+)\"")]
    private static partial Regex SvgSize();

    [GeneratedRegex("<clipPath id=\"(?<clipid>[^\"]+)\">\\s*<rect x=\"(?<x>[-0-9.]+)\" y=\"(?<y>[-0-9.]+)\" width=\"(?<w>[0-9.]+)\" height=\"(?<h>[0-9.]+)\"" +
                    "|<g clip-path=\"url\\(#(?<group>[^)]+)\\)\">|</g>|<text\\b[^>]*>(?<content>.*?)</text>", RegexOptions.Singleline)]
    private static partial Regex Element();

    [GeneratedRegex(@"translate\(([-0-9.]+),([-0-9.]+)\)")]
    private static partial Regex Translate();
}

/// <summary>
/// Just enough of a PNG decoder for rsvg-convert's output (8-bit RGBA, not interlaced): the alpha channel, which is
/// where a text drawn on a transparent canvas left ink.
/// </summary>
internal static class Png
{
    public static (int Width, int Height, byte[] Alpha) DecodeAlpha(byte[] png)
    {
        if (png.Length < 8 || png[0] != 0x89 || Encoding.ASCII.GetString(png, 1, 3) != "PNG") throw new InvalidDataException("not a PNG");
        int width = 0, height = 0;
        var idat = new MemoryStream();
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = BigEndian(png, at);
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            int data = at + 8;
            if (type == "IHDR")
            {
                width = BigEndian(png, data);
                height = BigEndian(png, data + 4);
                if (png[data + 8] != 8 || png[data + 9] != 6 || png[data + 12] != 0)
                    throw new InvalidDataException($"PNG is not 8-bit RGBA without interlace (depth {png[data + 8]}, colour type {png[data + 9]})");
            }
            else if (type == "IDAT") idat.Write(png, data, length);
            else if (type == "IEND") break;
            at = data + length + 4;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        var bytes = raw.ToArray();
        const int bpp = 4;
        int stride = width * bpp;
        var previous = new byte[stride];
        var line = new byte[stride];
        var alpha = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            int row = y * (stride + 1);
            byte filter = bytes[row];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                int x = bytes[row + 1 + i];
                line[i] = (byte)(filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + ((a + b) >> 1),
                    4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (int px = 0; px < width; px++) alpha[y * width + px] = line[px * bpp + 3];
            (previous, line) = (line, previous);
        }
        return (width, height, alpha);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

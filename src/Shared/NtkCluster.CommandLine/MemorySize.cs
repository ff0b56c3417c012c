using System.Globalization;

namespace NtkCluster.CommandLine;

/// <summary>
/// A memory size as a command line gives it (<c>--memory 512m</c>, <c>2g</c>, <c>1.5GiB</c>, <c>1073741824</c>):
/// a number with an optional binary unit — k, m, g or t (KiB, MiB, GiB, TiB), with or without a trailing b or ib.
/// </summary>
public static class MemorySize
{
    private static readonly (string Suffix, int Shift)[] Units =
    [
        ("kib", 10), ("kb", 10), ("k", 10), ("mib", 20), ("mb", 20), ("m", 20),
        ("gib", 30), ("gb", 30), ("g", 30), ("tib", 40), ("tb", 40), ("t", 40), ("b", 0),
    ];

    /// <summary>The size in bytes.</summary>
    /// <param name="option">The option's name, for the message.</param>
    /// <exception cref="ArgumentException">Not a size: the message is one line naming the option and the text.</exception>
    public static long Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim().ToLowerInvariant();
        int shift = 0;
        foreach (var (suffix, unitShift) in Units)
        {
            if (!trimmed.EndsWith(suffix, StringComparison.Ordinal)) continue;
            trimmed = trimmed[..^suffix.Length];
            shift = unitShift;
            break;
        }
        if (trimmed.Length == 0 || !char.IsAsciiDigit(trimmed[0])
            || !double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            throw new ArgumentException($"{option} '{text}' is not a memory size (e.g. 512m, 2g, or bytes)");
        double bytes = Math.Floor(number * Math.Pow(2, shift));
        if (bytes >= long.MaxValue) throw new ArgumentException($"{option} '{text}' is too large");
        return (long)bytes;
    }
}

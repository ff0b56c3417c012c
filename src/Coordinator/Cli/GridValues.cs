using System.Globalization;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The value grids of <c>ntk cv</c>: a comma list <c>1e-4,1e-3,0.01</c>, or <c>A..B:N</c>, N log-spaced values from A to
/// B inclusive (<c>1e-4..1e1:6</c> = 1e-4, 1e-3, …, 10). Commas and <c>..</c> never occur in a kernel spec's single
/// value, which is why kernel parameters get their own option (<c>--gamma</c>) instead of a syntax inside
/// <c>--kernel</c>, where commas already separate parameters.
/// </summary>
public static class GridValues
{
    public const int MaxValues = 1000;

    /// <summary>The values, in the order given (the order decides ties in the choice), all finite and &gt; 0.</summary>
    /// <exception cref="UsageException">Not a list or range of positive numbers, or a value twice.</exception>
    public static double[] Parse(string option, string text)
    {
        string t = text.Trim();
        double[] values = t.Contains("..", StringComparison.Ordinal) ? Range(option, t) : List(option, t);
        if (values.Length > MaxValues) throw new UsageException($"--{option}: {values.Length} values is more than {MaxValues}");
        var seen = new HashSet<double>();
        foreach (double v in values)
        {
            if (!seen.Add(v)) throw new UsageException($"--{option}: {Format(v)} is given twice");
        }
        return values;
    }

    private static double[] List(string option, string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[items.Length];
        for (int i = 0; i < items.Length; i++) values[i] = Positive(option, items[i], text);
        return values;
    }

    /// <summary>A..B:N, log-spaced. Rounded to 12 significant digits so that 1e-4..1e1:6 gives exactly 0.001, not 0.0009999999999999998.</summary>
    private static double[] Range(string option, string text)
    {
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        int colon = text.LastIndexOf(':');
        if (colon < dots)
            throw new UsageException($"--{option} '{text}': a range is A..B:N (N log-spaced values from A to B), e.g. 1e-4..1e1:6");
        double a = Positive(option, text[..dots], text), b = Positive(option, text[(dots + 2)..colon], text);
        string countText = text[(colon + 1)..].Trim();
        if (!int.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 2 || n > MaxValues)
            throw new UsageException($"--{option} '{text}': the number of values after ':' must be a whole number from 2 to {MaxValues}, got '{countText}'");
        if (!(a < b)) throw new UsageException($"--{option} '{text}': a range goes from the smaller value to the larger");
        var values = new double[n];
        double la = Math.Log(a), lb = Math.Log(b);
        for (int i = 0; i < n; i++)
        {
            double v = i == 0 ? a : i == n - 1 ? b : Math.Exp(la + (lb - la) * i / (n - 1));
            values[i] = double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        return values;
    }

    private static double Positive(string option, string item, string whole)
    {
        string s = item.Trim();
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UsageException($"--{option} '{whole}': '{s}' is not a number (give a list such as 0.01,0.1,1 or a range such as 1e-4..1e1:6)");
        if (!(v > 0)) throw new UsageException($"--{option} '{whole}': {s} is not > 0");
        return v;
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

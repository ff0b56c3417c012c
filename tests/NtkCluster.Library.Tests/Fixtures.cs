using System.Globalization;

namespace NtkCluster.Library.Tests;

/// <summary>
/// The letters fixtures and scikit-learn's predictions for them, read with plain string splitting: the reference
/// values pass through no code under test.
/// </summary>
internal static class Fixtures
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A CSV of numbers as (header, rows).</summary>
    public static (string[] Header, double[][] Rows) Read(string name)
    {
        var lines = File.ReadAllLines(PathOf(name)).Where(l => l.Length > 0).ToArray();
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray());
    }

    /// <summary>The features (every column but the last <paramref name="targets"/>) and the targets of a fixture file.</summary>
    public static (double[,] X, double[,] Y, string[] FeatureNames) Table(string name, int targets = 1)
    {
        var (header, rows) = Read(name);
        int d = header.Length - targets;
        var x = new double[rows.Length, d];
        var y = new double[rows.Length, targets];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < d; j++) x[i, j] = rows[i][j];
            for (int t = 0; t < targets; t++) y[i, t] = rows[i][d + t];
        }
        return (x, y, header[..d]);
    }

    public static double[] Column(double[,] m, int j) => Enumerable.Range(0, m.GetLength(0)).Select(i => m[i, j]).ToArray();

    /// <summary>max |actual − expected| / max |expected|.</summary>
    public static double RelativeMaxError(double[] actual, double[] expected)
    {
        if (actual.Length != expected.Length) throw new ArgumentException($"{actual.Length} values against {expected.Length}");
        return actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max() / expected.Max(Math.Abs);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>Reference files and small helpers shared by the leverage end-to-end tests.</summary>
internal static class LeverageFixtures
{
    /// <summary>letters-train.csv, copied to Fixtures/ in this project's output by the csproj.</summary>
    public static string LettersTrain => Path.Combine(AppContext.BaseDirectory, "Fixtures", "letters-train.csv");

    /// <summary>
    /// A file of the numpy spectral fixtures (Numerics.Tests/Fixtures/spectral/). This project's csproj copies only
    /// the top-level Fixtures/*.csv, not the spectral/ subfolder, and test files may not change the csproj. So: the
    /// output directory first (in case the csproj copies it one day), then the source tree, found by walking up from
    /// the test assembly's directory to the folder that holds NtkCluster.Numerics.Tests — which works for
    /// bin/Release/net10.0, bin/Debug/net10.0 or any other output depth, in a fresh clone (CI) as in a work tree,
    /// and does not depend on the Numerics test project having been built.
    /// </summary>
    public static string Spectral(string name)
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "Fixtures", "spectral", name);
        if (File.Exists(copied)) return copied;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string root in new[] { dir.FullName, Path.Combine(dir.FullName, "tests") })
            {
                string candidate = Path.Combine(root, "NtkCluster.Numerics.Tests", "Fixtures", "spectral", name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException($"spectral fixture {name} not found in the output directory or above {AppContext.BaseDirectory}");
    }

    /// <summary>s_lambda of spectral-fixture.csv for a kernel family and λ, parsed with double.Parse (not project code).</summary>
    public static double FixtureStatisticalDimension(string kernel, double lambda)
    {
        var lines = File.ReadAllLines(Spectral("spectral-fixture.csv")).Where(l => l.Length > 0).ToArray();
        Assert.Equal("kernel,lambda,s_lambda", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells[0] == kernel && double.Parse(cells[1], CultureInfo.InvariantCulture) == lambda)
                return double.Parse(cells[2], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no fixture row for {kernel}, λ = {lambda}");
    }

    /// <summary>The header and the first <paramref name="rows"/> data rows of letters-train.csv, as the spectral fixture used.</summary>
    public static string LettersHead(int rows)
    {
        var lines = File.ReadAllLines(LettersTrain).Where(l => l.Trim().Length > 0).ToArray();
        Assert.True(lines.Length > rows, $"letters-train.csv has only {lines.Length - 1} rows");
        var sb = new StringBuilder();
        foreach (var line in lines.Take(rows + 1)) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    public static JsonElement LastLineJson(CliRun run)
    {
        var lines = run.StdoutLines;
        Assert.True(lines.Length > 0, run.ToString());
        using var doc = JsonDocument.Parse(lines[^1]);
        return doc.RootElement.Clone();
    }

    public static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative difference {Math.Abs(expected - actual) / Math.Abs(expected):E2}, tolerance {tolerance:E0})");
}

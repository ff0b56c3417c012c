using System.Globalization;
using System.Text;
using NtkCluster.Coordinator.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>What one in-process <c>ntk</c> run returned and printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stderr split into lines, without the trailing empty line after the final newline.</summary>
    public string[] StderrLines => Lines(Stderr);

    public string[] StdoutLines => Lines(Stdout);

    public static string[] Lines(string text)
    {
        string trimmed = text.Replace("\r\n", "\n").TrimEnd('\n');
        return trimmed.Length == 0 ? [] : trimmed.Split('\n');
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the command line in-process, with its output captured.</summary>
internal static class Ntk
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        int code = await NtkCli.RunAsync(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A fresh directory under the system temp path, deleted with everything in it when disposed.</summary>
internal sealed class CliTempDirectory : IDisposable
{
    public string Path { get; } =
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ntk-cli-tests-" + Guid.NewGuid().ToString("N"));

    public CliTempDirectory() => Directory.CreateDirectory(Path);

    /// <summary>Writes <paramref name="contents"/> verbatim (no newline translation) and returns the file's path.</summary>
    public string Write(string name, string contents)
    {
        string path = PathOf(name);
        File.WriteAllText(path, contents, new UTF8Encoding(false));
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of all files in the directory, hidden ones included, sorted.</summary>
    public string[] FileNames() =>
        Directory.GetFiles(Path, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Small deterministic regression data sets as CSV text.</summary>
internal static class TestData
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="n"/> rows of d features uniform in [-2, 2) and y = sin(x1) + x2·x3 + 0.1·noise, in memory,
    /// from <c>new Random(seed)</c>: the data set of the in-process fit and training tests.
    /// </summary>
    public static NtkCluster.Numerics.Data.Dataset Regression(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, d, (_, _) => 4 * rng.NextDouble() - 2);
        var y = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, 1, (i, _) => Math.Sin(x[i, 0]) + x[i, 1] * x[i, 2] + 0.1 * (rng.NextDouble() - 0.5));
        return new NtkCluster.Numerics.Data.Dataset(Enumerable.Range(1, d).Select(j => $"x{j}").ToArray(), x, ["y"], y);
    }

    /// <summary>
    /// <paramref name="rows"/> rows of x1,x2,x3 uniform in [-2, 2) and y = sin(x1) + x2² + 0.1·noise
    /// (plus y2 = cos(x3) − x1·x2 + 0.1·noise when <paramref name="twoTargets"/>), from <c>new Random(seed)</c>.
    /// </summary>
    public static string Csv(int rows, int seed = 1, bool twoTargets = false)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(twoTargets ? "x1,x2,x3,y1,y2\n" : "x1,x2,x3,y\n");
        for (int i = 0; i < rows; i++)
        {
            double x1 = 4 * rng.NextDouble() - 2, x2 = 4 * rng.NextDouble() - 2, x3 = 4 * rng.NextDouble() - 2;
            double y = Math.Sin(x1) + x2 * x2 + 0.1 * (rng.NextDouble() - 0.5);
            sb.Append(R(x1)).Append(',').Append(R(x2)).Append(',').Append(R(x3)).Append(',').Append(R(y));
            if (twoTargets) sb.Append(',').Append(R(Math.Cos(x3) - x1 * x2 + 0.1 * (rng.NextDouble() - 0.5)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A simple CSV parse (no quoting) for checking the program's output: header and rows of doubles.</summary>
    public static (string[] Header, double[][] Rows) Parse(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1)
            .Select(l => l.Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return (header, rows);
    }

    /// <summary>Rewrites a CSV with its columns in the given order (by name).</summary>
    public static string Permute(string path, params string[] order)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        int[] index = order.Select(name => Array.IndexOf(header, name)).ToArray();
        Assert.DoesNotContain(-1, index);
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            var cells = line.Split(',');
            sb.Append(string.Join(",", index.Select(i => cells[i]))).Append('\n');
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// <c>ntk report --task classify</c> (issue 16): the classifier's confusion matrix is written as
/// <c>confusion-matrix.csv</c>, listed in the report's marker, and shown in report.md and report.html with per-class
/// precision, recall and F1 under readable headers — the very matrix <c>ntk fit --task classify</c> reports for the
/// same rows and settings.
/// </summary>
public sealed class ReportClassifyTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three text classes by the first feature, one with a comma in its name.</summary>
    private string LabelledCsv(int rows)
    {
        var lines = TestData.Csv(rows, seed: 11).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var sb = new StringBuilder("x1,x2,x3,kind\n");
        foreach (string line in lines.Skip(1))
        {
            var cells = line.Split(',');
            double x1 = double.Parse(cells[0], CultureInfo.InvariantCulture);
            string kind = x1 < -0.7 ? "cat" : x1 < 0.7 ? "\"dog, big\"" : "eel";
            sb.Append(cells[0]).Append(',').Append(cells[1]).Append(',').Append(cells[2]).Append(',').Append(kind).Append('\n');
        }
        return _dir.Write("kinds.csv", sb.ToString());
    }

    [Fact]
    public async Task A_classification_report_writes_the_classifiers_confusion_matrix_csv_and_its_readable_table()
    {
        string train = LabelledCsv(120);
        string outDir = _dir.PathOf("report");
        var run = await Ntk.RunAsync("report", "--train", train, "--out", outDir, "--task", "classify", "--test-fraction", "0.25", "--standardize",
            "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "4,16", "--repeats", "1", "--pool", "400", "--widths", "8", "--steps", "12",
            "--workers", "2", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var csv = File.ReadAllLines(Path.Combine(outDir, "confusion-matrix.csv"));
        Assert.Equal("true,cat,\"dog, big\",eel,precision,recall,f1,support", csv[0]);
        Assert.Equal(["cat", "\"dog, big\"", "eel"], csv.Skip(1).Select(l => l[..(l.StartsWith('"') ? l.IndexOf("\",", StringComparison.Ordinal) + 1 : l.IndexOf(','))]));
        long[][] counts = csv.Skip(1).Select(l => l.Replace("\"dog, big\"", "dog", StringComparison.Ordinal).Split(',').Skip(1).Take(3)
            .Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(30, counts.Sum(r => r.Sum())); // the 30 test rows
        Assert.Contains("confusion-matrix.csv", File.ReadAllLines(Path.Combine(outDir, ".ntk-report")));

        // The same matrix as ntk fit --task classify on the same rows, split and settings.
        var fit = await Ntk.RunAsync("fit", "--train", train, "--task", "classify", "--test-fraction", "0.25", "--standardize", "--kernel", "rbf:gamma=0.5",
            "--lambda", "0.1", "--features", "16", "--seed", "0", "--json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        using var json = JsonDocument.Parse(fit.StdoutLines[^1]);
        var metrics = json.RootElement.GetProperty("test_metrics");
        var expected = metrics.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(expected, counts);
        var f1 = metrics.GetProperty("f1").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(f1, csv.Skip(1).Select(l => double.Parse(l.Split(',')[^2], CultureInfo.InvariantCulture)));

        // People read the table with headers in words, in both documents.
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        string header = md.Split('\n').Single(l => l.StartsWith("| true class |", StringComparison.Ordinal));
        Assert.Equal("| true class | predicted cat | predicted dog, big | predicted eel | precision | recall | F1 | support |", header);
        Assert.Contains("## Confusion matrix of the classifier", md);
        Assert.Contains("(also in `confusion-matrix.csv`)", md);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<th>true class</th><th>predicted cat</th><th>predicted dog, big</th>", html);
        Assert.Contains("<th scope=\"row\">eel</th>", html);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("The one-vs-rest ridge classifier (M = 16) reaches test accuracy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_classification_report_of_a_partitioned_dataset_is_refused_with_one_line_and_writes_nothing()
    {
        string parts = _dir.PathOf("parts");
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(parts, "part-00000.csv"), TestData.Csv(20, seed: 1));
        var run = await Ntk.RunAsync("report", "--train", parts, "--out", _dir.PathOf("r"), "--task", "classify");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'ntk report --task classify' takes a single --train file", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(_dir.PathOf("r")));
    }
}

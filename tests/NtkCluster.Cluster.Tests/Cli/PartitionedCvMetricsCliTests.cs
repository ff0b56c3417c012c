using System.Text.Json;
using NtkCluster.Cluster.Tests.Determinism;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk cv</c> on a partitioned <c>--train</c> reports what the in-memory cv reports (issue 16): for regression the
/// chosen point's R² against the predict-the-mean MSE of all the cross-validated rows, for classification the held-out
/// rows of all folds pooled into a confusion matrix with per-class precision, recall, F1 and macro-F1 — text and JSON.
/// </summary>
public sealed class PartitionedCvMetricsCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Partitioned_regression_cv_reports_r2_against_the_predict_the_mean_mse_of_its_rows()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 7, 200, 150);
        var run = await Ntk.RunAsync("cv", "--train", train, "--kernel", "rbf", "--gamma", "0.5", "--lambda", "1e-3,0.1", "--folds", "3",
            "--features", "40", "--json", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        // The baseline is the population variance of y over the 350 rows, as the in-memory cv takes it.
        var y = new[] { "part-00000.csv", "part-00001.csv" }.SelectMany(p => TestData.Parse(Path.Combine(train, p)).Rows).Select(r => r[^1]).ToArray();
        double mean = y.Average(), baseline = y.Sum(v => (v - mean) * (v - mean)) / y.Length;
        using var json = JsonDocument.Parse(run.StdoutLines[^1]);
        var root = json.RootElement;
        Assert.Equal(baseline, root.GetProperty("train_baseline_mse").GetDouble(), 1e-12);
        double chosen = root.GetProperty("chosen").GetProperty("mean").GetDouble();
        Assert.Equal(1 - chosen / baseline, root.GetProperty("chosen_r2").GetDouble(), 1e-12);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("chosen: kernel", StringComparison.Ordinal) && l.Contains(", R² ") &&
                                              l.Contains("against the predict-the-mean MSE"));
    }

    [Fact]
    public async Task Partitioned_classification_cv_pools_its_folds_into_a_confusion_matrix_with_per_class_metrics()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var run = await Ntk.RunAsync("cv", "--train", train, "--task", "classify", "--kernel", "rbf", "--gamma", "0.02", "--lambda", "0.01,1",
            "--folds", "3", "--standardize", "--json", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("chosen point, held-out rows of all 3 folds pooled: confusion matrix", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("macro-F1 ", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(run.StdoutLines[^1]);
        var metrics = json.RootElement.GetProperty("cv_metrics");
        var confusion = metrics.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(10, confusion.Length);
        // Every row held out once; the diagonal over the rows is the chosen point's pooled accuracy.
        Assert.Equal(300, confusion.Sum(r => r.Sum()));
        var scores = json.RootElement.GetProperty("chosen").GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(Enumerable.Range(0, 10).Sum(c => confusion[c][c]) / 300.0, scores.Min() - 1e-9, scores.Max() + 1e-9);
        Assert.Equal(10, metrics.GetProperty("f1").GetArrayLength());
        Assert.InRange(metrics.GetProperty("macro_f1").GetDouble(), 0.3, 1.0);
    }
}

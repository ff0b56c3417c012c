using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Validation;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Classification;

/// <summary>
/// One-vs-rest classification and cross-validation against scikit-learn
/// (tests/NtkCluster.Numerics.Tests/Fixtures/classify/make_classify_fixtures.py): KernelRidge on ±1 one-hot targets,
/// arg-max predictions, and KFold grid means on the same fold assignment (read from the fixture's fold files).
/// </summary>
public sealed class ClassificationFixtureTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "classify", name);

    private static double[] Column(string path, string name)
    {
        var (header, rows) = TestData.Parse(path);
        int c = Array.IndexOf(header, name);
        Assert.True(c >= 0, $"{path} has no column {name}");
        return rows.Select(r => r[c]).ToArray();
    }

    [Fact]
    public async Task Fit_and_predict_give_scikit_learns_labels_and_accuracy_on_digits()
    {
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("predictions.csv");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("digits-train.csv"), "--test", Fixture("digits-test.csv"), "--task", "classify",
            "--kernel", "rbf:gamma=0.001", "--lambda", "0.1", "--solver", "exact", "--model", model, "--workers", "2", "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("digits-test.csv"), "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());

        double[] expected = Column(Fixture("expected-digits-rbf.csv"), "digit");
        double[] actual = Column(predictions, "digit");
        Assert.Equal(expected, actual);

        double[] truth = Column(Fixture("digits-test.csv"), "digit");
        double sklearnAccuracy = expected.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        using var json = JsonDocument.Parse(fit.StdoutLines[^1]);
        var root = json.RootElement;
        Assert.Equal("classify", root.GetProperty("task").GetString());
        Assert.Equal(sklearnAccuracy, root.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), root.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()));
        double trainAccuracy = root.GetProperty("train_accuracy").GetDouble();
        Assert.InRange(trainAccuracy, 0.99, 1.0); // λ = 0.1 on 300 rows nearly interpolates
        Assert.Contains(fit.StdoutLines, l => l.StartsWith("train accuracy ", StringComparison.Ordinal) && l.Contains("test accuracy", StringComparison.Ordinal));
    }

    private static (string[] Kernels, double[] Lambdas, double[] Means, double[] Sds) ExpectedGrid(string file, string kernel)
    {
        var (_, rows) = TestData.Parse(Fixture(file));
        return (rows.Select(r => $"{kernel}:gamma={r[0].ToString("R", CultureInfo.InvariantCulture)}").ToArray(),
            rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray(), rows.Select(r => r[3]).ToArray());
    }

    private static async Task<CrossValidationResult> RunAsync(Dataset train, (ClassLabels, Matrix<double>)? classes, string foldFile,
        (string[] Kernels, double[] Lambdas, double[] Means, double[] Sds) expected)
    {
        int[] folds = Column(Fixture(foldFile), "fold").Select(f => (int)f).ToArray();
        var grid = expected.Kernels.Zip(expected.Lambdas, (k, l) => new GridPoint(NtkCluster.Numerics.Kernels.KernelSpec.Parse(k).Spec, l)).ToArray();
        await using var cluster = await LocalCluster.StartAsync(2);
        return await new CrossValidator(cluster).RunAsync(train, classes, folds, grid,
            new FitSettings { KernelSpec = grid[0].KernelSpec, Lambda = grid[0].Lambda, Exact = true });
    }

    [Fact]
    public async Task Cross_validated_accuracies_and_choice_match_scikit_learn_on_the_same_folds()
    {
        var labelled = Dataset.FromTable(CsvTable.Read(Fixture("digits-train.csv")), null);
        var classes = ClassLabels.FromTraining("digit", labelled.Y);
        var expected = ExpectedGrid("expected-cv-digits.csv", "rbf");
        var result = await RunAsync(ClassificationData.Encode(labelled, classes), (classes, labelled.Y), "digits-cv-folds.csv", expected);

        Assert.Equal("accuracy", result.Metric);
        Assert.Equal(3, result.Folds);
        for (int g = 0; g < expected.Means.Length; g++)
        {
            // Accuracies are counts over the same held-out rows: equal, not close, unless an arg-max differs.
            Assert.True(Math.Abs(expected.Means[g] - result.Points[g].Mean) < 1e-12, $"{result.Points[g].Point}: sklearn {expected.Means[g]}, ours {result.Points[g].Mean}");
            Assert.True(Math.Abs(expected.Sds[g] - result.Points[g].Sd) < 1e-12, $"{result.Points[g].Point}: sklearn sd {expected.Sds[g]}, ours {result.Points[g].Sd}");
        }
        int best = Enumerable.Range(0, expected.Means.Length).Aggregate((b, i) => expected.Means[i] > expected.Means[b] ? i : b);
        Assert.Equal(NtkCluster.Numerics.Kernels.KernelSpec.Parse(expected.Kernels[best]).Spec, result.Chosen.Point.KernelSpec);
        Assert.Equal(expected.Lambdas[best], result.Chosen.Point.Lambda);
    }

    [Fact]
    public async Task Cross_validated_regression_errors_and_choice_match_scikit_learn_on_the_same_folds()
    {
        var train = Dataset.FromTable(CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "letters-train.csv")), null);
        var expected = ExpectedGrid("expected-cv-letters.csv", "rbf");
        var result = await RunAsync(train, null, "letters-cv-folds.csv", expected);

        Assert.Equal("mse", result.Metric);
        for (int g = 0; g < expected.Means.Length; g++)
        {
            double rel = Math.Abs(expected.Means[g] - result.Points[g].Mean) / expected.Means[g];
            Assert.True(rel < 1e-8, $"{result.Points[g].Point}: sklearn {expected.Means[g]}, ours {result.Points[g].Mean}");
            Assert.True(Math.Abs(expected.Sds[g] - result.Points[g].Sd) < 1e-6 * expected.Means[g], $"sd {expected.Sds[g]} vs {result.Points[g].Sd}");
        }
        int best = Enumerable.Range(0, expected.Means.Length).Aggregate((b, i) => expected.Means[i] < expected.Means[b] ? i : b);
        Assert.Equal(NtkCluster.Numerics.Kernels.KernelSpec.Parse(expected.Kernels[best]).Spec, result.Chosen.Point.KernelSpec);
        Assert.Equal(expected.Lambdas[best], result.Chosen.Point.Lambda);
    }
}

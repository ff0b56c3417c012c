using System.Text.Json;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Validation;
using NtkCluster.Fit;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk cv --train DIR</c> through the real command line: the grid's scores are the library's partitioned
/// cross-validation bitwise, for any number of workers, the refit is the partitioned fit of the chosen point, and what
/// classification, exact KRR and leverage sampling (one fit per fold) give the library's scores too.
/// </summary>
public sealed class PartitionedCrossValidationCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Cv(string train, string model, params string[] extra) =>
        Ntk.RunAsync(["cv", "--train", train, "--kernel", "rbf", "--gamma", "0.5,2", "--lambda", "0.01,0.3", "--seed", "4",
            "--folds", "3", "--cv-seed", "5", "--standardize", "--model", model, "--json", .. extra]);

    [Fact]
    public async Task A_directory_is_cross_validated_per_partition_bitwise_as_the_library_does_and_refitted()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 900, 600, 1100);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 9, 400);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.01, Features = 40, Seed = 4, Standardize = true };
        var grid = new[] { new GridPoint("rbf:gamma=0.5", 0.01), new GridPoint("rbf:gamma=0.5", 0.3), new GridPoint("rbf:gamma=2", 0.01), new GridPoint("rbf:gamma=2", 0.3) };
        var library = PartitionedCrossValidation.ResultOf(grid, await PartitionedCrossValidationTests.InProcessAsync(
            PartitionedCrossValidationTests.Submission(train, settings, 3, 5, ["rbf:gamma=0.5", "rbf:gamma=2"], [0.01, 0.3])));
        var chosen = library.Chosen.Point;
        var refit = await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, test,
            settings with { KernelSpec = chosen.KernelSpec, Lambda = chosen.Lambda }));

        foreach (string workers in new[] { "1", "3" })
        {
            string model = _dir.PathOf($"model-{workers}.json");
            var run = await Cv(train, model, "--features", "40", "--test", test, "--workers", workers);
            Assert.True(run.ExitCode == 0, run.ToString());
            using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
            var json = doc.RootElement;
            var points = json.GetProperty("grid").EnumerateArray().ToArray();
            Assert.Equal(4, points.Length);
            for (int g = 0; g < 4; g++)
            {
                Assert.Equal(library.Points[g].Point.KernelSpec, points[g].GetProperty("kernel").GetString());
                Assert.Equal(library.Points[g].FoldScores, points[g].GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()));
            }
            Assert.Equal(chosen.Lambda, json.GetProperty("chosen").GetProperty("lambda").GetDouble());
            Assert.Equal("row-hash", json.GetProperty("fold_assignment").GetString());
            Assert.Equal(refit.TestMse!.Value, json.GetProperty("refit").GetProperty("test_mse").GetDouble());
            Assert.Equal(PartitionedFitTests.ModelBytes(refit.Model), File.ReadAllBytes(model));
            Assert.Contains(run.StdoutLines, l => l.StartsWith($"3-fold cross-validation on 2600 training rows (folds by row hash from seed 5)", StringComparison.Ordinal));
            Assert.Contains(run.StderrLines, l => l.StartsWith("ntk cv: note: on a partitioned dataset the preprocessing statistics", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_directory_is_cross_validated_as_a_classifier_with_accuracies_and_refitted_as_ntk_fit_classifies_it()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var settings = PartitionedClassifyTests.Features;
        var submission = PartitionedCrossValidationTests.Submission(train, settings, 3, 5, ["rbf:gamma=0.02"], [0.01, 1]);
        var library = await PartitionedCrossValidationTests.InProcessAsync(submission with { Columns = submission.Columns with { Classify = true } });
        string model = _dir.PathOf("classifier.json");
        var run = await Ntk.RunAsync(["cv", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=0.02", "--lambda", "0.01,1",
            "--features", "100", "--seed", "6", "--folds", "3", "--cv-seed", "5", "--standardize", "--model", model, "--json", "--workers", "2"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        var json = doc.RootElement;
        Assert.Equal("classify", json.GetProperty("task").GetString());
        Assert.Equal("accuracy", json.GetProperty("metric").GetString());
        Assert.Equal(Enumerable.Range(0, 10).Select(l => (long)l), json.GetProperty("classes").EnumerateArray().Select(c => c.GetInt64()));
        var points = json.GetProperty("grid").EnumerateArray().ToArray();
        for (int g = 0; g < 2; g++) Assert.Equal(library.Scores[g], points[g].GetProperty("scores").EnumerateArray().Select(v => v.GetDouble()));
        // The higher mean accuracy is chosen, and refitted as ntk fit --task classify --train DIR fits it.
        int best = library.Scores[1].Average() > library.Scores[0].Average() ? 1 : 0;
        Assert.Equal(best == 0 ? 0.01 : 1, json.GetProperty("chosen").GetProperty("lambda").GetDouble());
        var refit = await PartitionedFitTests.InProcessAsync(PartitionedClassifyTests.Classify(train, null, settings with { Lambda = best == 0 ? 0.01 : 1 }));
        Assert.Equal(refit.Classification!.Train.Accuracy, json.GetProperty("refit").GetProperty("train_accuracy").GetDouble());
        Assert.Equal(PartitionedFitTests.ModelBytes(refit.Model), File.ReadAllBytes(model));
        Assert.Contains(run.StdoutLines, l => l.Contains("score: held-out accuracy (higher is better)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("leverage")]
    public async Task Exact_and_leverage_cross_validation_of_a_directory_give_the_librarys_scores(string mode)
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 200, 200);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.01, Features = 40, Seed = 4, Standardize = true };
        settings = mode == "exact" ? settings with { Exact = true, Features = 0 } : settings with { Sampling = FeatureSampling.Leverage };
        var library = await PartitionedCrossValidationTests.InProcessAsync(
            PartitionedCrossValidationTests.Submission(train, settings, 3, 5, ["rbf:gamma=0.5", "rbf:gamma=2"], [0.01, 0.3]));
        string model = _dir.PathOf("model.json");
        var run = await Cv(train, model, mode == "exact" ? ["--solver", "exact"] : ["--features", "40", "--sampling", "leverage"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        var points = doc.RootElement.GetProperty("grid").EnumerateArray().ToArray();
        for (int g = 0; g < 4; g++) Assert.Equal(library.Scores[g], points[g].GetProperty("scores").EnumerateArray().Select(v => v.GetDouble()));
        Assert.True(File.Exists(model));
        Assert.DoesNotContain(run.StderrLines, l => l.Contains("preprocessing statistics come from all", StringComparison.Ordinal));
    }
}

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
/// cannot run per partition is refused with one line, exit code 2 and no model written.
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

    public static TheoryData<string> Refused => new() { "exact", "leverage", "classify" };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task What_cannot_run_per_partition_is_one_line_with_exit_code_2_and_no_model(string bad)
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 200, 200);
        var (extra, expected) = bad switch
        {
            "exact" => ((string[])["--solver", "exact"], "a partitioned dataset (a directory or glob) is cross-validated with random features only: use --solver features --features M; give a single file to load it whole"),
            "leverage" => (["--features", "40", "--sampling", "leverage"], "a partitioned dataset (a directory or glob) is cross-validated with plain random features only: use --sampling plain; give a single file to load it whole"),
            _ => (["--features", "40", "--task", "classify"], "--task classify cannot be cross-validated on a partitioned dataset (a directory or glob) yet; give a single file to load it whole"),
        };
        string model = _dir.PathOf("model.json");
        var run = await Cv(train, model, extra);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"ntk cv: error: {expected}", Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal)));
        Assert.Empty(run.Stdout);
        Assert.False(File.Exists(model));
    }
}

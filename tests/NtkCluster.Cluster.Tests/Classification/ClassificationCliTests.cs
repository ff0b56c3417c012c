using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Classification;

/// <summary><c>ntk fit --task classify</c>, <c>ntk predict</c> on a classifier and <c>ntk cv</c>: output, JSON and errors.</summary>
public sealed class ClassificationCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three well separated blobs in 2-d labelled 1, 4 and 9 (<paramref name="extraLabel"/> adds rows of another class).</summary>
    private static string Blobs(int perClass, int seed, int? extraLabel = null)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("x1,x2,label\n");
        (double X, double Y, int Label)[] centres = [(0, 0, 1), (4, 0, 4), (0, 4, 9)];
        if (extraLabel is int e) centres = [.. centres, (4, 4, e)];
        for (int i = 0; i < perClass; i++)
        {
            foreach (var (cx, cy, label) in centres)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"{cx + rng.NextDouble() - 0.5:R},{cy + rng.NextDouble() - 0.5:R},{label}\n"));
        }
        return sb.ToString();
    }

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    private static void AssertBadInput(CliRun run, string expected)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains(expected, run.Stderr);
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("features")]
    public async Task A_classifier_fits_reports_accuracy_and_predicts_labels_in_a_column_named_like_the_label(string solver)
    {
        string train = _dir.Write("train.csv", Blobs(20, 1)), test = _dir.Write("test.csv", Blobs(10, 2));
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("p.csv");
        string[] solverArgs = solver == "exact" ? ["--solver", "exact"] : ["--features", "100", "--sampling", "leverage"];
        var fit = await Ntk.RunAsync(["fit", "--train", train, "--test", test, "--task", "classify", "--kernel", "rbf:gamma=0.5", "--lambda", "0.01",
            "--standardize", .. solverArgs, "--model", model, "--workers", "2", "--json"]);
        var json = Json(fit);
        Assert.Equal(1.0, json.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(1.0, json.GetProperty("train_accuracy").GetDouble());
        Assert.Equal(new long[] { 1, 4, 9 }, json.GetProperty("classes").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(0, json.GetProperty("test_unseen").GetInt32());

        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var (header, rows) = TestData.Parse(predictions);
        Assert.Equal(new[] { "label" }, header);
        var (_, truth) = TestData.Parse(test);
        Assert.Equal(truth.Select(r => r[2]), rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Test_labels_never_seen_in_training_are_errors_with_a_notice()
    {
        string train = _dir.Write("train.csv", Blobs(15, 1)), test = _dir.Write("test.csv", Blobs(5, 2, extraLabel: 7));
        var fit = await Ntk.RunAsync("fit", "--train", train, "--test", test, "--task", "classify", "--kernel", "rbf:gamma=0.5", "--lambda", "0.01",
            "--workers", "2", "--json");
        var json = Json(fit);
        Assert.Equal(5, json.GetProperty("test_unseen").GetInt32());
        Assert.Equal(15.0 / 20.0, json.GetProperty("test_accuracy").GetDouble()); // the 15 seen rows right, the 5 unseen wrong
        Assert.Contains("5 test row(s) have labels not seen in training (7)", fit.Stderr);
    }

    [Fact]
    public async Task A_label_that_is_not_an_integer_is_refused_naming_file_line_and_column()
    {
        string train = _dir.Write("train.csv", "x1,x2,label\n0,1,0\n1,0,1\n2,2,1.5\n3,1,0\n");
        var run = await Ntk.RunAsync("fit", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=0.5", "--lambda", "0.1");
        AssertBadInput(run, $"{train}:4:3: label column 'label': 1.5 is not an integer class label");
    }

    [Theory]
    [InlineData("--scale-target", "--scale-target does not apply to --task classify")]
    [InlineData("--target", "unknown --task")]
    public async Task Options_that_do_not_fit_classification_are_refused(string option, string message)
    {
        string train = _dir.Write("train.csv", Blobs(5, 1));
        string[] extra = option == "--target" ? ["--task", "cluster"] : ["--task", "classify", option];
        var run = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", .. extra]);
        AssertBadInput(run, message);
        var two = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--task", "classify", "--target", "x2,label");
        AssertBadInput(two, "--task classify takes one label column");
    }

    [Fact]
    public async Task Cv_reports_every_grid_point_and_a_chosen_one_and_refits_it()
    {
        string train = _dir.Write("train.csv", Blobs(12, 3)), test = _dir.Write("test.csv", Blobs(4, 4));
        string model = _dir.PathOf("cv-model.json");
        var run = await Ntk.RunAsync("cv", "--train", train, "--test", test, "--task", "classify", "--kernel", "rbf", "--gamma", "0.1,1",
            "--lambda", "1e-3..10:3", "--folds", "3", "--model", model, "--workers", "2", "--json");
        var json = Json(run);
        var grid = json.GetProperty("grid").EnumerateArray().ToArray();
        Assert.Equal(6, grid.Length);
        Assert.Equal(new[] { "rbf:gamma=0.1", "rbf:gamma=0.1", "rbf:gamma=0.1", "rbf:gamma=1", "rbf:gamma=1", "rbf:gamma=1" },
            grid.Select(p => p.GetProperty("kernel").GetString()));
        Assert.Equal(new[] { 0.001, 0.1, 10.0, 0.001, 0.1, 10.0 }, grid.Select(p => p.GetProperty("lambda").GetDouble()));
        foreach (var p in grid)
        {
            var scores = p.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(3, scores.Length);
            Assert.Equal(scores.Average(), p.GetProperty("mean").GetDouble(), 12);
        }
        var chosen = json.GetProperty("chosen");
        double best = grid.Max(p => p.GetProperty("mean").GetDouble());
        Assert.Equal(best, chosen.GetProperty("mean").GetDouble());
        var first = grid.First(p => p.GetProperty("mean").GetDouble() == best);
        Assert.Equal(first.GetProperty("kernel").GetString(), chosen.GetProperty("kernel").GetString());
        Assert.Equal(first.GetProperty("lambda").GetDouble(), chosen.GetProperty("lambda").GetDouble());
        Assert.Equal(1.0, json.GetProperty("refit").GetProperty("test_accuracy").GetDouble());
        Assert.True(File.Exists(model));
        Assert.Contains(run.StdoutLines, l => l.EndsWith("<- chosen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cv_with_the_same_seed_gives_the_same_scores_and_regression_scores_are_test_mse()
    {
        string train = _dir.Write("train.csv", TestData.Csv(40, seed: 5));
        string[] args = ["cv", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.01,0.1", "--folds", "4", "--cv-seed", "3", "--json", "--workers", "2"];
        var a = Json(await Ntk.RunAsync(args));
        var b = Json(await Ntk.RunAsync(args));
        Assert.Equal("mse", a.GetProperty("metric").GetString());
        Assert.Equal(a.GetProperty("grid").GetRawText(), b.GetProperty("grid").GetRawText());
        Assert.All(a.GetProperty("grid").EnumerateArray(), p => Assert.True(p.GetProperty("mean").GetDouble() > 0));
        var chosen = a.GetProperty("chosen");
        double min = a.GetProperty("grid").EnumerateArray().Min(p => p.GetProperty("mean").GetDouble());
        Assert.Equal(min, chosen.GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task Cv_of_random_features_runs_one_fit_per_fold_and_lambda()
    {
        string train = _dir.Write("train.csv", TestData.Csv(40, seed: 6));
        var json = Json(await Ntk.RunAsync("cv", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.01,1", "--features", "30",
            "--folds", "3", "--standardize", "--json", "--workers", "2"));
        Assert.Equal("features", json.GetProperty("solver").GetString());
        var means = json.GetProperty("grid").EnumerateArray().Select(p => p.GetProperty("mean").GetDouble()).ToArray();
        Assert.Equal(2, means.Length);
        Assert.NotEqual(means[0], means[1]);
        Assert.All(means, m => Assert.InRange(m, 1e-6, 10));
    }

    [Theory]
    [InlineData(new[] { "--kernel", "rbf:gamma=0.1", "--gamma", "0.1,1", "--lambda", "0.1" }, "give gamma either in --kernel")]
    [InlineData(new[] { "--kernel", "rbf", "--lambda", "0.1" }, "--kernel rbf needs --gamma GRID")]
    [InlineData(new[] { "--kernel", "ntk", "--gamma", "1", "--lambda", "0.1" }, "--gamma goes with --kernel rbf or laplace")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "1..0.1:3" }, "a range goes from the smaller value to the larger")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "1e-3..1:x" }, "the number of values after ':'")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "0.1,abc" }, "'abc' is not a number")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "0.1,-1" }, "-1 is not > 0")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "0.1,0.1" }, "0.1 is given twice")]
    [InlineData(new[] { "--kernel", "ntk", "--lambda", "0.1", "--folds", "1" }, "--folds must be between 2 and 100")]
    public async Task Cv_grid_mistakes_are_one_line_usage_errors(string[] options, string message)
    {
        string train = _dir.Write("train.csv", TestData.Csv(20));
        AssertBadInput(await Ntk.RunAsync(["cv", "--train", train, .. options]), message);
    }

    [Fact]
    public void A_log_range_gives_round_values_from_A_to_B()
    {
        Assert.Equal(new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1, 10 }, GridValues.Parse("lambda", "1e-4..1e1:6"));
        Assert.Equal(new[] { 0.5, 2.0, 3 }, GridValues.Parse("lambda", " 0.5, 2.0 ,3"));
    }
}

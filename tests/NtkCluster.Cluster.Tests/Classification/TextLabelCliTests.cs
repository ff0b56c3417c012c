using System.Globalization;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Classification;

/// <summary>
/// Text class labels, the confusion matrix and per-class metrics, <c>predict --scores</c> and <c>--stratify</c> end to
/// end, against scikit-learn (tests/NtkCluster.Numerics.Tests/Fixtures/text-labels/make_text_label_fixtures.py).
/// </summary>
public sealed class TextLabelCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "text-labels", name);

    private static readonly string[] Species = ["Versicolor", "setosa", "virginica, tall"];

    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        int i = 0;
        while (i <= line.Length)
        {
            if (i < line.Length && line[i] == '"')
            {
                int close = line.IndexOf('"', i + 1);
                fields.Add(line[(i + 1)..close]);
                i = close + 2;
            }
            else
            {
                int comma = line.IndexOf(',', i);
                if (comma < 0) comma = line.Length;
                fields.Add(line[i..comma]);
                i = comma + 1;
            }
        }
        return [.. fields];
    }

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    private static void AssertBadInput(CliRun run, string expected, params string[] notWritten)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains(expected, run.Stderr);
        foreach (string path in notWritten) Assert.False(File.Exists(path), $"{path} was written");
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Text_labels_fit_predict_and_score_as_scikit_learn_does()
    {
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("p.csv");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("iris-train.csv"), "--test", Fixture("iris-test.csv"), "--task", "classify",
            "--kernel", "rbf:gamma=0.2", "--lambda", "1", "--solver", "exact", "--model", model, "--workers", "2", "--json");
        var json = Json(fit);
        Assert.Equal(Species, json.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.82, json.GetProperty("test_accuracy").GetDouble(), 15);
        Assert.Contains("task classify: 3 text classes in 'species' (Versicolor, setosa, virginica, tall)", fit.Stdout);

        // The confusion matrix and per-class metrics: scikit-learn's on the same predictions.
        var metrics = json.GetProperty("test_metrics");
        var confusion = File.ReadAllLines(Fixture("expected-confusion.csv")).Skip(1).Select(l => Fields(l).Skip(1).Select(long.Parse).ToArray()).ToArray();
        Assert.Equal(confusion, metrics.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray());
        var perClass = File.ReadAllLines(Fixture("expected-per-class.csv")).Skip(1).Select(Fields).ToArray();
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(D(perClass[k][1]), metrics.GetProperty("precision")[k].GetDouble(), 15);
            Assert.Equal(D(perClass[k][2]), metrics.GetProperty("recall")[k].GetDouble(), 15);
            Assert.Equal(D(perClass[k][3]), metrics.GetProperty("f1")[k].GetDouble(), 15);
        }
        Assert.Equal(D(perClass[3][3]), metrics.GetProperty("macro_f1").GetDouble(), 15);
        // ... and as the text table on stdout.
        Assert.Contains("test rows: confusion matrix (rows: true class, columns: predicted class)", fit.Stdout);
        Assert.Contains(fit.StdoutLines, l => l.StartsWith("Versicolor ", StringComparison.Ordinal)
            && l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..4].SequenceEqual(["13", "1", "3"]));
        Assert.Contains("macro-F1 0.8159", fit.Stdout);

        // Predictions are written as the labels were, with every class's score under its name.
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("iris-test.csv"), "--out", predictions, "--scores");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var expected = File.ReadAllLines(Fixture("expected-iris-rbf.csv"));
        var actual = File.ReadAllLines(predictions);
        Assert.Equal(expected[0], actual[0]); // species,Versicolor,setosa,"virginica, tall"
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 1; i < expected.Length; i++)
        {
            string[] e = Fields(expected[i]), a = Fields(actual[i]);
            Assert.Equal(e[0], a[0]);
            for (int k = 1; k <= 3; k++) Assert.Equal(D(e[k]), D(a[k]), 1e-9);
        }
        var plain = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("iris-test.csv"));
        Assert.Equal(expected.Select(l => l.StartsWith('"') ? l[..(l.IndexOf("\",", 1, StringComparison.Ordinal) + 1)] : l.Split(',')[0]),
            plain.StdoutLines.Take(expected.Length));
    }

    [Fact]
    public async Task Unseen_text_test_labels_are_errors_named_in_a_notice()
    {
        string train = _dir.Write("train.csv", "x,kind\n0,car\n0.1,car\n1,van\n1.1,van\n");
        string test = _dir.Write("test.csv", "x,kind\n0,car\n1,tram\n1,boat\n");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--test", test, "--task", "classify", "--kernel", "rbf:gamma=1", "--lambda", "0.01", "--json");
        var json = Json(fit);
        Assert.Equal(2, json.GetProperty("test_unseen").GetInt32());
        Assert.Equal(1.0 / 3, json.GetProperty("test_accuracy").GetDouble(), 15);
        Assert.Contains("2 test row(s) have labels not seen in training (boat, tram); they count as errors", fit.Stderr);
    }

    [Fact]
    public async Task Stratified_cv_has_the_per_class_fold_counts_and_reports_pooled_metrics()
    {
        var run = await Ntk.RunAsync("cv", "--train", Fixture("iris-train.csv"), "--task", "classify", "--stratify", "--folds", "4", "--cv-seed", "3",
            "--kernel", "rbf", "--gamma", "0.2,2", "--lambda", "0.1,1", "--workers", "2", "--json");
        var json = Json(run);
        Assert.True(json.GetProperty("stratified").GetBoolean());
        var pooled = json.GetProperty("cv_metrics");
        // Pooled over the folds, every training row is held out exactly once: the supports are the class sizes.
        Assert.Equal(new long[] { 33, 33, 34 }, pooled.GetProperty("support").EnumerateArray().Select(e => e.GetInt64()));
        // The pooled accuracy is the mean fold accuracy weighted by fold size; with equal folds (25 rows each) the plain mean.
        long correct = Enumerable.Range(0, 3).Sum(k => pooled.GetProperty("confusion")[k][k].GetInt64());
        Assert.Equal(json.GetProperty("chosen").GetProperty("mean").GetDouble(), correct / 100.0, 12);
        Assert.Contains("chosen point, held-out rows of all 4 folds pooled: confusion matrix", run.Stdout);
        Assert.Contains("stratified by class", run.Stderr);
    }

    [Fact]
    public async Task A_stratified_test_fraction_holds_out_each_class_in_proportion()
    {
        string data = _dir.Write("skewed.csv", "x,label\n" + string.Concat(File.ReadAllLines(Fixture("skewed-labels.csv")).Skip(1)
            .Select((l, i) => $"{i},{l}\n")));
        var fit = await Ntk.RunAsync("fit", "--train", data, "--test-fraction", "0.3", "--stratify", "--task", "classify", "--kernel", "rbf:gamma=1",
            "--lambda", "0.1", "--json");
        var json = Json(fit);
        // 43 rows, 13 held out: a 23·13/43 = 6.95 → 7, c 3.33 → 3, b 2.12 → 2, d 0.60 → 1 (largest remainders).
        Assert.Equal(13, json.GetProperty("n_test").GetInt32());
        Assert.Equal(new long[] { 7, 2, 3, 1 }, json.GetProperty("test_metrics").GetProperty("support").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Theory]
    [InlineData(new[] { "fit", "--task", "regress", "--stratify" }, "--stratify goes with --task classify")]
    [InlineData(new[] { "fit", "--task", "classify", "--stratify", "--train-dir" }, "--stratify needs the labels in memory")]
    [InlineData(new[] { "predict", "--scores", "--regression-model" }, "--scores goes with a classifier")]
    public async Task Misused_options_are_refused_in_one_line(string[] args, string message)
    {
        string train = _dir.Write("t.csv", "x,y\n0,1\n1,2\n2,1\n3,2\n");
        string parts = Path.Combine(_dir.Path, "parts");
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(parts, "part-0.csv"), "x,y\n0,1\n1,2\n");
        string model = _dir.PathOf("m.json");
        string[] run;
        if (args[0] == "predict")
        {
            var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=1", "--lambda", "0.1", "--model", model);
            Assert.True(fit.ExitCode == 0, fit.ToString());
            run = ["predict", "--model", model, "--data", train, "--scores", "--out", _dir.PathOf("out.csv")];
        }
        else
            run = [.. args.Where(a => a != "--train-dir"), "--train", args.Contains("--train-dir") ? parts : train, "--kernel", "rbf:gamma=1",
                "--lambda", "0.1", "--model", _dir.PathOf("never.json")];
        AssertBadInput(await Ntk.RunAsync(run), message, _dir.PathOf("out.csv"), _dir.PathOf("never.json"));
    }

    [Fact]
    public async Task The_help_of_fit_cv_and_predict_names_the_new_options()
    {
        foreach (var (command, option) in new[] { ("fit", "--stratify"), ("cv", "--stratify"), ("predict", "--scores") })
        {
            var help = await Ntk.RunAsync(command, "--help");
            Assert.Contains(option, help.Stdout);
        }
    }
}

using System.Globalization;
using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Classification;

/// <summary>
/// Text labels beside text categories and NA cells through the real command line, against scikit-learn's
/// SimpleImputer + OneHotEncoder + one-vs-rest KernelRidge on the same rows
/// (tests/NtkCluster.Numerics.Tests/Fixtures/text-categories/make_text_category_fixtures.py).
/// </summary>
public sealed class TextCategoryCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "text-categories", name);

    /// <summary>A CSV line's fields; a quoted field ("car, shared") holds no quotes here.</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        for (int i = 0; i <= line.Length;)
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

    [Fact]
    public async Task Text_labels_text_categories_and_NA_cells_fit_and_predict_as_scikit_learn_does()
    {
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("p.csv");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("trips-train.csv"), "--test", Fixture("trips-test.csv"), "--target", "mode",
            "--task", "classify", "--missing", "median", "--kernel", "rbf:gamma=0.5", "--lambda", "0.5", "--solver", "exact",
            "--model", model, "--workers", "2", "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Contains("dropped 5 row(s) with a missing target: mode (5)", fit.Stderr);
        Assert.Contains("2 row(s) have a category not seen in training, encoded as all zeros: zone (2)", fit.Stderr);
        Assert.Contains("missing cell(s) of categorical columns take the training rows' most frequent category", fit.Stderr);
        using (var doc = JsonDocument.Parse(fit.StdoutLines[^1]))
            Assert.Equal(["Bike", "bus", "car, shared"], doc.RootElement.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));

        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("trips-test.csv"), "--out", predictions, "--scores");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var expected = File.ReadAllLines(Fixture("expected.csv"));
        var actual = File.ReadAllLines(predictions);
        Assert.Equal(expected[0], actual[0]); // mode,Bike,bus,"car, shared"
        Assert.Equal(31, actual.Length);
        double worst = 0;
        for (int i = 1; i < expected.Length; i++)
        {
            string[] e = Fields(expected[i]), a = Fields(actual[i]);
            Assert.Equal(e[0], a[0]);
            for (int k = 1; k <= 3; k++)
                worst = Math.Max(worst, Math.Abs(double.Parse(e[k], CultureInfo.InvariantCulture) - double.Parse(a[k], CultureInfo.InvariantCulture)));
        }
        Assert.True(worst <= 1e-9, $"largest score difference {worst:E2}");

        // The same accuracy scikit-learn's predictions have on the test labels (19 of 30).
        var accuracy = await Ntk.RunAsync("fit", "--train", Fixture("trips-train.csv"), "--test", Fixture("trips-test.csv"), "--target", "mode",
            "--task", "classify", "--missing", "median", "--kernel", "rbf:gamma=0.5", "--lambda", "0.5", "--quiet");
        Assert.Contains("test accuracy 0.6333 (19/30)", accuracy.Stdout);
    }

    [Fact]
    public async Task Unknown_category_error_refuses_the_test_file_in_one_line_and_writes_nothing()
    {
        string model = _dir.PathOf("m.json");
        var run = await Ntk.RunAsync("fit", "--train", Fixture("trips-train.csv"), "--test", Fixture("trips-test.csv"), "--target", "mode",
            "--task", "classify", "--missing", "median", "--kernel", "rbf:gamma=0.5", "--lambda", "0.5", "--unknown-category", "error",
            "--model", model, "--quiet");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("column 'zone' has category 'Harbour', not seen in training", run.Stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Stratified_split_of_text_labels_beside_categories_keeps_each_class_share()
    {
        var run = await Ntk.RunAsync("fit", "--train", Fixture("trips-train.csv"), "--target", "mode", "--task", "classify",
            "--missing", "drop", "--separator", ",", "--test-fraction", "0.25", "--stratify",
            "--kernel", "rbf:gamma=0.5", "--lambda", "0.5", "--json", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        var test = doc.RootElement.GetProperty("test_metrics");
        var train = doc.RootElement.GetProperty("train_metrics");
        // Every class keeps a quarter of its rows in the test part, to within the one row rounding takes.
        for (int k = 0; k < 3; k++)
        {
            double inTest = test.GetProperty("support")[k].GetDouble(), inTrain = train.GetProperty("support")[k].GetDouble();
            Assert.InRange(inTest, 0.25 * (inTest + inTrain) - 1, 0.25 * (inTest + inTrain) + 1);
        }
    }
}

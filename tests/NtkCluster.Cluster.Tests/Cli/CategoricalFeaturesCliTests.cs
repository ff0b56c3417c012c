using System.Globalization;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Categorical features through the real command line: a text column one-hot encoded against scikit-learn's
/// <c>OneHotEncoder</c> + <c>StandardScaler</c> + <c>KernelRidge</c> on the same rows
/// (tests/NtkCluster.Numerics.Tests/Fixtures/categorical/make_categorical_fixtures.py), the encoding carried by the
/// model into <c>predict</c>, <c>features</c> and <c>inspect</c>, and the one-line refusals.
/// </summary>
public sealed class CategoricalFeaturesCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public CategoricalFeaturesCliTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", name);

    private static double[] ReadColumn(string path) =>
        File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private async Task<string> FitModel(string train, params string[] extra)
    {
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--solver", "exact",
            "--standardize", "--model", model, "--workers", "2", .. extra]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        _output.WriteLine(fit.ToString());
        return model;
    }

    [Fact]
    public async Task One_hot_fit_then_predict_matches_OneHotEncoder_StandardScaler_and_KernelRidge()
    {
        string model = await FitModel(Fixture("cars-train.csv"));
        string predictions = _dir.PathOf("predictions.csv");
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("cars-test.csv"), "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Contains(predict.StderrLines, l => l.Contains("1 row(s) have a category not seen in training, encoded as all zeros: body (1)", StringComparison.Ordinal));
        var expected = ReadColumn(Fixture("expected.csv"));
        var actual = ReadColumn(predictions);
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max(), scale = expected.Max(Math.Abs);
        _output.WriteLine($"max |diff| / max |expected| = {maxDiff / scale:E2}");
        Assert.True(maxDiff / scale <= 1e-9, $"relative error {maxDiff / scale:E2}");
        string json = File.ReadAllText(model);
        Assert.Contains("\"categorical\":[{\"name\":\"body\",\"codes\":false,\"categories\":[\"hatchback\",\"sedan\",\"suv\",\"van\",\"wagon\"]", json);
        // One-hot columns stay 0/1 under --standardize: mean 0, scale 1 in the stored preprocessing.
        Assert.Contains("\"feature_names\":[\"weight\",\"power\",\"body=hatchback\",", json);
    }

    [Fact]
    public async Task Fit_says_in_one_note_which_columns_are_categorical()
    {
        var run = await Ntk.RunAsync("fit", "--train", Fixture("cars-train.csv"), "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--workers", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.StderrLines, l => l.Contains("categorical feature(s)", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.Contains("body (5), fuel (3)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_and_features_apply_the_stored_encoding()
    {
        string model = _dir.PathOf("rf.json");
        var fit = await Ntk.RunAsync("fit", "--train", Fixture("cars-train.csv"), "--kernel", "rbf:gamma=0.2", "--lambda", "0.1",
            "--features", "20", "--standardize", "--model", model, "--workers", "1");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var inspect = await Ntk.RunAsync("inspect", "--model", model);
        Assert.Contains("body: hatchback|sedan|suv|van|wagon", inspect.Stdout);
        var features = await Ntk.RunAsync("features", "--model", model, "--data", Fixture("cars-test.csv"));
        Assert.True(features.ExitCode == 0, features.ToString());
        Assert.Equal(21, features.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Unknown_category_error_refuses_the_rows_in_one_line_and_writes_nothing()
    {
        string model = await FitModel(Fixture("cars-train.csv"));
        string output = _dir.PathOf("p.csv");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", Fixture("cars-test.csv"), "--out", output, "--unknown-category", "error");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("column 'body' has category 'coupe', not seen in training", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_column_text_in_training_and_numeric_in_the_test_file_is_refused_in_one_line()
    {
        string model = await FitModel(Fixture("cars-train.csv"));
        string test = _dir.Write("numeric-body.csv", "weight,power,body,fuel\n1000,50,1,petrol\n1200,60,2,diesel\n");
        string output = _dir.PathOf("p.csv");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", output);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("numeric-body.csv: column 'body' holds only numbers but is text in the training data", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_column_numeric_in_training_and_text_in_the_test_file_is_refused_in_one_line()
    {
        string model = await FitModel(Fixture("cars-train.csv"));
        string test = _dir.Write("text-weight.csv", "weight,power,body,fuel\n1000,50,van,petrol\nheavy,60,suv,diesel\n");
        string output = _dir.PathOf("p.csv");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", output);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("text-weight.csv: column 'weight' holds text ('heavy', line 3) but is numeric in the training data", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task More_than_1000_categories_are_refused_with_the_count_and_advice()
    {
        var sb = new StringBuilder("id,x,y\n");
        for (int i = 0; i < 1001; i++) sb.Append(CultureInfo.InvariantCulture, $"c{i},{i % 7},{i % 5}\n");
        string train = _dir.Write("ids.csv", sb.ToString());
        string model = _dir.PathOf("m.json");
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--model", model, "--workers", "1");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("column 'id' has 1001 categories, more than 1000", run.Stderr);
        Assert.Contains("--categorical", run.Stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task An_entirely_missing_category_column_is_refused_in_one_line()
    {
        string train = _dir.Write("empty-cat.csv", "x,kind,y\n1,NA,2\n2,,3\n3,NA,4\n");
        string model = _dir.PathOf("m.json");
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--categorical", "kind",
            "--missing", "drop", "--model", model, "--workers", "1");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("categorical column 'kind' is entirely missing (3 row(s))", run.Stderr);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public async Task Categorical_codes_and_missing_mean_fill_with_the_most_frequent_category()
    {
        string train = _dir.Write("codes.csv", "x,grade,y\n1,3,2\n2,10,3\n3,3,4\n4,NA,5\n5,10,6\n6,3,7\n");
        string model = await FitModel(train, "--categorical", "grade", "--missing", "mean");
        string json = File.ReadAllText(model);
        // Codes sort by value (3 before 10), and the missing cell took the most frequent code.
        Assert.Contains("{\"name\":\"grade\",\"codes\":true,\"categories\":[\"3\",\"10\"],\"fill\":\"3\"}", json);
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", _dir.Write("new.csv", "x,grade\n1,3.0\n2,NA\n"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var lines = predict.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Categorical_codes_on_a_partitioned_dataset_are_collected_over_every_part()
    {
        string dir = Directory.CreateDirectory(_dir.PathOf("parts")).FullName;
        File.WriteAllText(Path.Combine(dir, "a.csv"), "x,g,y\n1,10,2\n2,3,3\n3,3,4\n");
        File.WriteAllText(Path.Combine(dir, "b.csv"), "x,g,y\n4,2.0,5\n5,10,6\n");
        string model = await FitModel(dir, "--categorical", "g");
        // Codes by value over both parts (2.0 read as 2, sorted before 3 and 10), as a single file's would be.
        Assert.Contains("{\"name\":\"g\",\"codes\":true,\"categories\":[\"2\",\"3\",\"10\"]}", File.ReadAllText(model));
    }
}

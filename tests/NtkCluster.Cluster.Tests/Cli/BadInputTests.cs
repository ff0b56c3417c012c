using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Bad input through the real command line, in-process: exit code 2, exactly one line on stderr that names the
/// problem (and, for data files, the file, line and column), no stack trace, nothing on stdout, and no output file
/// or temporary file left behind.
/// </summary>
public sealed class BadInputTests : IClassFixture<TrainedModelFixture>, IDisposable
{
    private const string Good = "x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,1.5\n2,0,1,3\n-1,1,0,2\n";

    private readonly TrainedModelFixture _model;
    private readonly CliTempDirectory _dir = new();
    private readonly string _out;

    public BadInputTests(TrainedModelFixture model)
    {
        _model = model;
        _out = _dir.PathOf("out.json");
    }

    public void Dispose() => _dir.Dispose();

    // ---------------------------------------------------------------- helpers

    /// <summary><c>ntk fit</c> with a valid kernel and lambda, writing the model to the output path, plus <paramref name="extra"/>.</summary>
    private Task<CliRun> Fit(string train, params string[] extra) =>
        Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", "--model", _out, .. extra]);

    private Task<CliRun> Predict(string model, string data, params string[] extra) =>
        Ntk.RunAsync(["predict", "--model", model, "--data", data, "--out", _out, "--workers", "1", .. extra]);

    /// <summary>
    /// Checks the shape of a bad-input failure and returns its one stderr line. <paramref name="inputs"/> are the
    /// files the test itself put into the temp directory: nothing else may be there afterwards.
    /// </summary>
    private string AssertBadInput(CliRun run, string[] inputs, params string[] mustContain)
    {
        Assert.True(run.ExitCode == 2, $"expected exit code 2\n{run}");
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        Assert.True(run.Stdout.Length == 0, $"expected nothing on stdout\n{run}");
        string line = run.StderrLines[0];
        foreach (var text in mustContain) Assert.Contains(text, line);

        Assert.False(File.Exists(_out), $"output file {_out} was left behind");
        var files = _dir.FileNames();
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(inputs.Select(Path.GetFileName).Order(StringComparer.Ordinal), files);
        return line;
    }

    private string Train(string contents = Good, string name = "train.csv") => _dir.Write(name, contents);

    // ---------------------------------------------------------------- data files

    [Fact]
    public async Task Missing_train_file()
    {
        string missing = _dir.PathOf("missing.csv");
        var run = await Fit(missing);
        AssertBadInput(run, [], "not found", missing);
    }

    [Fact]
    public async Task Ragged_row_too_short_names_file_line_and_column()
    {
        // Line 4 has one field where the header has four: the first missing field is column 2.
        string bad = _dir.Write("bad.csv", "x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,1.5\n0.5\n2,0,1,3\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:4:2:", "bad.csv", "1 field", "header has 4");
    }

    [Fact]
    public async Task Ragged_row_too_long_names_file_line_and_column()
    {
        // Line 3 has five fields where the header has four: the first one too many is column 5.
        string bad = _dir.Write("bad.csv", "x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,1.5,9\n2,0,1,3\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:3:5:", "5 fields", "header has 4");
    }

    [Fact]
    public async Task Non_numeric_cell_names_file_line_column_and_header()
    {
        // In the target column: text in a feature column makes it a categorical feature (CategoricalFeaturesCliTests).
        string bad = _dir.Write("bad.csv", "x1,x2,x3,y\n1,2,3,4\n0.5,1,2,abc\n2,0,1,3\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:3:4:", "'y'", "'abc'", "not a number");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    public async Task NaN_cell_is_a_missing_value_counted_in_one_line(string cell)
    {
        string bad = _dir.Write("bad.csv", $"x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,1.5\n2,0,{cell},3\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}: missing values in x3 (1): use --missing drop|mean|median");
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    [InlineData("-Inf")]
    [InlineData("1e999")]
    public async Task Non_finite_cell_names_file_line_column_and_header(string cell)
    {
        string bad = _dir.Write("bad.csv", $"x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,1.5\n2,0,{cell},3\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:4:3:", "'x3'", $"'{cell}'", "not a finite number");
    }

    [Fact]
    public async Task Non_finite_target_cell_is_refused_too()
    {
        // (A NaN target is a missing one: its row is dropped, with a note.)
        string bad = _dir.Write("bad.csv", "x1,x2,x3,y\n1,2,3,4\n0.5,-1,2,Infinity\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:3:4:", "'y'", "not a finite number");
    }

    [Fact]
    public async Task Empty_file()
    {
        string bad = _dir.Write("empty.csv", "");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:1:", "empty");
    }

    [Fact]
    public async Task Header_without_rows()
    {
        string bad = _dir.Write("header.csv", "x1,x2,x3,y\n");
        var run = await Fit(bad);
        AssertBadInput(run, [bad], $"{bad}:1:", "no data rows");
    }

    [Fact]
    public async Task Unknown_target_column()
    {
        string train = Train();
        var run = await Fit(train, "--target", "price");
        AssertBadInput(run, [train], train, "'price'", "x1, x2, x3, y");
    }

    [Fact]
    public async Task Test_file_whose_columns_differ_from_train()
    {
        string train = Train();
        string test = _dir.Write("test.csv", "x1,x2,x4,y\n1,2,3,4\n0.5,-1,2,1.5\n");
        var run = await Fit(train, "--test", test);
        AssertBadInput(run, [train, test], test, "x3", "missing column");
    }

    [Fact]
    public async Task Bad_cell_in_test_file_names_the_test_file()
    {
        string train = Train();
        string test = _dir.Write("test.csv", "x1,x2,x3,y\n1,2,3,4\n0.5,-1,oops,1.5\n");
        var run = await Fit(train, "--test", test);
        AssertBadInput(run, [train, test], $"{test}:3:3:", "'x3'", "'oops'");
    }

    // ---------------------------------------------------------------- options

    [Fact]
    public async Task Unknown_option()
    {
        string train = Train();
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lamda", "1", "--model", _out);
        AssertBadInput(run, [train], "unknown option", "--lamda");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task Lambda_must_be_positive(string lambda)
    {
        string train = Train();
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", lambda, "--model", _out);
        AssertBadInput(run, [train], "--lambda", "> 0", lambda);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Features_must_be_positive(string features)
    {
        string train = Train();
        var run = await Fit(train, "--features", features);
        AssertBadInput(run, [train], "--features", features);
    }

    [Fact]
    public async Task Unknown_kernel()
    {
        string train = Train();
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "poly", "--lambda", "0.1", "--model", _out);
        AssertBadInput(run, [train], "unknown kernel", "'poly'");
    }

    [Fact]
    public async Task Rbf_kernel_without_gamma()
    {
        string train = Train();
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf", "--lambda", "0.1", "--model", _out);
        AssertBadInput(run, [train], "rbf", "gamma");
    }

    [Fact]
    public async Task Test_fraction_above_one()
    {
        string train = Train();
        var run = await Fit(train, "--test-fraction", "1.5");
        AssertBadInput(run, [train], "--test-fraction", "1.5");
    }

    [Fact]
    public async Task Fit_with_zero_workers()
    {
        string train = Train();
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "0", "--model", _out);
        AssertBadInput(run, [train], "--workers", "0");
    }

    [Fact]
    public async Task Predict_with_zero_workers()
    {
        string data = Train(name: "data.csv");
        var run = await Ntk.RunAsync("predict", "--model", _model.ModelPath, "--data", data, "--out", _out, "--workers", "0");
        AssertBadInput(run, [data], "--workers", "0");
    }

    [Fact]
    public async Task Unknown_command()
    {
        var run = await Ntk.RunAsync("frobnicate", "--out", _out);
        AssertBadInput(run, [], "unknown command", "'frobnicate'");
    }

    [Fact]
    public async Task Model_output_directory_that_does_not_exist_is_refused_before_fitting()
    {
        // Valid data, so only the output path is wrong. Refused before fitting: the only stderr line is the error,
        // not the "N training rows" line that fit prints once the data is loaded (no wall-clock assertion: timing is
        // for benchmarks, and a loaded CI machine must not turn this test red).
        string train = _dir.Write("train.csv", TestData.Csv(60));
        string missingDir = _dir.PathOf("no-such-dir");
        string model = Path.Combine(missingDir, "model.json");
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact", "--model", model);
        AssertBadInput(run, [train], missingDir, "does not exist");
        Assert.DoesNotContain("training rows", run.Stderr);
        Assert.False(Directory.Exists(missingDir));
    }

    [Fact]
    public async Task Model_path_that_is_an_existing_directory_is_refused_before_fitting()
    {
        // Like a missing directory, a --model path that is a directory can never be written; it should be refused
        // before the data is loaded and the model fitted, not after the whole fit (FitCommand.EnsureDirectory).
        string train = _dir.Write("train.csv", TestData.Csv(60));
        string model = _dir.PathOf("models");
        Directory.CreateDirectory(model);
        var run = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact", "--model", model);
        AssertBadInput(run, [train], model, "directory");
        Assert.DoesNotContain("training rows", run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(model));
    }

    [Fact]
    public async Task Predict_output_directory_that_does_not_exist_is_refused()
    {
        string data = Train(name: "data.csv");
        string missingDir = _dir.PathOf("no-such-dir");
        var run = await Ntk.RunAsync("predict", "--model", _model.ModelPath, "--data", data, "--out", Path.Combine(missingDir, "p.csv"));
        AssertBadInput(run, [data], missingDir, "does not exist");
        Assert.False(Directory.Exists(missingDir));
    }

    // ---------------------------------------------------------------- predict: model and data

    [Fact]
    public async Task Predict_data_missing_a_feature_column()
    {
        string data = _dir.Write("data.csv", "x1,x3\n1,3\n0.5,2\n");
        var run = await Predict(_model.ModelPath, data);
        AssertBadInput(run, [data], data, "missing column", "'x2'");
    }

    [Fact]
    public async Task Predict_data_with_an_extra_unknown_column()
    {
        string data = _dir.Write("data.csv", "x1,x2,x3,extra\n1,2,3,4\n0.5,-1,2,1.5\n");
        var run = await Predict(_model.ModelPath, data);
        AssertBadInput(run, [data], data, "'extra'");
    }

    [Fact]
    public async Task Predict_data_with_a_bad_cell_names_file_line_and_column()
    {
        string data = _dir.Write("data.csv", "x1,x2,x3\n1,2,3\n0.5,-1,inf\n");
        var run = await Predict(_model.ModelPath, data);
        AssertBadInput(run, [data], $"{data}:3:3:", "'x3'", "not a finite number");
    }

    [Fact]
    public async Task Missing_predict_data_file()
    {
        string missing = _dir.PathOf("missing.csv");
        var run = await Predict(_model.ModelPath, missing);
        AssertBadInput(run, [], "not found", missing);
    }

    [Fact]
    public async Task Truncated_model_file()
    {
        var bytes = File.ReadAllBytes(_model.ModelPath);
        string model = _dir.PathOf("truncated.json");
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        string data = Train(name: "data.csv");
        var run = await Predict(model, data);
        AssertBadInput(run, [model, data], model, "truncated");
    }

    [Fact]
    public async Task Foreign_file_as_model()
    {
        string model = Train(name: "model.csv");
        string data = Train(name: "data.csv");
        var run = await Predict(model, data);
        AssertBadInput(run, [model, data], model, "not a readable NtkCluster model");
    }

    [Fact]
    public async Task Json_that_is_not_a_model()
    {
        string model = _dir.Write("model.json", "{\"hello\": \"world\"}\n");
        string data = Train(name: "data.csv");
        var run = await Predict(model, data);
        AssertBadInput(run, [model, data], model, "not an NtkCluster model");
    }

    [Fact]
    public async Task Missing_model_file()
    {
        string model = _dir.PathOf("nope.json");
        string data = Train(name: "data.csv");
        var run = await Predict(model, data);
        AssertBadInput(run, [data], "not found", model);
    }
}

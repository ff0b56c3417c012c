using System.Text.Json;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Fit;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk fit --train DIR</c> (or a quoted glob) through the real command line: every round per partition, bitwise the
/// library's model for any number of workers, <c>--stream</c> a harmless alias, a single file unchanged; and bad
/// datasets and fits that cannot run per partition refused with one line, exit code 2 and no model written.
/// </summary>
public sealed class PartitionedFitCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly FitSettings Settings = new() { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 120, Seed = 4, Standardize = true };

    private Task<CliRun> Fit(string train, string model, params string[] extra) =>
        Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "120", "--seed", "4",
            "--standardize", "--model", model, "--json", .. extra]);

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task A_directory_of_CSV_parts_fits_the_library_model_bitwise_for_1_and_3_workers()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 1200, 900, 1500);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 9, 400, 300);
        var library = await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, test, Settings));
        byte[] expected = PartitionedFitTests.ModelBytes(library.Model);

        foreach (string workers in new[] { "1", "3" })
        {
            string model = _dir.PathOf($"dir-{workers}.json");
            var run = await Fit(train, model, "--test", test, "--workers", workers);
            var json = Json(run);
            Assert.Equal(expected, File.ReadAllBytes(model));
            Assert.Equal(library.TrainMse, json.GetProperty("train_mse").GetDouble());
            Assert.Equal(library.TestMse!.Value, json.GetProperty("test_mse").GetDouble());
            // CSV parts carry no row counts: the job counts them as it reads.
            Assert.Equal(1200 + 900 + 1500, json.GetProperty("n_train").GetInt64());
            Assert.Equal(400 + 300, json.GetProperty("n_test").GetInt64());
            Assert.Contains(run.StderrLines, l => l.StartsWith($"ntk fit: 3 partition(s) of {train} (3 CSV file(s)) × 3 features, target 'y' (the last column; choose another with --target COL), test 2 partition(s)", StringComparison.Ordinal));
        }
        // --stream is a harmless alias, and a quoted glob names the same parts.
        Assert.Equal(0, (await Fit(Path.Combine(train, "part-*.csv"), _dir.PathOf("glob.json"), "--test", test, "--stream")).ExitCode);
        Assert.Equal(expected, File.ReadAllBytes(_dir.PathOf("glob.json")));
    }

    [Fact]
    public async Task A_single_file_keeps_its_fit_and_a_one_file_glob_gives_the_same_model()
    {
        string train = _dir.Write("train.csv", TestData.Csv(2600, seed: 1));
        var run = await Fit(train, _dir.PathOf("file.json"), "--stream");
        Assert.Contains(run.StderrLines, l => l.Contains($"{train}: 2600 training rows × 3 features, target 'y'") && l.Contains("streamed in blocks of 1024 rows"));
        Assert.Equal(2600, Json(run).GetProperty("n_train").GetInt32());
        Json(await Fit(Path.Combine(_dir.Path, "tr*.csv"), _dir.PathOf("glob.json")));
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("file.json")), File.ReadAllBytes(_dir.PathOf("glob.json")));
    }

    [Fact]
    public async Task A_hashed_test_fraction_says_how_it_splits_and_is_the_library_split()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 1, 1200, 900);
        var library = await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, null, Settings, testFraction: 0.2, splitSeed: 7));
        var run = await Fit(train, _dir.PathOf("split.json"), "--test-fraction", "0.2", "--split-seed", "7");
        Assert.Equal(library.TestMse!.Value, Json(run).GetProperty("test_mse").GetDouble());
        long held = Enumerable.Range(0, 2100).LongCount(r => NtkCluster.Numerics.Partitions.RowHash.IsTest(7, r, 0.2));
        Assert.InRange(held, 300, 540); // about 0.2 · 2100, not vacuous
        Assert.Equal(2100 - held, Json(run).GetProperty("n_train").GetInt64());
        Assert.Equal(held, Json(run).GetProperty("n_test").GetInt64());
        Assert.Equal(PartitionedFitTests.ModelBytes(library.Model), File.ReadAllBytes(_dir.PathOf("split.json")));
        Assert.Contains(run.StderrLines, l => l.StartsWith("ntk fit: note: --test-fraction on a partitioned dataset holds each row out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exact_KRR_on_a_directory_gathers_its_rows_and_writes_the_model_of_the_concatenated_file()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 3, 120, 80, 100);
        string whole = _dir.Write("whole.csv", PartitionedFitTests.Concatenated(train, 3));
        string[] exact = ["fit", "--kernel", "ntk", "--lambda", "0.1", "--solver", "exact", "--standardize", "--json"];
        var fromParts = await Ntk.RunAsync([.. exact, "--train", train, "--model", _dir.PathOf("parts.json")]);
        var fromFile = await Ntk.RunAsync([.. exact, "--train", whole, "--model", _dir.PathOf("file.json")]);
        Assert.Equal(Json(fromFile).GetProperty("train_mse").GetDouble(), Json(fromParts).GetProperty("train_mse").GetDouble());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("file.json")), File.ReadAllBytes(_dir.PathOf("parts.json")));
        Assert.Contains(fromParts.StderrLines, l => l.StartsWith("ntk fit: note: exact KRR needs every row in one place", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Classify_on_a_directory_prints_the_library_classifiers_accuracy_and_writes_its_model()
    {
        string train = PartitionedClassifyTests.DigitParts(_dir);
        var library = await PartitionedFitTests.InProcessAsync(PartitionedClassifyTests.Classify(train, null, PartitionedClassifyTests.Features));
        string model = _dir.PathOf("classifier.json");
        var run = await Ntk.RunAsync(["fit", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=0.02", "--lambda", "0.01",
            "--features", "100", "--seed", "6", "--standardize", "--test-fraction", "0.2", "--model", model, "--json"]);
        var json = Json(run);
        Assert.Equal("classify", json.GetProperty("task").GetString());
        Assert.Equal(10, json.GetProperty("classes").GetArrayLength());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("task classify: 10 classes in 'digit' (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)", StringComparison.Ordinal));
        Assert.True(json.GetProperty("test_accuracy").GetDouble() > 0.5);

        // Without the split: the library's classifier, to the byte.
        var whole = await Ntk.RunAsync(["fit", "--train", train, "--task", "classify", "--kernel", "rbf:gamma=0.02", "--lambda", "0.01",
            "--features", "100", "--seed", "6", "--standardize", "--model", model, "--json"]);
        Assert.Equal(library.Classification!.Train.Accuracy, Json(whole).GetProperty("train_accuracy").GetDouble());
        Assert.Equal(PartitionedFitTests.ModelBytes(library.Model), File.ReadAllBytes(model));
    }

    public static TheoryData<string> BadDatasets => new() { "empty", "mixed", "columns", "empty part", "glob", "one class" };

    [Theory]
    [MemberData(nameof(BadDatasets))]
    public async Task A_bad_dataset_or_a_fit_that_cannot_run_per_partition_is_one_line_with_exit_code_2_and_no_model(string bad)
    {
        string dir = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(dir);
        void Part(string name, string text) => File.WriteAllText(Path.Combine(dir, name), text);
        string train = dir;
        string[] extra = ["--features", "20"];
        string expected;
        switch (bad)
        {
            case "empty":
                Part("notes.txt", "x");
                expected = $"{dir}: no data files in the directory (it reads *.parquet or *.csv files; 'notes.txt' is neither)";
                break;
            case "mixed":
                Part("a.csv", TestData.Csv(20, 1));
                ParquetTestFile.Write(Path.Combine(dir, "b.parquet"), 10, ParquetTestColumn.Of("x1", new double[20]), ParquetTestColumn.Of("y", new double[20]));
                expected = $"{dir}: mixes Parquet and CSV files ({Path.Combine(dir, "b.parquet")} is Parquet, {Path.Combine(dir, "a.csv")} is CSV); a dataset is all one format";
                break;
            case "columns":
                Part("a.csv", TestData.Csv(20, 1));
                Part("b.csv", TestData.Csv(20, 2).Replace("x1,x2,x3,y", "x1,x2,z,y"));
                expected = $"{dir}: {Path.Combine(dir, "b.csv")} has column 'z' where {Path.Combine(dir, "a.csv")} has 'x3' (column 3); every part must have the same columns";
                break;
            case "empty part":
                Part("a.csv", TestData.Csv(20, 1));
                Part("b.csv", "x1,x2,x3,y\n");
                expected = $"{Path.Combine(dir, "b.csv")}:1: the file has a header but no data rows";
                break;
            case "glob":
                train = Path.Combine(dir, "part-*.csv");
                expected = $"no files match {train}";
                break;
            default:
                Part("a.csv", "x1,x2,x3,y\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},{i % 7},{i % 3},1\n")));
                (extra, expected) = bad switch
                {
                    _ => ((string[])["--features", "20", "--task", "classify"], $"{dir}: the training rows hold only one class (1) in 'y': nothing to classify"),
                };
                break;
        }
        string model = _dir.PathOf("model.json");
        var run = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--model", model, .. extra]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"ntk fit: error: {expected}", Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal)));
        Assert.DoesNotContain(run.StderrLines, l => l.Contains(" at ", StringComparison.Ordinal));
        Assert.Empty(run.Stdout);
        Assert.False(File.Exists(model));
    }
}

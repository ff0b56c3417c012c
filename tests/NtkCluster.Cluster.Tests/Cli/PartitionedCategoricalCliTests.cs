using System.Globalization;
using NtkCluster.Numerics.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Categorical features on a partitioned dataset (a directory of CSV parts) through the real command line: the
/// categories collected over every part are the single file's, so a fit is bitwise the fit of the concatenated file
/// (exact KRR gathers the rows; random features on one part), predictions on parts are the file's byte for byte, and
/// the census's refusals are one line with exit code 2 and no model.
/// </summary>
public sealed class PartitionedCategoricalCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "categorical", name);

    /// <summary>
    /// The fixture's rows sorted by their third column (body), so that some categories are only in later parts, as the
    /// file <c>whole.csv</c> and as parts of the given sizes in a directory; returns (file, directory).
    /// </summary>
    public static (string File, string Directory) SortedParts(string root, string fixture, string name, params int[] sizes)
    {
        var lines = File.ReadAllLines(fixture);
        string header = lines[0];
        var rows = lines.Skip(1).Where(l => l.Length > 0).OrderBy(l => l.Split(',')[2], StringComparer.Ordinal).ThenBy(l => l, StringComparer.Ordinal).ToArray();
        Assert.Equal(rows.Length, sizes.Sum());
        string file = Path.Combine(root, name + ".csv");
        File.WriteAllLines(file, [header, .. rows]);
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        int at = 0;
        for (int p = 0; p < sizes.Length; p++)
        {
            File.WriteAllLines(Path.Combine(dir, $"part-{p:00000}.csv"), [header, .. rows.Skip(at).Take(sizes[p])]);
            at += sizes[p];
        }
        return (file, dir);
    }

    private async Task<CliRun> Fit(string train, string model, params string[] extra)
    {
        var run = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.2", "--lambda", "0.1", "--standardize", "--model", model, .. extra]);
        output.WriteLine(run.ToString());
        return run;
    }

    [Theory]
    [InlineData("text columns")]
    [InlineData("--categorical power")]
    public async Task An_exact_fit_on_CSV_parts_with_text_categories_is_bitwise_the_fit_of_the_concatenated_file(string variant)
    {
        string train = Fixture("cars-train.csv");
        string[] extra = variant == "--categorical power" ? ["--categorical", "power"] : [];
        // Sorted by body: 'wagon' and 'van' appear in the last part only, 'hatchback' in the first only.
        var (file, parts) = SortedParts(_dir.Path, train, "cars", 25, 20, 15);
        var fromFile = await Fit(file, _dir.PathOf("file.json"), ["--solver", "exact", .. extra]);
        var fromParts = await Fit(parts, _dir.PathOf("parts.json"), ["--solver", "exact", .. extra]);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.True(fromParts.ExitCode == 0, fromParts.ToString());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("file.json")), File.ReadAllBytes(_dir.PathOf("parts.json")));
        Assert.Contains("\"categorical\":[{\"name\":", File.ReadAllText(_dir.PathOf("parts.json")));
        string describe = variant == "--categorical power" ? "power (60), body (5), fuel (3)" : "body (5), fuel (3)";
        Assert.Single(fromParts.StderrLines, l => l.StartsWith($"ntk fit: note: {parts}: categorical feature(s)", StringComparison.Ordinal) && l.EndsWith(describe, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_features_on_parts_keep_one_hot_columns_0_1_and_give_one_model_for_any_worker_count_and_one_part_the_files()
    {
        var (file, parts) = SortedParts(_dir.Path, Fixture("cars-train.csv"), "cars", 25, 20, 15);
        string[] rf = ["--features", "40", "--seed", "5"];
        Assert.Equal(0, (await Fit(parts, _dir.PathOf("w1.json"), [.. rf, "--workers", "1"])).ExitCode);
        Assert.Equal(0, (await Fit(parts, _dir.PathOf("w3.json"), [.. rf, "--workers", "3"])).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("w1.json")), File.ReadAllBytes(_dir.PathOf("w3.json")));
        string json = File.ReadAllText(_dir.PathOf("w1.json"));
        Assert.Contains("\"feature_names\":[\"weight\",\"power\",\"body=hatchback\",\"body=sedan\",\"body=suv\",\"body=van\",\"body=wagon\",\"fuel=", json);
        // --standardize leaves the 8 one-hot columns with mean 0 and scale 1.
        Assert.Matches("\"feature_means\":\\[[^,\\]]+,[^,\\]]+,0,0,0,0,0,0,0,0\\]", json);
        Assert.Matches("\"feature_scales\":\\[[^,\\]]+,[^,\\]]+,1,1,1,1,1,1,1,1\\]", json);

        // A directory holding the file as its one part reads the same rows in the same order: the single file's model.
        string one = Path.Combine(_dir.Path, "one");
        Directory.CreateDirectory(one);
        File.Copy(file, Path.Combine(one, "part-00000.csv"));
        Assert.Equal(0, (await Fit(file, _dir.PathOf("file.json"), rf)).ExitCode);
        Assert.Equal(0, (await Fit(one, _dir.PathOf("one.json"), rf)).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("file.json")), File.ReadAllBytes(_dir.PathOf("one.json")));
    }

    /// <summary>
    /// The rows of a CSV file with numeric columns (double) and text columns (string, empty as null) as Parquet files
    /// in a directory, the rows cut into files of <paramref name="fileRows"/> and row groups of <paramref name="groupRows"/>.
    /// </summary>
    public static string ParquetParts(string root, string csv, string name, int fileRows, int groupRows)
    {
        var lines = File.ReadAllLines(csv).Where(l => l.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        bool[] text = header.Select((_, c) => rows.Any(r => !double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double _))).ToArray();
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        for (int f = 0; f * fileRows < rows.Length; f++)
        {
            var part = rows.Skip(f * fileRows).Take(fileRows).ToArray();
            var columns = header.Select((h, c) => text[c]
                ? ParquetTestColumn.Strings(h, part.Select(r => r[c]).ToArray())
                : ParquetTestColumn.Of(h, part.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray())).ToArray();
            ParquetTestFile.Write(Path.Combine(dir, $"part-{f:00000}.parquet"), groupRows, columns);
        }
        return dir;
    }

    [Theory]
    [InlineData("exact", "--solver", "exact")]
    [InlineData("features", "--features", "30")]
    public async Task Parquet_parts_with_string_columns_fit_and_predict_as_the_CSV_file_does(string name, string option, string value)
    {
        var (file, _) = SortedParts(_dir.Path, Fixture("cars-train.csv"), "cars", 25, 20, 15);
        // Two files of 35 and 25 rows, in row groups of 10: 7 partitions, categories first seen in later ones.
        string parquet = ParquetParts(_dir.Path, file, "cars-parquet", 35, 10);
        var fromParts = await Fit(parquet, _dir.PathOf("parquet.json"), option, value);
        Assert.True(fromParts.ExitCode == 0, fromParts.ToString());
        Assert.Contains(fromParts.StderrLines, l => l.StartsWith($"ntk fit: 7 partition(s) of {parquet} (2 PARQUET file(s)) × 10 features", StringComparison.Ordinal));
        string json = File.ReadAllText(_dir.PathOf("parquet.json"));
        Assert.Contains("\"categorical\":[{\"name\":\"body\",\"codes\":false,\"categories\":[\"hatchback\",\"sedan\",\"suv\",\"van\",\"wagon\"]", json);
        if (name == "exact")
        {
            // Exact KRR gathers the rows in partition order: the CSV file's model, to the byte.
            Assert.Equal(0, (await Fit(file, _dir.PathOf("csv.json"), option, value)).ExitCode);
            Assert.Equal(File.ReadAllBytes(_dir.PathOf("csv.json")), File.ReadAllBytes(_dir.PathOf("parquet.json")));
        }
        else
        {
            // Random features: the CSV parts cut at the same rows give the same model.
            var (_, csvParts) = SortedParts(_dir.Path, Fixture("cars-train.csv"), "cars-csv", 10, 10, 10, 5, 10, 10, 5);
            Assert.Equal(0, (await Fit(csvParts, _dir.PathOf("csv.json"), option, value)).ExitCode);
            Assert.Equal(File.ReadAllBytes(_dir.PathOf("csv.json")), File.ReadAllBytes(_dir.PathOf("parquet.json")));
        }

        // Predictions of Parquet parts (an unseen category among them) are the CSV file's.
        var (testFile, _) = SortedParts(_dir.Path, Fixture("cars-test.csv"), "test", 20);
        string testParquet = ParquetParts(_dir.Path, testFile, "test-parquet", 12, 5);
        var whole = await Ntk.RunAsync("predict", "--model", _dir.PathOf("parquet.json"), "--data", testFile, "--out", _dir.PathOf("whole.csv"));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        var parts = await Ntk.RunAsync("predict", "--model", _dir.PathOf("parquet.json"), "--data", testParquet, "--out", _dir.PathOf("out"));
        Assert.True(parts.ExitCode == 0, parts.ToString());
        var lines = Directory.GetFiles(_dir.PathOf("out"), "part-*.csv").Order(StringComparer.Ordinal)
            .SelectMany((f, i) => File.ReadAllLines(f).Skip(i == 0 ? 0 : 1));
        Assert.Equal(File.ReadAllLines(_dir.PathOf("whole.csv")), lines);
    }

    [Fact]
    public async Task A_single_Parquet_file_with_string_columns_fits_and_predicts_as_the_CSV_file()
    {
        var (file, _) = SortedParts(_dir.Path, Fixture("cars-train.csv"), "cars", 60);
        string parquet = Path.Combine(ParquetParts(_dir.Path, file, "one-parquet", 60, 25), "part-00000.parquet");
        var fromParquet = await Fit(parquet, _dir.PathOf("parquet.json"), "--solver", "exact");
        Assert.True(fromParquet.ExitCode == 0, fromParquet.ToString());
        Assert.Contains(fromParquet.StderrLines, l => l == $"ntk fit: note: {parquet}: categorical feature(s) (text columns, and --categorical), one-hot encoded: " +
                                                        "one 0/1 column per training category, in sorted order: body (5), fuel (3)");
        Assert.Equal(0, (await Fit(file, _dir.PathOf("csv.json"), "--solver", "exact")).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("csv.json")), File.ReadAllBytes(_dir.PathOf("parquet.json")));

        // The rows to predict as Parquet: the CSV file's predictions, and the same notice for the unseen category.
        var (testFile, _) = SortedParts(_dir.Path, Fixture("cars-test.csv"), "test", 20);
        string testParquet = Path.Combine(ParquetParts(_dir.Path, testFile, "test-parquet", 20, 7), "part-00000.parquet");
        var fromCsv = await Ntk.RunAsync("predict", "--model", _dir.PathOf("csv.json"), "--data", testFile, "--out", _dir.PathOf("csv-pred.csv"));
        var parquetPredict = await Ntk.RunAsync("predict", "--model", _dir.PathOf("csv.json"), "--data", testParquet, "--out", _dir.PathOf("parquet-pred.csv"));
        Assert.True(parquetPredict.ExitCode == 0, parquetPredict.ToString());
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("csv-pred.csv")), File.ReadAllBytes(_dir.PathOf("parquet-pred.csv")));
        Assert.Contains(parquetPredict.StderrLines, l => l.EndsWith("1 row(s) have a category not seen in training, encoded as all zeros: body (1)", StringComparison.Ordinal));
        Assert.Contains(fromCsv.StderrLines, l => l.EndsWith("1 row(s) have a category not seen in training, encoded as all zeros: body (1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_missing_mean_a_missing_category_takes_the_most_frequent_one_over_all_parts()
    {
        // The first part's most frequent fuel (diesel) is not the file's (electric): the fill comes from the merged counts.
        var lines = File.ReadAllLines(Fixture("cars-train.csv"));
        for (int i = 3; i < lines.Length; i += 7) lines[i] = string.Join(',', lines[i].Split(',').Select((c, k) => k == 3 ? "NA" : c));
        string gappy = _dir.Write("gappy.csv", string.Join('\n', lines) + "\n");
        var (file, parts) = SortedParts(_dir.Path, gappy, "cars", 25, 20, 15);
        string[] rf = ["--features", "40", "--seed", "5", "--missing", "mean"];
        Assert.Equal(0, (await Fit(file, _dir.PathOf("file.json"), rf)).ExitCode);
        Assert.Equal(0, (await Fit(parts, _dir.PathOf("parts.json"), rf)).ExitCode);
        static string Categorical(string path)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("preprocessing").GetProperty("categorical").GetRawText();
        }
        string expected = Categorical(_dir.PathOf("file.json"));
        Assert.Contains("\"fill\":\"", expected);
        Assert.Equal(expected, Categorical(_dir.PathOf("parts.json")));

        // And one part holding the whole file fits the file's model, bitwise, fills included.
        string one = Path.Combine(_dir.Path, "one");
        Directory.CreateDirectory(one);
        File.Copy(file, Path.Combine(one, "part-00000.csv"));
        Assert.Equal(0, (await Fit(one, _dir.PathOf("one.json"), rf)).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.PathOf("file.json")), File.ReadAllBytes(_dir.PathOf("one.json")));
    }

    [Theory]
    [InlineData("exact", "--solver", "exact")]
    [InlineData("features", "--features", "30")]
    public async Task Predict_on_parts_applies_the_models_encoding_byte_identical_to_predict_on_the_file(string name, string option, string value)
    {
        string model = _dir.PathOf($"{name}.json");
        Assert.Equal(0, (await Fit(Fixture("cars-train.csv"), model, option, value)).ExitCode);
        // The test rows hold a category not seen in training ('coupe'): all zeros in the file and in the parts.
        var (file, parts) = SortedParts(_dir.Path, Fixture("cars-test.csv"), "test", 8, 12);
        var whole = await Ntk.RunAsync("predict", "--model", model, "--data", file, "--out", _dir.PathOf("whole.csv"));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        string outDir = _dir.PathOf("out");
        var partitioned = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--out", outDir);
        Assert.True(partitioned.ExitCode == 0, partitioned.ToString());
        var lines = File.ReadAllLines(Path.Combine(outDir, "part-00000.csv")).Concat(File.ReadAllLines(Path.Combine(outDir, "part-00001.csv")).Skip(1));
        Assert.Equal(File.ReadAllLines(_dir.PathOf("whole.csv")), lines);
        Assert.Equal(21, lines.Count());
        // The same notice as the file's, counted over the parts: one row has 'coupe'.
        const string notice = "1 row(s) have a category not seen in training, encoded as all zeros: body (1)";
        Assert.Equal($"ntk predict: notice: {file}: {notice}", Assert.Single(whole.StderrLines, l => l.Contains("notice", StringComparison.Ordinal)));
        Assert.Equal($"ntk predict: notice: {parts}: {notice}", Assert.Single(partitioned.StderrLines, l => l.Contains("notice", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The test rows as three parts with 'coupe' (not seen in training) on line 2 of the second and third parts and in
    /// no row of the first; returns the directory.
    /// </summary>
    public static string UnseenInLaterParts(string root, string name)
    {
        var (_, sorted) = SortedParts(root, Fixture("cars-test.csv"), name + "-sorted", 8, 12);
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        // Sorted by body, 'coupe' is the first row of the first sorted part.
        File.Copy(Path.Combine(sorted, "part-00001.csv"), Path.Combine(dir, "part-00000.csv"));
        File.Copy(Path.Combine(sorted, "part-00000.csv"), Path.Combine(dir, "part-00001.csv"));
        File.Copy(Path.Combine(sorted, "part-00000.csv"), Path.Combine(dir, "part-00002.csv"));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(dir, "part-00000.csv")), l => l.Contains(",coupe,", StringComparison.Ordinal));
        Assert.Contains(",coupe,", File.ReadAllLines(Path.Combine(dir, "part-00001.csv"))[1], StringComparison.Ordinal);
        return dir;
    }

    /// <summary>The single file's refusal of 'coupe' without its file and row: what the parts' refusal says after file:line:column.</summary>
    public static async Task<string> FileRefusalOfCoupe(string root, string model)
    {
        var (file, _) = SortedParts(root, Fixture("cars-test.csv"), "refused-file", 8, 12);
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", file, "--unknown-category", "error", "--out", Path.Combine(root, "refused-file-out.csv"));
        Assert.True(run.ExitCode == 2, run.ToString());
        string prefix = $"ntk predict: error: {file}: row 1: ";
        string line = Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal));
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return line[prefix.Length..];
    }

    [Fact]
    public async Task Unknown_category_error_on_parts_refuses_the_first_partition_with_one_naming_file_line_and_column_and_publishes_nothing()
    {
        string model = _dir.PathOf("model.json");
        Assert.Equal(0, (await Fit(Fixture("cars-train.csv"), model, "--solver", "exact")).ExitCode);
        string parts = UnseenInLaterParts(_dir.Path, "unseen");
        string expected = await FileRefusalOfCoupe(_dir.Path, model);
        Assert.StartsWith("column 'body' has category 'coupe', not seen in training", expected, StringComparison.Ordinal);
        string outDir = _dir.PathOf("out");
        var before = Directory.GetFileSystemEntries(_dir.Path);
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--unknown-category", "error", "--out", outDir);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"ntk predict: error: {Path.Combine(parts, "part-00001.csv")}:2:3: {expected}",
            Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal)));
        Assert.Empty(run.Stdout);
        Assert.False(Directory.Exists(outDir));
        // Nothing staged is left beside --out either.
        Assert.Equal(before.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(_dir.Path).Order(StringComparer.Ordinal));
        // Without the option the same parts are predicted, with the notice summed over the two parts that have 'coupe'.
        var zeros = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--out", outDir);
        Assert.True(zeros.ExitCode == 0, zeros.ToString());
        Assert.Equal($"ntk predict: notice: {parts}: 2 row(s) have a category not seen in training, encoded as all zeros: body (2)",
            Assert.Single(zeros.StderrLines, l => l.Contains("notice", StringComparison.Ordinal)));
    }

    public static TheoryData<string> BadCensuses => new() { "too many", "entirely missing", "clash" };

    [Theory]
    [MemberData(nameof(BadCensuses))]
    public async Task A_census_refusal_is_one_line_with_exit_code_2_and_no_model(string bad)
    {
        string dir = Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(dir);
        void Part(string name, string text) => File.WriteAllText(Path.Combine(dir, name), text);
        string[] extra = [];
        string command = "fit", expected;
        switch (bad)
        {
            case "too many":
                // 600 identifiers in each part: under the limit in either, 1200 together.
                Part("a.csv", "x,id,y\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"{i},id{i},1\n")));
                Part("b.csv", "x,id,y\n" + string.Concat(Enumerable.Range(600, 600).Select(i => $"{i},id{i},2\n")));
                expected = $"{dir}: column 'id' has 1200 categories, more than 1000 (one feature column each): an identifier or free text is no " +
                           "categorical feature; leave it out with --columns (--categorical is for a few numeric codes)";
                break;
            case "entirely missing":
                Part("a.csv", "x,k,y\n1,NA,1\n2,,2\n");
                Part("b.csv", "x,k,y\n3,NA,3\n");
                extra = ["--categorical", "k", "--missing", "drop"];
                expected = $"{dir}: categorical column 'k' is entirely missing (3 row(s)): leave it out with --columns";
                break;
            case "clash":
                Part("a.csv", "x,c,c=a,y\n1,a,0,1\n2,b,1,2\n");
                Part("b.csv", "x,c,c=a,y\n3,a,0,3\n");
                expected = $"{dir}: the one-hot column 'c=a' of categorical column 'c' clashes with a column of that name: rename one";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(bad), bad, null);
        }
        string modelPath = _dir.PathOf("model.json");
        var run = command == "fit"
            ? await Ntk.RunAsync(["fit", "--train", dir, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "20", "--model", modelPath, .. extra])
            : await Ntk.RunAsync(["predict", .. extra]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"ntk {command}: error: {expected}", Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal)));
        Assert.Empty(run.Stdout);
        Assert.False(File.Exists(modelPath));
    }
}

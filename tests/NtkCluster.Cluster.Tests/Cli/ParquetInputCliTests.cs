using System.Globalization;
using System.Text;
using System.Text.Json;
using NtkCluster.Numerics.Tests.Data;
using Parquet.Schema;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// Parquet files through the real command line: a fit on a Parquet file is bitwise the fit on the same numbers as
/// CSV (loaded or streamed), predict reads Parquet, <c>--columns</c> chooses columns of either format, and bad
/// Parquet input is one line on stderr with exit code 2 and no model.
/// </summary>
public sealed class ParquetInputCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The same rows as a Parquet file (x1 double, k int, x2 float, a string label, y double; row groups of 700) and
    /// as the CSV x1,k,x2,y of the values Parquet holds (x2 as the float it is stored as).
    /// </summary>
    private (string Parquet, string Csv) Write(string name, int rows, int seed)
    {
        var rng = new Random(seed);
        var x1 = new double[rows];
        var k = new int[rows];
        var x2 = new float[rows];
        var y = new double[rows];
        var label = new string[rows];
        var csv = new StringBuilder("x1,k,x2,y\n");
        for (int i = 0; i < rows; i++)
        {
            x1[i] = 4 * rng.NextDouble() - 2;
            k[i] = rng.Next(-3, 4);
            x2[i] = (float)(4 * rng.NextDouble() - 2);
            y[i] = Math.Sin(x1[i]) + x2[i] * x2[i] + 0.3 * k[i] + 0.1 * (rng.NextDouble() - 0.5);
            label[i] = $"item-{i}";
            csv.Append(R(x1[i])).Append(',').Append(k[i]).Append(',').Append(R(x2[i])).Append(',').Append(R(y[i])).Append('\n');
        }
        string parquet = ParquetTestFile.Write(_dir.PathOf(name + ".parquet"), 700,
            ParquetTestColumn.Of("x1", x1), ParquetTestColumn.Of("k", k), ParquetTestColumn.Strings("label", label),
            ParquetTestColumn.Of("x2", x2), ParquetTestColumn.Of("y", y));
        return (parquet, _dir.Write(name + ".csv", csv.ToString()));
    }

    private Task<CliRun> Fit(string train, string model, params string[] extra) =>
        Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "100", "--seed", "3",
            "--standardize", "--model", model, "--json", "--workers", "2", .. extra]);

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdoutLines[^1]);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task A_fit_on_Parquet_is_bitwise_the_fit_on_the_same_numbers_as_CSV_loaded_or_streamed()
    {
        var (trainParquet, trainCsv) = Write("train", 2600, seed: 1);
        var (testParquet, testCsv) = Write("test", 700, seed: 2);

        var csv = Json(await Fit(trainCsv, _dir.PathOf("csv.json"), "--test", testCsv));
        // Loaded whole, a string column is a categorical feature, as a CSV text column: one of 2600 identifiers is refused.
        var refused = await Fit(trainParquet, _dir.PathOf("parquet.json"), "--test", testParquet);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"ntk fit: error: {trainParquet}: column 'label' has 2600 categories, more than 1000 (one feature column each)", refused.Stderr);
        var loadedRun = await Fit(trainParquet, _dir.PathOf("parquet.json"), "--test", testParquet, "--columns", "x1,k,x2,y");
        var loaded = Json(loadedRun);
        var streamedRun = await Fit(trainParquet, _dir.PathOf("streamed.json"), "--test", testParquet, "--stream");
        var streamed = Json(streamedRun);

        string expected = File.ReadAllText(_dir.PathOf("csv.json"));
        Assert.Equal(expected, File.ReadAllText(_dir.PathOf("parquet.json")));
        Assert.Equal(expected, File.ReadAllText(_dir.PathOf("streamed.json")));
        Assert.True(streamed.GetProperty("streamed").GetBoolean());
        foreach (var run in new[] { loaded, streamed })
        {
            Assert.Equal(csv.GetProperty("train_mse").GetDouble(), run.GetProperty("train_mse").GetDouble());
            Assert.Equal(csv.GetProperty("test_mse").GetDouble(), run.GetProperty("test_mse").GetDouble());
            Assert.Equal(2600, run.GetProperty("n_train").GetInt32());
        }
        Assert.Contains($"ntk fit: note: {trainParquet}: skipped 1 non-numeric column(s): label (string) (--columns chooses columns)", streamedRun.StderrLines);
    }

    [Fact]
    public async Task Columns_chooses_the_same_data_from_Parquet_and_CSV_and_predict_reads_Parquet()
    {
        var (parquet, csv) = Write("data", 900, seed: 5);

        var fromCsv = await Fit(csv, _dir.PathOf("csv.json"), "--columns", "x2,y,x1", "--target", "y");
        var fromParquet = await Fit(parquet, _dir.PathOf("parquet.json"), "--columns", "x2,y,x1", "--target", "y");
        Json(fromCsv);
        Json(fromParquet);
        Assert.DoesNotContain(fromParquet.StderrLines, l => l.Contains("skipped"));
        string model = File.ReadAllText(_dir.PathOf("csv.json"));
        Assert.Equal(model, File.ReadAllText(_dir.PathOf("parquet.json")));
        using (var doc = JsonDocument.Parse(model))
            Assert.Equal(["x2", "x1"], doc.RootElement.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var csvPredictions = await Ntk.RunAsync("predict", "--model", _dir.PathOf("csv.json"), "--data", csv, "--columns", "x1,x2", "--workers", "1");
        var parquetPredictions = await Ntk.RunAsync("predict", "--model", _dir.PathOf("csv.json"), "--data", parquet, "--columns", "x1,x2,y", "--workers", "1");
        Assert.True(csvPredictions.ExitCode == 0, csvPredictions.ToString());
        Assert.True(parquetPredictions.ExitCode == 0, parquetPredictions.ToString());
        Assert.Equal(901, csvPredictions.StdoutLines.Length);
        Assert.Equal(csvPredictions.Stdout, parquetPredictions.Stdout);
    }

    [Fact]
    public async Task The_real_flights_row_group_fits_with_a_note_about_its_text_columns()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "flights-parquet", "flights-rg0.parquet");
        var run = await Ntk.RunAsync("fit", "--train", path, "--target", "delay", "--kernel", "rbf:gamma=0.5", "--lambda", "1",
            "--features", "16", "--standardize", "--stream", "--json", "--workers", "2");

        var json = Json(run);
        Assert.Equal(272_727, json.GetProperty("n_train").GetInt32());
        Assert.Equal($"ntk fit: note: {path}: skipped 2 non-numeric column(s): origin (string), destination (string) (--columns chooses columns)",
            Assert.Single(run.StderrLines, l => l.Contains("note:")));
        Assert.Contains(run.StderrLines, l => l.Contains("272727 training rows × 2 features"));
        // Predicting the mean gives the delay's variance (about 986 in these data); the fit must do no worse.
        Assert.InRange(json.GetProperty("train_mse").GetDouble(), 100, 1200);
    }

    /// <summary>Exit 2, one line on stderr that contains <paramref name="mustContain"/>, nothing on stdout, no model.</summary>
    private void AssertRefused(CliRun run, string model, params string[] mustContain)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.True(run.StderrLines.Length == 1, $"expected one line on stderr\n{run}");
        Assert.Equal("", run.Stdout);
        foreach (var text in mustContain) Assert.Contains(text, run.StderrLines[0]);
        Assert.False(File.Exists(model));
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bad_Parquet_input_is_one_line_with_exit_code_2_loaded_or_streamed(bool stream)
    {
        var (parquet, _) = Write("data", 1500, seed: 7);
        string model = _dir.PathOf("model.json");
        string[] how = stream ? ["--stream"] : [];

        AssertRefused(await Fit(parquet, model, ["--columns", "x1,nope,y", .. how]), model,
            $"ntk fit: error: {parquet}: no column 'nope' (columns: x1, k, label, x2, y)");
        // Loaded whole a string column is categorical (and 1500 identifiers are too many categories); streamed it is refused.
        AssertRefused(await Fit(parquet, model, ["--columns", "x1,label,y", .. how]), model, stream
            ? $"ntk fit: error: {parquet}: column 'label' holds string values, not numbers"
            : $"ntk fit: error: {parquet}: column 'label' has 1500 categories, more than 1000");
        AssertRefused(await Fit(parquet, model, ["--columns", "x1,x2", "--target", "y", .. how]), model,
            "ntk fit: error: --target 'y' is not one of --columns (x1,x2)");

        byte[] bytes = File.ReadAllBytes(parquet);
        string truncated = _dir.PathOf("truncated.parquet");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);
        AssertRefused(await Fit(truncated, model, how), model, $"ntk fit: error: {truncated}: not a complete Parquet file");

        string notParquet = _dir.Write("table.parquet", "x,y\n1,2\n3,4\n");
        AssertRefused(await Fit(notParquet, model, how), model, $"ntk fit: error: {notParquet}: not a Parquet file (it does not start with the bytes PAR1)");

        var withNull = Enumerable.Range(0, 1500).Select(i => i == 1111 ? null : (double?)i).ToArray();
        string nulls = ParquetTestFile.Write(_dir.PathOf("nulls.parquet"), 500,
            ParquetTestColumn.Nullable("x", withNull), ParquetTestColumn.Of("y", Enumerable.Range(0, 1500).Select(i => i / 100.0).ToArray()));
        // Loaded whole, nulls are missing values, counted per column; streamed, the first one stops the file.
        AssertRefused(await Fit(nulls, model, how), model, stream
            ? $"ntk fit: error: {nulls}: row 1112, column 'x': a null (missing value)"
            : $"ntk fit: error: {nulls}: missing values in x (1): use --missing drop|mean|median");
    }

    [Fact]
    public async Task A_timestamp_column_is_read_as_seconds_since_the_epoch()
    {
        var start = new DateTime(2001, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var times = Enumerable.Range(0, 300).Select(i => start.AddSeconds(90 * i)).ToArray();
        var y = Enumerable.Range(0, 300).Select(i => Math.Sin(i / 30.0)).ToArray();
        string parquet = ParquetTestFile.Write(_dir.PathOf("times.parquet"), 128,
            ParquetTestColumn.Of(new DateTimeDataField("t", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis), times),
            ParquetTestColumn.Of("y", y));
        double epoch = (start - DateTime.UnixEpoch).TotalSeconds;
        var csv = new StringBuilder("t,y\n");
        for (int i = 0; i < 300; i++) csv.Append(R(epoch + 90 * i)).Append(',').Append(R(y[i])).Append('\n');
        string csvPath = _dir.Write("times.csv", csv.ToString());

        Json(await Fit(parquet, _dir.PathOf("parquet.json")));
        Json(await Fit(csvPath, _dir.PathOf("csv.json")));
        Assert.Equal(File.ReadAllText(_dir.PathOf("csv.json")), File.ReadAllText(_dir.PathOf("parquet.json")));
    }
}

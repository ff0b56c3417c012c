using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NtkCluster.Cluster.Tests.Determinism;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk predict --data DIR|GLOB --out DIR</c> through the real command line: one part per input partition, named
/// in partition order, whose rows put end to end are byte for byte the single-file predictions of the concatenated
/// data, for any number of workers; a classifier's labels too; and bad inputs or an output directory in use refused
/// with one line, exit code 2 and nothing written.
/// </summary>
public sealed class PartitionedPredictCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A fitted model (scaled targets, so predictions are mapped back to the target's units) and its path.</summary>
    private async Task<string> FitAsync(string train, params string[] extra)
    {
        string model = _dir.PathOf("model.json");
        var run = await Ntk.RunAsync(["fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--features", "120", "--seed", "4",
            "--standardize", "--scale-target", "--model", model, .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return model;
    }

    /// <summary>The CSV files of a directory of parts put end to end: the first one's header, then every file's rows.</summary>
    private static string Concatenated(string directory, string pattern)
    {
        var sb = new StringBuilder();
        foreach (var (file, i) in Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal).Select((f, i) => (f, i)))
        {
            string text = File.ReadAllText(file);
            sb.Append(i == 0 ? text : text[(text.IndexOf('\n') + 1)..]);
        }
        return sb.ToString();
    }

    /// <summary>Runs <c>ntk predict</c> on a single file, to stdout.</summary>
    private static async Task<string> SingleFileAsync(string model, string data)
    {
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", data);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    /// <summary>The names in a directory, hidden ones included, sorted.</summary>
    private static string[] Names(string directory) =>
        Directory.GetFileSystemEntries(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Checks the output directory: the parts, named in partition order, each with the header, and the manifest.</summary>
    private static void AssertParts(string output, int[] rows, string single)
    {
        var names = Enumerable.Range(0, rows.Length).Select(i => $"part-{i:D5}.csv").ToArray();
        Assert.Equal((string[])["_SUCCESS", .. names], Names(output));
        string header = single[..(single.IndexOf('\n') + 1)];
        var manifest = File.ReadAllLines(Path.Combine(output, "_SUCCESS"));
        Assert.Equal(rows.Length, manifest.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(output, names[i]));
            string text = Encoding.UTF8.GetString(bytes);
            Assert.StartsWith(header, text, StringComparison.Ordinal);
            Assert.Equal(rows[i], text.Count(c => c == '\n') - 1);
            string checksum = Convert.ToHexString(SHA256.HashData(bytes), 0, 16).ToLowerInvariant();
            Assert.Equal($"{names[i]}\t{rows[i]}\t{bytes.Length}\t{checksum}", manifest[i]);
        }
        // Byte for byte: the parts' rows end to end are the single file's rows (every double in round-trip form).
        Assert.Equal(single, Concatenated(output, "part-*.csv"));
    }

    [Fact]
    public async Task The_parts_of_a_CSV_directory_are_bitwise_the_predictions_of_the_concatenated_file_for_1_and_3_workers()
    {
        string model = await FitAsync(_dir.Write("train.csv", TestData.Csv(900, seed: 3)));
        int[] rows = [1300, 700, 2100];
        string data = PartitionedFitTests.Parts(_dir, "data", seed: 20, rows);
        string single = await SingleFileAsync(model, _dir.Write("all.csv", Concatenated(data, "part-*.csv")));
        Assert.Equal(4101, single.Count(c => c == '\n'));

        foreach (string workers in new[] { "1", "3" })
        {
            string output = _dir.PathOf($"predictions-{workers}");
            var run = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--out", output, "--workers", workers);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("", run.Stdout);
            Assert.Contains($"ntk predict: 3 partition(s) of {data} (3 CSV file(s))", run.StderrLines);
            Assert.Contains($"ntk predict: 4100 predictions written to {output} (3 part(s), part-00000.csv first)", run.StderrLines);
            AssertParts(output, rows, single);
        }
        // A quoted glob names the same parts; an existing empty directory (a mount point) receives them.
        string empty = Directory.CreateDirectory(_dir.PathOf("mounted")).FullName;
        var glob = await Ntk.RunAsync("predict", "--model", model, "--data", Path.Combine(data, "part-*.csv"), "--out", empty, "--quiet");
        Assert.True(glob.ExitCode == 0, glob.ToString());
        AssertParts(empty, rows, single);
        // Nothing else was left next to the outputs (no staging directory).
        Assert.Equal(["all.csv", "data", "model.json", "mounted", "predictions-1", "predictions-3", "train.csv"], Names(_dir.Path));
    }

    [Fact]
    public async Task A_Parquet_file_gives_one_part_per_row_group_bitwise_its_single_file_predictions()
    {
        string model = await FitAsync(_dir.Write("train.csv", TestData.Csv(600, seed: 5)));
        var rng = new Random(8);
        double[] Column() => Enumerable.Range(0, 2500).Select(_ => 4 * rng.NextDouble() - 2).ToArray();
        string dir = Directory.CreateDirectory(_dir.PathOf("pq")).FullName;
        // The target column may be present, in any position; the features in any order.
        string file = ParquetTestFile.Write(Path.Combine(dir, "rows.parquet"), 1000,
            ParquetTestColumn.Of("x3", Column()), ParquetTestColumn.Of("y", Column()), ParquetTestColumn.Of("x1", Column()), ParquetTestColumn.Of("x2", Column()));
        string single = await SingleFileAsync(model, file);

        string output = _dir.PathOf("out");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", dir, "--out", output);
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertParts(output, [1000, 1000, 500], single);
    }

    private static string Blobs(int perClass, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("x1,x2,label\n");
        (double X, double Y, int Label)[] centres = [(0, 0, 1), (4, 0, 4), (0, 4, 9)];
        for (int i = 0; i < perClass; i++)
            foreach (var (cx, cy, label) in centres)
                sb.Append(string.Create(CultureInfo.InvariantCulture, $"{cx + 2 * rng.NextDouble() - 1:R},{cy + 2 * rng.NextDouble() - 1:R},{label}\n"));
        return sb.ToString();
    }

    [Fact]
    public async Task A_classifier_writes_its_labels_per_part_as_it_does_for_one_file()
    {
        string model = _dir.PathOf("clf.json");
        var fit = await Ntk.RunAsync("fit", "--train", _dir.Write("train.csv", Blobs(30, 1)), "--task", "classify", "--kernel", "rbf:gamma=0.5",
            "--lambda", "0.01", "--features", "60", "--model", model);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        string data = Directory.CreateDirectory(_dir.PathOf("blobs")).FullName;
        File.WriteAllText(Path.Combine(data, "a.csv"), Blobs(400, 2));
        File.WriteAllText(Path.Combine(data, "b.csv"), Blobs(150, 3));
        string single = await SingleFileAsync(model, _dir.Write("all.csv", Concatenated(data, "*.csv")));
        Assert.StartsWith("label\n", single, StringComparison.Ordinal);

        string output = _dir.PathOf("labels");
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--out", output, "--workers", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertParts(output, [1200, 450], single);
    }

    public static TheoryData<string> BadInputs => new() { "columns", "empty dir", "glob", "empty part", "out not empty", "out is a file", "no out" };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_or_an_output_in_use_is_one_line_with_exit_code_2_and_nothing_written(string bad)
    {
        string model = await FitAsync(_dir.Write("train.csv", TestData.Csv(300, seed: 3)));
        string data = PartitionedFitTests.Parts(_dir, "data", seed: 20, 500, 400);
        string output = _dir.PathOf("out");
        string[] outArgs = ["--out", output];
        string expected;
        switch (bad)
        {
            case "columns":
                foreach (string part in Directory.GetFiles(data, "*.csv"))
                    File.WriteAllText(part, File.ReadAllText(part).Replace("x1,x2,x3,y", "x1,x2,z,y", StringComparison.Ordinal));
                expected = $"{Path.Combine(data, "part-00000.csv")}: missing column 'x3' that the model was trained on";
                break;
            case "empty dir":
                data = Directory.CreateDirectory(_dir.PathOf("nothing")).FullName;
                expected = $"{data}: no data files in the directory (it reads *.parquet or *.csv files)";
                break;
            case "glob":
                data = Path.Combine(data, "piece-*.csv");
                expected = $"no files match {data}";
                break;
            case "empty part":
                File.WriteAllText(Path.Combine(data, "part-00002.csv"), "x1,x2,x3,y\n");
                expected = $"{Path.Combine(data, "part-00002.csv")}:1: the file has a header but no data rows";
                break;
            case "out not empty":
                Directory.CreateDirectory(output);
                File.WriteAllText(Path.Combine(output, "part-00000.csv"), "old");
                expected = $"--out {output} already exists and is not empty: name a new or empty directory (old and new parts are never mixed)";
                break;
            case "out is a file":
                File.WriteAllText(output, "old");
                expected = $"--out {output} is a file: a partitioned dataset's predictions go to a directory, one part per partition";
                break;
            default:
                outArgs = [];
                expected = $"--data {data} is a partitioned dataset (a directory or glob): give --out DIR for its predictions, one part per partition";
                break;
        }
        var before = Snapshot();
        var run = await Ntk.RunAsync(["predict", "--model", model, "--data", data, .. outArgs, "--workers", "2"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"ntk predict: error: {expected}", Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal)));
        Assert.DoesNotContain(run.StderrLines, l => l.Contains(" at ", StringComparison.Ordinal));
        Assert.Empty(run.Stdout);
        // Nothing written, nothing removed: every file as it was, and no output or staging directory.
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Every file and directory under the test's directory, hidden ones included, with its content.</summary>
    private string[] Snapshot() =>
        Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => Path.GetRelativePath(_dir.Path, p) + (File.Exists(p) ? ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "/"))
            .ToArray();
}

using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// <c>ntk predict --keep</c> on a partitioned <c>--data</c> (issue 16): every part starts with the kept columns,
/// verbatim and quoted as for one file, and the parts put end to end (one header) are byte for byte the in-memory
/// predict of the same rows as one file — CSV parts (text IDs with commas and quotes) and a Parquet file's row groups.
/// </summary>
public sealed class PartitionedKeepCliTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ModelAsync()
    {
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", _dir.Write("train.csv", TestData.Csv(300, seed: 1)), "--kernel", "rbf:gamma=0.5",
            "--lambda", "0.1", "--features", "40", "--standardize", "--scale-target", "--model", model, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        return model;
    }

    /// <summary>
    /// Rows of <see cref="TestData.Csv"/> with a text column in front (a comma and a quote in some cells, blanks at the
    /// ends of others) and an ID with leading zeros behind; <paramref name="first"/> numbers the rows across parts.
    /// </summary>
    private static string WithIds(int rows, int seed, int first)
    {
        var lines = TestData.Csv(rows, seed).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var sb = new StringBuilder("name," + lines[0] + ",id\n");
        for (int i = 1; i < lines.Length; i++)
        {
            int n = first + i - 1;
            string name = (n % 3) switch { 0 => $"\"O\"\"Brien, {n}\"", 1 => $"\" pad {n} \"", _ => $"plain{n}" };
            sb.Append(name).Append(',').Append(lines[i]).Append(",000").Append(n.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The parts of an output directory end to end, each one's header dropped but the first's.</summary>
    private static string Joined(string directory)
    {
        var parts = Directory.GetFiles(directory, "part-*.csv").Order(StringComparer.Ordinal).ToArray();
        Assert.True(parts.Length > 1, $"{parts.Length} part(s) in {directory}");
        var sb = new StringBuilder();
        for (int i = 0; i < parts.Length; i++)
        {
            string text = File.ReadAllText(parts[i]);
            Assert.StartsWith("id,name,", text, StringComparison.Ordinal);
            sb.Append(i == 0 ? text : text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        }
        return sb.ToString();
    }

    [Fact]
    public async Task Predict_keep_on_csv_parts_writes_each_part_as_the_in_memory_predict_writes_those_rows()
    {
        string model = await ModelAsync();
        // Parts across the 1024-row blocks, so a block's rows come from two parts.
        int[] sizes = [1300, 700, 2100];
        string parts = _dir.PathOf("parts");
        Directory.CreateDirectory(parts);
        var whole = new StringBuilder();
        for (int i = 0, first = 0; i < sizes.Length; first += sizes[i], i++)
        {
            string text = WithIds(sizes[i], 30 + i, first);
            File.WriteAllText(Path.Combine(parts, $"part-{i:D5}.csv"), text);
            whole.Append(i == 0 ? text : text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        }
        string file = _dir.Write("whole.csv", whole.ToString());

        var memory = await Ntk.RunAsync("predict", "--model", model, "--data", file, "--keep", "id,name", "--out", _dir.PathOf("memory.csv"), "--quiet");
        Assert.True(memory.ExitCode == 0, memory.ToString());
        var partitioned = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--keep", "id,name", "--out", _dir.PathOf("out"),
            "--workers", "2", "--quiet");
        Assert.True(partitioned.ExitCode == 0, partitioned.ToString());

        string expected = File.ReadAllText(_dir.PathOf("memory.csv"));
        Assert.StartsWith("id,name,prediction\n0000,\"O\"\"Brien, 0\",", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Joined(_dir.PathOf("out")));
        Assert.Equal(sizes.Sum() + 1, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Predict_keep_on_the_row_groups_of_a_parquet_file_writes_the_in_memory_bytes()
    {
        string model = await ModelAsync();
        var csv = TestData.Csv(2500, seed: 9).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = csv[0].Split(',');
        var numbers = csv.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var columns = new List<ParquetTestColumn> { ParquetTestColumn.Strings("name", numbers.Select((_, i) => $"A;{i}, \"b\"").ToArray()) };
        for (int c = 0; c < header.Length; c++) columns.Add(ParquetTestColumn.Of(header[c], numbers.Select(r => r[c]).ToArray()));
        columns.Add(ParquetTestColumn.Of("id", numbers.Select((_, i) => 9_000_000_000L + i).ToArray()));
        string parts = _dir.PathOf("pq");
        Directory.CreateDirectory(parts);
        // Three row groups, three partitions.
        string file = ParquetTestFile.Write(Path.Combine(parts, "rows.parquet"), 1000, [.. columns]);

        var memory = await Ntk.RunAsync("predict", "--model", model, "--data", file, "--keep", "id,name", "--out", _dir.PathOf("memory.csv"), "--quiet");
        Assert.True(memory.ExitCode == 0, memory.ToString());
        var partitioned = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--keep", "id,name", "--out", _dir.PathOf("out"), "--quiet");
        Assert.True(partitioned.ExitCode == 0, partitioned.ToString());

        string expected = File.ReadAllText(_dir.PathOf("memory.csv"));
        Assert.StartsWith("id,name,prediction\n9000000000,\"A;0, \"\"b\"\"\",", expected, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(_dir.PathOf("out"), "part-*.csv").Length);
        Assert.Equal(expected, Joined(_dir.PathOf("out")));
    }

    [Fact]
    public async Task Predict_keep_of_an_unknown_column_on_parts_is_one_line_exit_2_and_writes_nothing()
    {
        string model = await ModelAsync();
        string parts = _dir.PathOf("parts");
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(parts, "part-00000.csv"), WithIds(20, 3, 0));
        File.WriteAllText(Path.Combine(parts, "part-00001.csv"), WithIds(20, 4, 20));
        var run = await Ntk.RunAsync("predict", "--model", model, "--data", parts, "--keep", "id,nope", "--out", _dir.PathOf("out"));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines, l => l.Contains("error", StringComparison.Ordinal));
        Assert.Contains("--keep 'nope' is not a column of", line);
        Assert.False(Directory.Exists(_dir.PathOf("out")));
    }
}

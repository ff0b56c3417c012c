using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// Reading partitions in order gives exactly the rows of reading the files one after another, whatever the split
/// size, and a bad file is refused with the message — file, real line, column — that reading it whole gives.
/// </summary>
public sealed class PartitionReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>All rows of a sequence of readers, as (features, targets) per row, in order.</summary>
    private static List<(double[] X, double[] Y)> Rows(IEnumerable<IRowBlockReader> readers)
    {
        var rows = new List<(double[], double[])>();
        foreach (var reader in readers)
        {
            using (reader)
            {
                while (reader.ReadBlock() is { } block)
                    for (int r = 0; r < block.Rows; r++) rows.Add((block.X.Row(r).ToArray(), block.Y.Row(r).ToArray()));
            }
        }
        return rows;
    }

    private static void AssertSameRows(List<(double[] X, double[] Y)> expected, List<(double[] X, double[] Y)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].X, actual[i].X);
            Assert.Equal(expected[i].Y, actual[i].Y);
        }
    }

    /// <summary>A CSV file of random numbers with the untidy parts a real file has: CRLF or LF, spaces, quotes, trailing blank lines.</summary>
    private static string RandomCsv(System.Random rng, int rows, bool crlf)
    {
        string eol = crlf ? "\r\n" : "\n";
        var text = new StringBuilder($"x1,\"x2\", name ,y{eol}");
        for (int i = 0; i < rows; i++)
        {
            string x1 = (rng.NextDouble() * 1e4 - 5e3).ToString("R", CultureInfo.InvariantCulture);
            string x2 = rng.Next(3) == 0 ? $"\"{rng.Next(100)}\"" : $" {rng.Next(-50, 50)}e-2 ";
            string name = rng.Next(2) == 0 ? "some text" : "\"a, quoted \"\"name\"\"\"";
            text.Append(CultureInfo.InvariantCulture, $"{x1},{x2},{name},{rng.NextDouble()}{eol}");
        }
        if (rng.Next(2) == 0) text.Append(eol).Append("  ").Append(eol);
        return text.ToString();
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 97)]
    [InlineData(3, 500)]
    [InlineData(4, 100_000)] // one range per file
    public void A_csv_directory_read_partition_by_partition_gives_the_rows_of_its_files_read_one_after_another(int seed, long splitSize)
    {
        var rng = new System.Random(seed);
        string dir = Path.Combine(_dir.Path, "csv");
        Directory.CreateDirectory(dir);
        for (int f = 0; f < 4; f++) File.WriteAllText(Path.Combine(dir, $"part-{f:00000}.csv"), RandomCsv(rng, rng.Next(1, 120), crlf: f % 2 == 1));
        string[] columns = ["y", "x2", "x1"];

        var data = PartitionedDataset.Resolve(dir, splitSize);
        var expected = Rows(data.Files.Select(f => (IRowBlockReader)CsvRowBlockReader.OpenTraining(f, ["y"], 7, columns)));
        var actual = Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, ["y"], columns, blockSize: 7)));
        AssertSameRows(expected, actual);
        if (splitSize < 100) Assert.True(data.Partitions.Count > 8, $"{data.Partitions.Count} partitions");

        // The counting pass agrees with the rows read, partition by partition.
        var counted = data.CountRows();
        Assert.Equal(expected.Count, counted.RowCount);
        foreach (var p in counted.Partitions)
            Assert.Equal(p.RowCount, Rows([PartitionReader.OpenTraining(p, ["y"], columns)]).Count);

        // Test-file rules: the columns by name, in any order.
        var matching = Rows(data.Partitions.Select(p => PartitionReader.OpenMatching(p, ["x2", "x1"], ["y"], columns, blockSize: 5)));
        AssertSameRows(expected, matching);
    }

    [Fact]
    public void Blocks_are_numbered_within_their_partition()
    {
        string path = _dir.Write("d.csv", PartitionedDatasetTests.Csv(0, 100));
        var data = PartitionedDataset.Resolve(path, splitSize: 300).CountRows();
        foreach (var p in data.Partitions)
        {
            var blocks = PartitionReader.TrainingBlocks(p, null, blockSize: 4).ToList();
            Assert.Equal(Enumerable.Range(0, blocks.Count), blocks.Select(b => b.Index));
            Assert.Equal(Enumerable.Range(0, blocks.Count).Select(b => 4 * b), blocks.Select(b => b.FirstRow));
            // Column a holds the row's index in the file: the partition's first row plus the row within it.
            Assert.Equal((double)p.FirstRow!.Value, blocks[0].X[0, 0]);
        }
    }

    /// <summary>The message of reading a whole file, and of reading its partitions in order.</summary>
    private (string Whole, string Partitioned) Messages(string text, long splitSize, bool counted = false)
    {
        string path = _dir.Write($"bad-{Guid.NewGuid():N}.csv", text);
        var whole = Assert.ThrowsAny<InvalidInputException>(() => Rows([CsvRowBlockReader.OpenTraining(path, null, 3)]));
        var data = PartitionedDataset.Resolve(path, splitSize);
        Assert.True(data.Partitions.Count > 2, $"{data.Partitions.Count} partitions");
        if (counted) data = data.WithCounts(data.Partitions.Select(PartitionReader.Count).ToList());
        var parts = Assert.ThrowsAny<InvalidInputException>(() => Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, null, blockSize: 3))));
        return (whole.Message, parts.Message);
    }

    private static string Lines(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i},{i}\n")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bad_cell_in_a_later_range_is_reported_at_its_real_line(bool counted)
    {
        string text = "a,b,y\n" + Lines(0, 60) + "7,NA,3\n" + Lines(61, 20);
        var (whole, partitioned) = Messages(text, 64, counted);
        Assert.EndsWith(".csv:62:2: column 'b': 'NA' is not a number (a missing value: --missing drop|mean|median drops or fills the rows that have one)", whole);
        Assert.Equal(whole, partitioned);
    }

    [Fact]
    public void A_ragged_row_after_crlf_and_lone_carriage_returns_is_reported_at_its_real_line()
    {
        string text = "a,b,y\r\n" + Lines(0, 30).Replace("\n", "\r\n") + "1,2,3\r3,4,5\r" + Lines(100, 30) + "1,2,3,4\n" + Lines(200, 5);
        var (whole, partitioned) = Messages(text, 50);
        Assert.Contains(":64:4: row has 4 fields, header has 3", whole);
        Assert.Equal(whole, partitioned);
    }

    [Fact]
    public void Blank_lines_between_rows_are_refused_across_a_range_boundary_at_the_first_of_them()
    {
        // Blank lines that run over several ranges, then more rows: the whole-file error, at the first blank line.
        string text = "a,b,y\n" + Lines(0, 20) + string.Concat(Enumerable.Repeat("   \n\n", 40)) + Lines(20, 20);
        var (whole, partitioned) = Messages(text, 48);
        Assert.EndsWith(":22: empty line between rows", whole);
        Assert.Equal(whole, partitioned);
    }

    [Fact]
    public void Blank_lines_at_the_end_of_a_split_file_are_allowed()
    {
        // White space of any kind, U+00A0 and U+3000 included, is blank to the parser and to the counting pass alike.
        string path = _dir.Write("trailing.csv", "a,b,y\n" + Lines(0, 20) + string.Concat(Enumerable.Repeat("  \r\n\n\u00a0\t\u3000\n", 20)));
        var data = PartitionedDataset.Resolve(path, 40);
        Assert.True(data.Partitions.Count > 3);
        Assert.Equal(20, Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, null))).Count);
        Assert.Equal(20, data.CountRows().RowCount);
    }

    [Fact]
    public void A_utf8_file_with_a_byte_order_mark_is_split_and_a_utf16_file_is_read_whole()
    {
        string text = "a,b,y\r\n" + Lines(0, 50).Replace("\n", "\r\n");
        string utf8 = _dir.PathOf("bom8.csv");
        File.WriteAllText(utf8, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var data = PartitionedDataset.Resolve(utf8, 64);
        Assert.True(data.Partitions.Count > 5);
        var expected = Rows([CsvRowBlockReader.OpenTraining(utf8, null, 8)]);
        AssertSameRows(expected, Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, null, blockSize: 8))));
        Assert.Equal(50, data.CountRows().RowCount);

        string utf16 = _dir.PathOf("bom16.csv");
        File.WriteAllText(utf16, text, Encoding.Unicode);
        var wide = PartitionedDataset.Resolve(utf16, 64);
        Assert.Single(wide.Partitions);
        Assert.Equal(50, wide.CountRows().RowCount);
        AssertSameRows(expected, Rows(wide.Partitions.Select(p => PartitionReader.OpenTraining(p, null, blockSize: 8))));
        File.WriteAllText(utf16, "a,b,y\r\n \r\n", Encoding.Unicode);
        Assert.Equal($"{utf16}:1: the file has a header but no data rows",
            Assert.Throws<DataFormatException>(() => PartitionedDataset.Resolve(utf16)).Message);
    }

    [Fact]
    public void A_column_chosen_for_a_partition_is_refused_as_for_the_whole_file()
    {
        string path = _dir.Write("cols.csv", "a,b,y\n" + Lines(0, 40));
        var data = PartitionedDataset.Resolve(path, 64);
        var e = Assert.Throws<InvalidInputException>(() => PartitionReader.OpenTraining(data.Partitions[2], null, ["a", "z"]));
        Assert.Equal($"{path}: no column 'z' (columns: a, b, y)", e.Message);
    }

    [Fact]
    public void A_file_changed_since_the_dataset_was_resolved_is_refused()
    {
        string path = _dir.Write("changing.csv", "a,b,y\n" + Lines(0, 40));
        var data = PartitionedDataset.Resolve(path, 64);
        File.WriteAllText(path, "a,b,y\n" + Lines(0, 41));
        var grown = Assert.Throws<InvalidInputException>(() => PartitionReader.OpenTraining(data.Partitions[1], null));
        Assert.StartsWith($"{path}: the file changed since the job started (its size was", grown.Message);

        // Same size, new content, new time.
        data = PartitionedDataset.Resolve(path, 64);
        File.WriteAllText(path, "a,b,y\n" + Lines(0, 41).Replace('1', '2'));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var edited = Assert.Throws<InvalidInputException>(() => PartitionReader.OpenTraining(data.Partitions[1], null));
        Assert.Equal($"{path}: the file changed since the job started (its content differs); restart the job", edited.Message);

        // Touched only: the same content is read.
        data = PartitionedDataset.Resolve(path, 64);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(2));
        Assert.NotEmpty(Rows([PartitionReader.OpenTraining(data.Partitions[1], null)]));
    }

    [Fact]
    public void A_symbolic_link_to_a_data_file_is_fingerprinted_and_read_as_its_target()
    {
        string target = _dir.Write("real.csv", "a,b,y\n" + Lines(0, 40));
        string link = _dir.PathOf("link.csv");
        File.CreateSymbolicLink(link, target);
        var viaLink = PartitionedDataset.Resolve(link, 64);
        var direct = PartitionedDataset.Resolve(target, 64);
        Assert.Equal(new FileInfo(target).Length, viaLink.Partitions[0].Fingerprint.Size);
        Assert.Equal(direct.Partitions[0].Fingerprint, viaLink.Partitions[0].Fingerprint);
        AssertSameRows(Rows(direct.Partitions.Select(p => PartitionReader.OpenTraining(p, null))),
            Rows(viaLink.Partitions.Select(p => PartitionReader.OpenTraining(p, null))));

        // The target changing is seen through the link.
        File.WriteAllText(target, "a,b,y\n" + Lines(0, 41));
        var grown = Assert.Throws<InvalidInputException>(() => PartitionReader.OpenTraining(viaLink.Partitions[0], null));
        Assert.StartsWith($"{link}: the file changed since the job started (its size was", grown.Message);
    }

    private string WriteParquet(string name, int rows, int rowGroupSize, Func<int, double>? target = null) =>
        ParquetTestFile.Write(_dir.PathOf(name), rowGroupSize,
            ParquetTestColumn.Of("a", Enumerable.Range(0, rows).Select(i => (long)i).ToArray()),
            ParquetTestColumn.Strings("name", Enumerable.Range(0, rows).Select(i => $"row {i}").ToArray()),
            ParquetTestColumn.Of("b", Enumerable.Range(0, rows).Select(i => i / 8f).ToArray()),
            ParquetTestColumn.Of("y", Enumerable.Range(0, rows).Select(target ?? (i => -i / 3.0)).ToArray()));

    [Theory]
    [InlineData(1000, 300, 128)]
    [InlineData(1024, 256, 1000)]
    [InlineData(7, 1, 2)]
    public void A_multi_row_group_parquet_file_read_by_row_group_gives_the_rows_of_the_whole_file(int rows, int rowGroupSize, int blockSize)
    {
        string path = WriteParquet("rg.parquet", rows, rowGroupSize);
        var data = PartitionedDataset.Resolve(path);
        Assert.Equal((rows + rowGroupSize - 1) / rowGroupSize, data.Partitions.Count);
        Assert.Equal(["a", "name", "b", "y"], data.Columns);
        var expected = Rows([ParquetRowBlockReader.OpenTraining(path, null, null, blockSize)]);
        var actual = Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, null, blockSize: blockSize)));
        AssertSameRows(expected, actual);
        var chosen = Rows(data.Partitions.Select(p => PartitionReader.OpenMatching(p, ["a"], ["y"], ["y", "a"], blockSize)));
        Assert.Equal(expected.Select(r => r.X[0]), chosen.Select(r => r.X[0]));
        Assert.Equal(data.Partitions.Select(p => p.RowCount!.Value), data.Partitions.Select(p => PartitionReader.Count(p).Rows));
    }

    [Fact]
    public void A_parquet_directory_reads_as_its_files_one_after_another_and_notes_skipped_columns()
    {
        string dir = Path.Combine(_dir.Path, "pq");
        Directory.CreateDirectory(dir);
        for (int f = 0; f < 3; f++)
            ParquetTestFile.Write(Path.Combine(dir, $"part-{f:00000}-x.snappy.parquet"), 13,
                ParquetTestColumn.Of("a", Enumerable.Range(0, 30 + f).Select(i => (long)(100 * f + i)).ToArray()),
                ParquetTestColumn.Strings("name", Enumerable.Range(0, 30 + f).Select(i => "n").ToArray()),
                ParquetTestColumn.Of("y", Enumerable.Range(0, 30 + f).Select(i => i * 0.25).ToArray()));
        File.WriteAllText(Path.Combine(dir, "_SUCCESS"), "");
        var data = PartitionedDataset.Resolve(dir);
        Assert.Equal(9, data.Partitions.Count);
        var expected = Rows(data.Files.Select(f => (IRowBlockReader)ParquetRowBlockReader.OpenTraining(f, null, null, 10)));
        var notes = new List<string>();
        var actual = Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, null, null, notes.Add, 10)));
        AssertSameRows(expected, actual);
        Assert.Equal(93, actual.Count);
        Assert.Equal(9, notes.Count);
        Assert.EndsWith("part-00000-x.snappy.parquet: skipped 1 non-numeric column(s): name (string) (--columns chooses columns)", notes[0]);
    }

    [Fact]
    public void A_bad_value_in_a_later_row_group_is_reported_at_its_row_in_the_file()
    {
        string path = WriteParquet("bad.parquet", 100, 30, i => i == 75 ? double.NaN : i);
        var whole = Assert.Throws<InvalidInputException>(() => Rows([ParquetRowBlockReader.OpenTraining(path, null, null, 16)]));
        var data = PartitionedDataset.Resolve(path);
        var partition = Assert.Throws<InvalidInputException>(() => Rows([PartitionReader.OpenTraining(data.Partitions[2], null, null, null, 16)]));
        Assert.Equal($"{path}: row 76, column 'y': NaN is not a finite number; every cell must be a number", whole.Message);
        Assert.Equal(whole.Message, partition.Message);
        Assert.Equal(30, Rows([PartitionReader.OpenTraining(data.Partitions[1], null, null, null, 100)]).Count); // its neighbours are fine
    }

    [Fact]
    public void The_real_flights_file_reads_by_row_group_as_it_reads_whole()
    {
        string path = ParquetTableTests.FixturePath("flights-rg0.parquet");
        var data = PartitionedDataset.Resolve(path);
        Assert.Equal(272_727, data.RowCount);
        Assert.Single(data.Partitions); // the fixture is one row group: the file is its one partition
        string[] columns = ["distance", "date", "delay"];
        var expected = Rows([ParquetRowBlockReader.OpenTraining(path, ["delay"], columns, 4096)]);
        var actual = Rows(data.Partitions.Select(p => PartitionReader.OpenTraining(p, ["delay"], columns, blockSize: 4096)));
        AssertSameRows(expected, actual);
    }
}

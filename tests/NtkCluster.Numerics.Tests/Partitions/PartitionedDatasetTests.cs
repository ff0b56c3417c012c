using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// What a <c>--train</c>/<c>--test</c>/<c>--data</c> value resolves to: which files, in which order, cut into which
/// partitions, and the one-line refusals of a dataset that cannot be read as one.
/// </summary>
public sealed class PartitionedDatasetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string Csv(int firstRow, int rows, string header = "a,b,y")
    {
        var text = new StringBuilder(header + "\n");
        for (int i = firstRow; i < firstRow + rows; i++) text.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{-i}\n");
        return text.ToString();
    }

    private string Sub(string name)
    {
        string path = _dir.PathOf(name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Write(string directory, string name, string contents)
    {
        string path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        return path;
    }

    private static string Refusal(string source, long splitSize = PartitionedDataset.DefaultSplitSize)
    {
        var e = Assert.ThrowsAny<InvalidInputException>(() => PartitionedDataset.Resolve(source, splitSize));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void A_file_is_one_partition_when_smaller_than_the_split_size()
    {
        string path = _dir.Write("d.csv", Csv(0, 10));
        var data = PartitionedDataset.Resolve(path);
        Assert.Equal(DataFormat.Csv, data.Format);
        Assert.Equal([path], data.Files);
        Assert.Equal(["a", "b", "y"], data.Columns);
        var p = Assert.Single(data.Partitions);
        Assert.Equal((0, path, 0L, new FileInfo(path).Length, -1), (p.Index, p.Path, p.ByteStart, p.ByteEnd, p.RowGroup));
        Assert.Equal(0, p.FirstRow);
        Assert.Equal(0, p.LinesBefore);
        Assert.Null(p.RowCount); // CSV rows are known after a counting pass
        Assert.Equal(10, data.CountRows().RowCount);
        Assert.Equal(path, p.Name);
    }

    [Fact]
    public void A_spark_output_directory_reads_its_parts_in_name_order_and_ignores_markers_and_checksums()
    {
        string dir = Sub("spark");
        Write(dir, "part-00001-5c1f.c000.csv", Csv(3, 3));
        Write(dir, "part-00000-5c1f.c000.csv", Csv(0, 3));
        Write(dir, "part-00010-5c1f.c000.csv", Csv(6, 3));
        Write(dir, "_SUCCESS", "");
        Write(dir, "._SUCCESS.crc", "\0\0");
        Write(dir, ".part-00000-5c1f.c000.csv.crc", "crc");
        Write(dir, "_metadata", "PAR1 not really");
        Write(dir, "_temporary/0/part-00099.csv", Csv(100, 1));

        var data = PartitionedDataset.Resolve(dir);
        Assert.Equal(["part-00000-5c1f.c000.csv", "part-00001-5c1f.c000.csv", "part-00010-5c1f.c000.csv"],
            data.Files.Select(Path.GetFileName));
        Assert.Equal(Path.Combine(dir, "part-00000-5c1f.c000.csv"), data.Files[0]);
        Assert.Equal([0, 1, 2], data.Partitions.Select(p => p.Index));
        var counted = data.CountRows();
        Assert.Equal([0L, 3, 6], counted.Partitions.Select(p => p.FirstRow!.Value));
        Assert.Equal(9, counted.RowCount);
    }

    [Fact]
    public void Files_sort_by_ordinal_name_not_by_number()
    {
        string dir = Sub("pyarrow");
        foreach (string name in new[] { "part-2.csv", "part-10.csv", "part-1.csv", "Part-3.csv" }) Write(dir, name, Csv(0, 1));
        Assert.Equal(["Part-3.csv", "part-1.csv", "part-10.csv", "part-2.csv"],
            PartitionedDataset.Resolve(dir).Files.Select(Path.GetFileName));
    }

    [Fact]
    public void A_glob_matches_files_in_ordinal_order_and_a_double_star_descends()
    {
        string dir = Sub("g");
        Write(dir, "part-1.csv", Csv(0, 1));
        Write(dir, "part-0.csv", Csv(0, 1));
        Write(dir, "other.csv", Csv(0, 1));
        Write(dir, "_part-9.csv", Csv(0, 1));
        Write(dir, "y=2/x.parquet.csv", Csv(0, 1));
        Write(dir, "y=1/deeper/x.csv", Csv(0, 1));
        Write(dir, "y=1/x.csv", Csv(0, 1));
        Write(dir, ".hidden/x.csv", Csv(0, 1));

        var star = PartitionedDataset.Resolve(Path.Combine(dir, "part-*.csv"));
        Assert.Equal([Path.Combine(dir, "part-0.csv"), Path.Combine(dir, "part-1.csv")], star.Files);

        var all = PartitionedDataset.Resolve(Path.Combine(dir, "*.csv"));
        Assert.Equal(["other.csv", "part-0.csv", "part-1.csv"], all.Files.Select(Path.GetFileName)); // not _part-9.csv

        var deep = PartitionedDataset.Resolve(Path.Combine(dir, "**", "x.csv"));
        Assert.Equal([Path.Combine(dir, "y=1/deeper/x.csv"), Path.Combine(dir, "y=1/x.csv")], deep.Files);

        var one = PartitionedDataset.Resolve(Path.Combine(dir, "y=?", "x.csv"));
        Assert.Equal([Path.Combine(dir, "y=1/x.csv")], one.Files);
    }

    [Fact]
    public void A_large_csv_file_is_cut_at_line_starts_into_contiguous_ranges_that_cover_it()
    {
        string path = _dir.Write("big.csv", Csv(0, 200));
        byte[] bytes = File.ReadAllBytes(path);
        var data = PartitionedDataset.Resolve(path, splitSize: 300);
        var parts = data.Partitions;
        Assert.True(parts.Count > 5, $"{parts.Count} partitions");
        Assert.Equal(0, parts[0].ByteStart);
        Assert.Equal(bytes.Length, parts[^1].ByteEnd);
        for (int i = 0; i < parts.Count; i++)
        {
            Assert.Equal(i, parts[i].Index);
            if (i > 0)
            {
                Assert.Equal(parts[i - 1].ByteEnd, parts[i].ByteStart);
                Assert.Equal((byte)'\n', bytes[parts[i].ByteStart - 1]);
                // Hadoop's rule: the range holds the first line that starts at or after its nominal cut k·size.
                long cut = (parts[i].ByteStart + 299) / 300 * 300;
                Assert.True(parts[i].ByteStart - cut < 30, $"range {i} starts at {parts[i].ByteStart}, cut {cut}");
                Assert.Null(parts[i].FirstRow);
                Assert.Null(parts[i].LinesBefore);
            }
        }
        var counted = data.CountRows();
        Assert.Equal(200, counted.RowCount);
        Assert.Equal(200, counted.Partitions.Sum(p => p.RowCount!.Value));
        // Lines before a range: the header and the rows of the ranges before it.
        for (int i = 1; i < parts.Count; i++)
            Assert.Equal(counted.Partitions[i].FirstRow + 1, counted.Partitions[i].LinesBefore);
    }

    [Fact]
    public void Partitions_depend_on_the_files_alone()
    {
        string dir = Sub("same");
        Write(dir, "a.csv", Csv(0, 100));
        Write(dir, "b.csv", Csv(100, 50));
        var first = PartitionedDataset.Resolve(dir, 256);
        var second = PartitionedDataset.Resolve(dir, 256);
        Assert.Equal(first.Partitions, second.Partitions);
        Assert.Equal(first.Partitions.Select(p => p.ContentKey), second.Partitions.Select(p => p.ContentKey));
        Assert.Equal(first.Partitions.Count, first.Partitions.Select(p => p.ContentKey).Distinct().Count());
    }

    [Fact]
    public void A_header_longer_than_the_split_stays_with_its_first_row()
    {
        string header = string.Join(",", Enumerable.Range(0, 40).Select(i => $"column_{i}"));
        var text = new StringBuilder(header + "\n");
        for (int r = 0; r < 5; r++) text.AppendLine(string.Join(",", Enumerable.Range(0, 40).Select(i => (r * 40 + i).ToString(CultureInfo.InvariantCulture))));
        string path = _dir.Write("wide.csv", text.ToString());
        var counted = PartitionedDataset.Resolve(path, splitSize: 64).CountRows();
        Assert.All(counted.Partitions, p => Assert.True(p.RowCount >= 1, $"{p.Name}: {p.RowCount} rows"));
        Assert.Equal(5, counted.RowCount);
    }

    [Fact]
    public void A_missing_path_an_empty_directory_and_an_unmatched_glob_are_refused()
    {
        Assert.Equal($"file not found: {_dir.PathOf("nope.csv")}", Refusal(_dir.PathOf("nope.csv")));

        string empty = Sub("empty");
        Write(empty, "_SUCCESS", "");
        Write(empty, "part-00000.csv.gz", "zipped");
        Assert.Equal($"{empty}: no data files in the directory (it reads *.parquet or *.csv files; 'part-00000.csv.gz' is neither)", Refusal(empty));

        string pattern = Path.Combine(empty, "part-*.csv");
        Assert.Equal($"no files match {pattern}", Refusal(pattern));
        Assert.Equal($"no files match {_dir.PathOf("missing/*.csv")}", Refusal(_dir.PathOf("missing/*.csv")));
    }

    [Fact]
    public void Parquet_and_csv_mixed_are_refused()
    {
        string dir = Sub("mixed");
        Write(dir, "a.csv", Csv(0, 2));
        ParquetTestFile.Write(Path.Combine(dir, "b.parquet"), 10, ParquetTestColumn.Of("a", new[] { 1.0, 2.0 }));
        Assert.Equal($"{dir}: mixes Parquet and CSV files ({Path.Combine(dir, "b.parquet")} is Parquet, {Path.Combine(dir, "a.csv")} is CSV); a dataset is all one format",
            Refusal(dir));
    }

    [Fact]
    public void Parts_whose_columns_differ_are_refused_naming_the_first_differing_part_and_column()
    {
        string dir = Sub("cols");
        Write(dir, "p0.csv", Csv(0, 2));
        Write(dir, "p1.csv", Csv(0, 2));
        Write(dir, "p2.csv", Csv(0, 2, "a,c,y"));
        Write(dir, "p3.csv", Csv(0, 2, "a,b"));
        Assert.Equal($"{dir}: {Path.Combine(dir, "p2.csv")} has column 'c' where {Path.Combine(dir, "p0.csv")} has 'b' (column 2); every part must have the same columns",
            Refusal(dir));

        File.Delete(Path.Combine(dir, "p2.csv"));
        Assert.Equal($"{dir}: {Path.Combine(dir, "p3.csv")} has no column 'y' (column 3 of {Path.Combine(dir, "p0.csv")}); every part must have the same columns",
            Refusal(dir));
    }

    [Fact]
    public void Parquet_parts_whose_column_types_differ_are_refused()
    {
        string dir = Sub("types");
        ParquetTestFile.Write(Path.Combine(dir, "part-0.parquet"), 10,
            ParquetTestColumn.Of("a", new[] { 1L, 2L }), ParquetTestColumn.Of("y", new[] { 1.0, 2.0 }));
        ParquetTestFile.Write(Path.Combine(dir, "part-1.parquet"), 10,
            ParquetTestColumn.Of("a", new[] { 1, 2 }), ParquetTestColumn.Of("y", new[] { 1.0, 2.0 }));
        Assert.Equal($"{dir}: {Path.Combine(dir, "part-1.parquet")}: column 'a' holds Int32 values, but Int64 in {Path.Combine(dir, "part-0.parquet")}; every part must have the same column types",
            Refusal(dir));
    }

    [Fact]
    public void An_empty_part_is_refused()
    {
        string dir = Sub("emptypart");
        Write(dir, "p0.csv", Csv(0, 2));
        Write(dir, "p1.csv", "a,b,y\n\n");
        Assert.Equal($"{Path.Combine(dir, "p1.csv")}:1: the file has a header but no data rows", Refusal(dir));

        File.WriteAllText(Path.Combine(dir, "p1.csv"), "");
        Assert.Equal($"{Path.Combine(dir, "p1.csv")}:1: the file is empty; expected a header row of column names", Refusal(dir));

        string parquet = Sub("emptyparquet");
        ParquetTestFile.Write(Path.Combine(parquet, "p0.parquet"), 10, ParquetTestColumn.Of("a", new[] { 1.0 }));
        ParquetTestFile.Write(Path.Combine(parquet, "p1.parquet"), 10, ParquetTestColumn.Of("a", Array.Empty<double>()));
        Assert.Equal($"{Path.Combine(parquet, "p1.parquet")}: the file has no rows", Refusal(parquet));
    }

    [Fact]
    public void Parquet_partitions_are_row_groups_with_their_rows_known_from_the_footers()
    {
        string dir = Sub("pq");
        ParquetTestFile.Write(Path.Combine(dir, "part-00000.parquet"), 4, ParquetTestColumn.Of("a", Enumerable.Range(0, 10).Select(i => (double)i).ToArray()));
        ParquetTestFile.Write(Path.Combine(dir, "part-00001.parquet"), 5, ParquetTestColumn.Of("a", Enumerable.Range(0, 7).Select(i => (double)i).ToArray()));
        Write(dir, "_SUCCESS", "");
        var data = PartitionedDataset.Resolve(dir);
        Assert.Equal(DataFormat.Parquet, data.Format);
        Assert.Equal([(0, 0, 4L, 0L), (0, 1, 4, 4), (0, 2, 2, 8), (1, 0, 5, 10), (1, 1, 2, 15)],
            data.Partitions.Select(p => (data.Files.ToList().IndexOf(p.Path), p.RowGroup, p.RowCount!.Value, p.FirstRow!.Value)));
        Assert.Equal(17, data.RowCount);
        Assert.Same(data, data.CountRows());
        Assert.EndsWith("part-00000.parquet, row group 1", data.Partitions[1].Name);
    }
}

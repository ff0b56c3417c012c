using System.Globalization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Parquet.Schema;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// <see cref="ParquetTable"/> and <see cref="DataFile"/>: values of the real flights file against the CSV made from
/// it, every numeric column type, <c>--columns</c>, and the one-line errors for nulls, NaN, wrong columns and files
/// that are not (complete) Parquet.
/// </summary>
public sealed class ParquetTableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "flights-parquet", name);

    /// <summary>The sampled rows of flights-3m.csv: row index, distance, hour, day_of_year, delay (make_flights_parquet.py).</summary>
    internal static IEnumerable<double[]> CsvSample() => File.ReadLines(FixturePath("flights-rg0-sample.csv")).Skip(1)
        .Select(line => line.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());

    [Fact]
    public void The_real_flights_row_group_reads_as_the_csv_made_from_it_has_it()
    {
        var table = ParquetTable.Read(FixturePath("flights-rg0.parquet"));

        Assert.Equal(["date", "delay", "distance"], table.Columns);
        Assert.Equal(["origin (string)", "destination (string)"], table.SkippedColumns);
        Assert.Equal(272_727, table.RowCount);
        int checkedRows = 0;
        foreach (var sample in CsvSample())
        {
            int row = (int)sample[0];
            double seconds = table.Values[row * 3 + 0], delay = table.Values[row * 3 + 1], distance = table.Values[row * 3 + 2];
            Assert.Equal(sample[1], distance);
            Assert.Equal(sample[4], delay);
            // The CSV's hour (3 decimals) and day of year were derived from the timestamp: seconds since the epoch, UTC.
            Assert.True(seconds == Math.Floor(seconds), $"row {row}: a whole number of seconds, got {seconds}");
            var time = DateTime.UnixEpoch.AddSeconds(seconds);
            Assert.Equal(2001, time.Year);
            Assert.Equal(sample[3], time.DayOfYear);
            Assert.Equal(sample[2], Math.Round(time.TimeOfDay.TotalHours, 3), 9);
            checkedRows++;
        }
        Assert.Equal(2813, checkedRows);
    }

    [Fact]
    public void Columns_chooses_and_orders_the_columns_read()
    {
        var all = ParquetTable.Read(FixturePath("flights-rg0.parquet"));
        var chosen = ParquetTable.Read(FixturePath("flights-rg0.parquet"), ["distance", "delay"]);

        Assert.Equal(["distance", "delay"], chosen.Columns);
        Assert.Empty(chosen.SkippedColumns);
        Assert.Equal(all.RowCount, chosen.RowCount);
        for (int r = 0; r < all.RowCount; r += 997)
        {
            Assert.Equal(all.Values[r * 3 + 2], chosen.Values[r * 2]);
            Assert.Equal(all.Values[r * 3 + 1], chosen.Values[r * 2 + 1]);
        }
    }

    [Fact]
    public void Every_numeric_type_reads_as_its_value_across_row_groups()
    {
        const int n = 1000;
        var longs = Enumerable.Range(0, n).Select(i => (long)i * 1_000_003 - 7).ToArray();
        var ints = Enumerable.Range(0, n).Select(i => i - 500).ToArray();
        var shorts = Enumerable.Range(0, n).Select(i => (short)(i * 3)).ToArray();
        var bytes = Enumerable.Range(0, n).Select(i => (byte)(i % 256)).ToArray();
        var floats = Enumerable.Range(0, n).Select(i => i * 0.1f).ToArray();
        var doubles = Enumerable.Range(0, n).Select(i => Math.Sqrt(i) - 3.25).ToArray();
        var decimals = Enumerable.Range(0, n).Select(i => i * 1.125m).ToArray();
        var times = Enumerable.Range(0, n).Select(i => new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(17 * i)).ToArray();
        var nullableWithoutNulls = Enumerable.Range(0, n).Select(i => (double?)(2.5 * i)).ToArray();
        string path = ParquetTestFile.Write(_dir.PathOf("types.parquet"), rowGroupSize: 333,
            ParquetTestColumn.Of("l", longs), ParquetTestColumn.Of("i", ints), ParquetTestColumn.Of("s", shorts), ParquetTestColumn.Of("b", bytes),
            ParquetTestColumn.Of("f", floats), ParquetTestColumn.Of("d", doubles), ParquetTestColumn.Of(new DecimalDataField("m", 12, 3), decimals),
            ParquetTestColumn.Of(new DateTimeDataField("t", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros), times),
            ParquetTestColumn.Nullable("o", nullableWithoutNulls), ParquetTestColumn.Strings("name", ints.Select(i => $"n{i}").ToArray()));

        var table = ParquetTable.Read(path);

        Assert.Equal(["l", "i", "s", "b", "f", "d", "m", "t", "o"], table.Columns);
        Assert.Equal(["name (string)"], table.SkippedColumns);
        int w = table.Columns.Count;
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(longs[r], table.Values[r * w + 0]);
            Assert.Equal(ints[r], table.Values[r * w + 1]);
            Assert.Equal(shorts[r], table.Values[r * w + 2]);
            Assert.Equal(bytes[r], table.Values[r * w + 3]);
            Assert.Equal((double)floats[r], table.Values[r * w + 4]);
            Assert.Equal(doubles[r], table.Values[r * w + 5]);
            Assert.Equal((double)decimals[r], table.Values[r * w + 6]);
            Assert.Equal(978_307_200 + 17 * 60 * r, table.Values[r * w + 7]); // 2001-01-01T00:00Z is 978307200 s after the epoch
            Assert.Equal(2.5 * r, table.Values[r * w + 8]);
        }
    }

    [Fact]
    public void A_null_is_refused_with_its_row_and_column()
    {
        var values = Enumerable.Range(0, 900).Select(i => i == 612 ? null : (double?)i).ToArray();
        string path = ParquetTestFile.Write(_dir.PathOf("nulls.parquet"), rowGroupSize: 250,
            ParquetTestColumn.Of("x", Enumerable.Range(0, 900).Select(i => (double)i).ToArray()), ParquetTestColumn.Nullable("y", values));

        var e = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path));
        Assert.Equal($"{path}: row 613, column 'y': a null (missing value); every cell must be a number", e.Message);
    }

    [Fact]
    public void NaN_and_infinity_are_refused_as_in_a_csv_file()
    {
        var values = Enumerable.Range(0, 50).Select(i => i == 7 ? double.NaN : i).ToArray();
        string path = ParquetTestFile.Write(_dir.PathOf("nan.parquet"), rowGroupSize: 20, ParquetTestColumn.Of("x", values));
        var e = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path));
        Assert.Equal($"{path}: row 8, column 'x': NaN is not a finite number; every cell must be a number", e.Message);

        values[7] = 1;
        values[44] = double.NegativeInfinity;
        ParquetTestFile.Write(path, rowGroupSize: 20, ParquetTestColumn.Of("x", values));
        e = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path));
        Assert.StartsWith($"{path}: row 45, column 'x': -", e.Message);
        Assert.Contains("is not a finite number", e.Message);
    }

    [Fact]
    public void Columns_that_are_missing_or_not_numbers_are_refused_by_name()
    {
        string path = FixturePath("flights-rg0.parquet");

        var missing = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path, ["distance", "dist"]));
        Assert.Equal($"{path}: no column 'dist' (columns: date, delay, distance, origin, destination)", missing.Message);
        var text = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path, ["distance", "origin", "delay"]));
        Assert.StartsWith($"{path}: column 'origin' holds string values, not numbers", text.Message);
        var twice = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(path, ["delay", "delay"]));
        Assert.Equal($"{path}: column 'delay' is chosen twice", twice.Message);

        string strings = ParquetTestFile.Write(_dir.PathOf("strings.parquet"), 10, ParquetTestColumn.Strings("a", ["x", "y"]));
        var none = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(strings));
        Assert.Equal($"{strings}: no numeric columns (columns: a (string))", none.Message);
    }

    [Fact]
    public void Files_that_are_not_whole_Parquet_files_are_refused_in_one_line()
    {
        byte[] real = File.ReadAllBytes(FixturePath("flights-rg0.parquet"));

        string truncated = _dir.PathOf("truncated.parquet");
        File.WriteAllBytes(truncated, real[..(real.Length / 2)]);
        var e = Assert.Throws<InvalidInputException>(() => DataFile.ReadTable(truncated, null, _ => { }));
        Assert.Equal($"{truncated}: not a complete Parquet file (it does not end with the bytes PAR1): truncated or still being written?", e.Message);

        string csv = _dir.Write("really-a-csv.parquet", "a,b\n1,2\n");
        e = Assert.Throws<InvalidInputException>(() => DataFile.ReadTable(csv, null, _ => { }));
        Assert.Equal($"{csv}: not a Parquet file (it does not start with the bytes PAR1)", e.Message);

        // Both magics in place, but the footer overwritten: the library fails, and says so in one line naming the file.
        string corrupt = _dir.PathOf("corrupt.parquet");
        byte[] bad = (byte[])real.Clone();
        for (int i = bad.Length - 600; i < bad.Length - 8; i++) bad[i] = (byte)(i * 7);
        File.WriteAllBytes(corrupt, bad);
        e = Assert.Throws<InvalidInputException>(() => DataFile.ReadTable(corrupt, null, _ => { }));
        Assert.StartsWith($"{corrupt}: cannot read it as Parquet: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        // A footer length of 0x7fffffff: refused before the library allocates 2 GB for it (issue 15, item 8).
        string huge = _dir.PathOf("huge-footer.parquet");
        bad = (byte[])real.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(bad.Length - 8), 0x7fffffff);
        File.WriteAllBytes(huge, bad);
        e = Assert.Throws<InvalidInputException>(() => DataFile.ReadTable(huge, null, _ => { }));
        Assert.Equal($"{huge}: not a readable Parquet file: its footer length 2147483647 does not fit in the file of {bad.Length} bytes (damaged?)", e.Message);

        // A cut-off column chunk behind an intact footer: found when the row group is decoded.
        string hollow = _dir.PathOf("hollow.parquet");
        bad = (byte[])real.Clone();
        for (int i = 200_000; i < 600_000; i++) bad[i] = 0;
        File.WriteAllBytes(hollow, bad);
        e = Assert.Throws<InvalidInputException>(() => ParquetTable.Read(hollow, ["delay"]));
        Assert.StartsWith($"{hollow}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parquet_is_recognized_by_its_magic_whatever_the_name_and_CSV_reads_as_before()
    {
        string parquet = ParquetTestFile.Write(_dir.PathOf("data.csv"), 10, ParquetTestColumn.Of("a", new[] { 1.0, 2.0 }), ParquetTestColumn.Strings("s", ["p", "q"]));
        var notes = new List<string>();
        var table = DataFile.ReadTable(parquet, null, notes.Add);
        Assert.IsType<ParquetTable>(table);
        Assert.Equal([1.0, 2.0], table.Values);
        Assert.Equal([$"{parquet}: skipped 1 non-numeric column(s): s (string) (--columns chooses columns)"], notes);

        string csv = _dir.Write("plain.csv", "a,b,c\n1,2,3\n4,5,6\n");
        Assert.False(DataFile.IsParquet(csv));
        var read = DataFile.ReadTable(csv, null, notes.Add);
        Assert.IsType<CsvTable>(read);
        Assert.Equal(["a", "b", "c"], read.Columns);
        Assert.Single(notes);
    }

    [Fact]
    public void Columns_works_for_CSV_files_too()
    {
        string csv = _dir.Write("plain.csv", "a,b,c\n1,2,3\n4,5,6\n");

        var table = DataFile.ReadTable(csv, ["c", "a"], _ => { });

        Assert.Equal(["c", "a"], table.Columns);
        Assert.Equal([3.0, 1.0, 6.0, 4.0], table.Values);
        var dataset = Dataset.FromTable(table, null);
        Assert.Equal(["c"], dataset.FeatureNames);
        Assert.Equal(["a"], dataset.TargetNames);
        var e = Assert.Throws<InvalidInputException>(() => DataFile.ReadTable(csv, ["a", "z"], _ => { }));
        Assert.Equal($"{csv}: no column 'z' (columns: a, b, c)", e.Message);
    }
}

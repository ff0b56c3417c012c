using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// A partition shipped as its unit (the header line and the byte range of a CSV file) and read from the copy gives
/// exactly the partition's rows, its counts, and the original's line numbers in errors.
/// </summary>
public sealed class ShippedUnitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Ships a partition's unit into a file, as a client sends it and a worker writes it.</summary>
    private string Ship(DataPartition p)
    {
        string copy = _dir.PathOf($"copy-{Guid.NewGuid():N}.unit");
        using var unit = ShippedUnit.Open(p);
        using var output = File.Create(copy);
        var buffer = new byte[7]; // small, so the header and range boundary falls inside a chunk
        long total = 0;
        int n;
        while ((n = unit.ReadAsync(buffer).AsTask().GetAwaiter().GetResult()) > 0)
        {
            output.Write(buffer, 0, n);
            total += n;
        }
        Assert.Equal(unit.Length, total);
        return copy;
    }

    private DataPartition LocalCopy(DataPartition p)
    {
        string copy = Ship(p);
        var fingerprint = FileFingerprint.Of(copy);
        Assert.Null(ShippedUnit.Mismatch(p, fingerprint));
        return ShippedUnit.Local(p, copy, fingerprint);
    }

    private static List<double[]> Rows(DataPartition p)
    {
        var rows = new List<double[]>();
        foreach (var block in PartitionReader.TrainingBlocks(p, ["y"], blockSize: 5))
            for (int r = 0; r < block.Rows; r++) rows.Add([.. block.X.Row(r).ToArray(), .. block.Y.Row(r).ToArray()]);
        return rows;
    }

    private static string Csv(int rows, string eol) =>
        "a,b,y" + eol + string.Concat(Enumerable.Range(0, rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{i % 7}{eol}")));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_shipped_csv_range_reads_the_rows_and_counts_of_the_partition(string eol)
    {
        string path = _dir.Write("d.csv", Csv(200, eol));
        var data = PartitionedDataset.Resolve(path, splitSize: 300).CountRows();
        Assert.True(data.Partitions.Count > 5, $"{data.Partitions.Count} partitions");
        foreach (var p in data.Partitions)
        {
            var local = LocalCopy(p);
            Assert.Equal(Rows(p), Rows(local));
            Assert.Equal(PartitionReader.Count(p), PartitionReader.Count(local));
            long headerBytes = p.ByteStart == 0 ? 0 : ("a,b,y" + eol).Length;
            Assert.Equal(p.ByteEnd - p.ByteStart + headerBytes, local.Fingerprint.Size);
        }
    }

    [Fact]
    public void A_bad_cell_in_a_shipped_range_is_reported_at_its_line_in_the_original_file()
    {
        var text = new StringBuilder(Csv(60, "\n")).Append("7,NA,3\n").Append(Csv(20, "\n")[6..]).ToString();
        string path = _dir.Write("bad.csv", text);
        var data = PartitionedDataset.Resolve(path, splitSize: 64).CountRows();
        var bad = data.Partitions.Single(p =>
        {
            try
            {
                Rows(p);
                return false;
            }
            catch (InvalidInputException)
            {
                return true;
            }
        });
        Assert.True(bad.ByteStart > 0);
        var e = Assert.ThrowsAny<InvalidInputException>(() => Rows(LocalCopy(bad)));
        Assert.Contains(":62:2: column 'b': 'NA' is not a number", e.Message);
    }

    [Fact]
    public void Units_are_keyed_by_content_a_parquet_file_once_for_all_its_row_groups()
    {
        var fp = new FileFingerprint(1000, DateTime.UnixEpoch, "0123456789abcdef0123456789abcdef");
        var g0 = new DataPartition(0, "/a/x.parquet", DataFormat.Parquet, fp, 0, 0, 1000, 10, 0, null);
        var g1 = g0 with { Index = 1, RowGroup = 1, FirstRow = 10 };
        var elsewhere = g0 with { Path = "/mnt/other/x.parquet", Fingerprint = fp with { LastWriteUtc = DateTime.UtcNow } };
        Assert.Equal(ShippedUnit.KeyOf(g0), ShippedUnit.KeyOf(g1));
        Assert.Equal(ShippedUnit.KeyOf(g0), ShippedUnit.KeyOf(elsewhere));
        var c0 = new DataPartition(0, "/a/x.csv", DataFormat.Csv, fp, -1, 0, 500, null, null, null);
        var c1 = c0 with { Index = 1, ByteStart = 500, ByteEnd = 1000 };
        Assert.NotEqual(ShippedUnit.KeyOf(c0), ShippedUnit.KeyOf(c1));
        Assert.Equal(ShippedUnit.KeyOf(c1), ShippedUnit.KeyOf(c1 with { Path = "/elsewhere.csv" }));
    }

    [Fact]
    public void A_copy_that_is_not_what_its_key_promises_is_named_as_such()
    {
        string path = _dir.Write("d.csv", Csv(50, "\n"));
        var p = PartitionedDataset.Resolve(path, splitSize: 200).Partitions[1];
        string copy = Ship(p);
        File.WriteAllText(copy, "a,b,y\n1,2,3\n");
        Assert.Contains("has 12 bytes for a range of", ShippedUnit.Mismatch(p, FileFingerprint.Of(copy)));
    }

    [Fact]
    public void A_file_changed_since_the_job_started_is_refused_before_any_byte_is_shipped()
    {
        string path = _dir.Write("d.csv", Csv(50, "\n"));
        var p = PartitionedDataset.Resolve(path, splitSize: 200).Partitions[1];
        File.AppendAllText(path, "1,2,3\n");
        var e = Assert.Throws<InvalidInputException>(() => ShippedUnit.Open(p));
        Assert.Contains("changed since the job started", e.Message);
    }
}

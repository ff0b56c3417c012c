using System.Buffers;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// <c>predict --keep</c> copies a Parquet file's cells verbatim, whatever garbage the process's shared array pools hold.
/// Parquet.Net 6.1.0's nullable read (<c>ReadAsync(field, Memory&lt;T?&gt;)</c>) judges a required column's nulls from a
/// pooled definition-level buffer it never fills (no levels exist for it): a stale negative number there made a cell
/// null, so an ID came out empty now and then (seen as a flaky byte comparison of partitioned and in-memory predict).
/// With that read, this test failed at its first row; the pool is poisoned on every thread that takes part, so the
/// read's thread is very likely among them.
/// </summary>
public sealed class KeptParquetCellsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Leaves -1 in the shared int pool's arrays of <paramref name="length"/>, as an earlier user may: on every thread
    /// of the pool (each keeps the array it returned last for itself) and in the per-core stores.
    /// </summary>
    private static void PoisonIntPool(int length) =>
        Parallel.For(0, 4096, new ParallelOptions { MaxDegreeOfParallelism = 64 }, _ =>
        {
            var a = ArrayPool<int>.Shared.Rent(length);
            Array.Fill(a, -1);
            ArrayPool<int>.Shared.Return(a);
        });

    [Fact]
    public void Required_and_optional_columns_keep_every_cell_and_only_real_nulls_are_empty()
    {
        const int rows = 1000;
        string file = ParquetTestFile.Write(_dir.PathOf("ids.parquet"), rows,
            ParquetTestColumn.Of("id", Enumerable.Range(0, rows).Select(i => 9_000_000_000L + i).ToArray()),
            ParquetTestColumn.Of("x", Enumerable.Range(0, rows).Select(i => i * 0.5).ToArray()),
            ParquetTestColumn.Nullable("maybe", Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? (int?)null : i).ToArray()),
            ParquetTestColumn.Strings("name", Enumerable.Range(0, rows).Select(i => $"n{i}").ToArray()));
        for (int attempt = 0; attempt < 5; attempt++)
        {
            PoisonIntPool(rows);
            var kept = KeptColumns.Read(file, ["id", "x", "maybe", "name"]);
            Assert.Equal(rows, kept.Rows.Count);
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal((9_000_000_000L + r).ToString(System.Globalization.CultureInfo.InvariantCulture), kept.Rows[r][0]);
                Assert.Equal((r * 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture), kept.Rows[r][1]);
                Assert.Equal(r % 7 == 0 ? "" : r.ToString(System.Globalization.CultureInfo.InvariantCulture), kept.Rows[r][2]);
                Assert.Equal($"n{r}", kept.Rows[r][3]);
            }
        }
    }
}

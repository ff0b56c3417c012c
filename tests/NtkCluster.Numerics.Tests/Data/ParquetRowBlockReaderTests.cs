using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// The streaming Parquet reader gives the blocks <see cref="RowBlock.Split"/> cuts from the same file loaded whole —
/// blocks that span row groups included — and the test-file and <c>--columns</c> rules of the CSV reader.
/// </summary>
public sealed class ParquetRowBlockReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Columns a (long), t1 (double), name (string), b (float), t2 (int), in row groups of the given size.</summary>
    private string Write(int rows, int rowGroupSize, string name = "data.parquet") =>
        ParquetTestFile.Write(_dir.PathOf(name), rowGroupSize,
            ParquetTestColumn.Of("a", Enumerable.Range(0, rows).Select(i => (long)i).ToArray()),
            ParquetTestColumn.Of("t1", Enumerable.Range(0, rows).Select(i => -i / 3.0).ToArray()),
            ParquetTestColumn.Strings("name", Enumerable.Range(0, rows).Select(i => $"row {i}").ToArray()),
            ParquetTestColumn.Of("b", Enumerable.Range(0, rows).Select(i => i / 8f).ToArray()),
            ParquetTestColumn.Of("t2", Enumerable.Range(0, rows).Select(i => 1000 + i).ToArray()));

    [Theory]
    [InlineData(1000, 300, 128)]  // blocks spanning two and three row groups
    [InlineData(1024, 256, 256)]  // blocks that are the row groups
    [InlineData(5, 2, 1024)]      // one short block over three groups
    public void Blocks_are_the_blocks_of_the_file_loaded_whole(int rows, int rowGroupSize, int blockSize)
    {
        string path = Write(rows, rowGroupSize);
        var loaded = Dataset.FromTable(ParquetTable.Read(path), ["t1", "t2"]);
        var expected = RowBlock.Split(loaded.X, loaded.Y, blockSize).ToList();

        using var reader = ParquetRowBlockReader.OpenTraining(path, ["t1", "t2"], null, blockSize);
        var blocks = CsvRowBlockReaderTests.ReadAll(reader);

        Assert.Equal(["a", "b"], reader.FeatureNames);
        Assert.Equal(["t1", "t2"], reader.TargetNames);
        Assert.Equal(expected.Count, blocks.Count);
        for (int b = 0; b < blocks.Count; b++)
        {
            Assert.Equal(expected[b].Index, blocks[b].Index);
            Assert.Equal(expected[b].FirstRow, blocks[b].FirstRow);
            Assert.Equal(expected[b].X.ToColumnMajorArray(), blocks[b].X.ToColumnMajorArray());
            Assert.Equal(expected[b].Y.ToColumnMajorArray(), blocks[b].Y.ToColumnMajorArray());
        }
        Assert.Equal(rows - 1, blocks[^1].X[blocks[^1].Rows - 1, 0]);
    }

    [Fact]
    public void The_real_flights_row_group_streams_as_the_csv_made_from_it_has_it()
    {
        string path = ParquetTableTests.FixturePath("flights-rg0.parquet");
        var sample = ParquetTableTests.CsvSample().ToDictionary(s => (int)s[0]);
        using var reader = ParquetRowBlockReader.OpenTraining(path, ["delay"], ["distance", "delay"], 1024);
        int rows = 0, matched = 0;
        while (reader.ReadBlock() is { } block)
        {
            for (int r = 0; r < block.Rows; r++)
            {
                if (!sample.TryGetValue(block.FirstRow + r, out var csv)) continue;
                Assert.Equal(csv[1], block.X[r, 0]);
                Assert.Equal(csv[4], block.Y[r, 0]);
                matched++;
            }
            rows += block.Rows;
        }
        Assert.Equal(272_727, rows);
        Assert.Equal(sample.Count, matched);
    }

    [Fact]
    public void A_source_passes_over_the_file_again_with_its_columns()
    {
        string path = Write(2500, 700);
        var notes = new List<string>();
        var source = RowBlockSource.ForTraining(path, ["t1"], null, notes.Add);

        Assert.Equal(["a", "b", "t2"], source.FeatureNames);
        Assert.Equal([$"{path}: skipped 1 non-numeric column(s): name (string) (--columns chooses columns)"], notes);
        var first = source.Blocks().ToList();
        var second = source.Blocks().ToList();
        Assert.Equal(3, first.Count);
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(first[b].X, second[b].X);
            Assert.Equal(first[b].Y, second[b].Y);
        }

        var chosen = RowBlockSource.ForTraining(path, null, ["b", "a"]);
        Assert.Equal(["b"], chosen.FeatureNames);
        Assert.Equal(["a"], chosen.TargetNames);
        var block = chosen.Blocks().First();
        Assert.Equal(Vector<double>.Build.Dense(1024, i => i / 8.0), block.X.Column(0));
    }

    [Fact]
    public void A_test_file_must_have_the_training_columns()
    {
        string train = Write(100, 30, "train.parquet");
        string other = ParquetTestFile.Write(_dir.PathOf("other.parquet"), 50,
            ParquetTestColumn.Of("a", new[] { 1.0, 2.0 }), ParquetTestColumn.Of("t1", new[] { 1.0, 2.0 }), ParquetTestColumn.Of("c", new[] { 1.0, 2.0 }));

        using (var matching = ParquetRowBlockReader.OpenMatching(train, ["b", "a", "t2"], ["t1"], null))
            Assert.Equal(["b", "a", "t2"], matching.FeatureNames);
        var e = Assert.Throws<InvalidInputException>(() => ParquetRowBlockReader.OpenMatching(other, ["a", "b"], ["t1"], null));
        Assert.Equal($"{other}: missing column 'b' that the model was trained on", e.Message);
    }

    [Fact]
    public void A_null_deep_in_the_file_is_refused_when_its_block_is_read()
    {
        var values = Enumerable.Range(0, 3000).Select(i => i == 2345 ? null : (double?)i).ToArray();
        string path = ParquetTestFile.Write(_dir.PathOf("nulls.parquet"), 1000,
            ParquetTestColumn.Of("x", Enumerable.Range(0, 3000).Select(i => (double)i).ToArray()), ParquetTestColumn.Nullable("y", values));
        using var reader = ParquetRowBlockReader.OpenTraining(path, null, null, 1024);

        Assert.NotNull(reader.ReadBlock());
        var e = Assert.Throws<InvalidInputException>(() => { while (reader.ReadBlock() is not null) { } });
        Assert.Equal($"{path}: row 2346, column 'y': a null (missing value); every cell must be a number", e.Message);
    }
}

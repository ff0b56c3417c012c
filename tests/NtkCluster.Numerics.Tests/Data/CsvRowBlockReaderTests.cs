using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// The streaming reader gives the rows of <see cref="CsvTable"/> + <see cref="Dataset.FromTable"/> in blocks, and
/// refuses exactly the files they refuse, with the same one-line message.
/// </summary>
public sealed class CsvRowBlockReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Columns a, t1, b, t2 with distinct values everywhere: a = i, t1 = −i, b = i/8, t2 = 1000+i.</summary>
    private string Write(int rows, string name = "data.csv")
    {
        var text = new StringBuilder("a,t1,\"b\",t2\n");
        for (int i = 0; i < rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},{-i},{i / 8.0},{1000 + i}\n");
        return _dir.Write(name, text.ToString());
    }

    /// <summary>Every block a reader gives, in order.</summary>
    internal static List<RowBlock> ReadAll(IRowBlockReader reader)
    {
        var blocks = new List<RowBlock>();
        while (reader.ReadBlock() is { } block) blocks.Add(block);
        return blocks;
    }

    private static Matrix<double> Stack(IEnumerable<Matrix<double>> parts)
    {
        Matrix<double>? all = null;
        foreach (var part in parts) all = all is null ? part : all.Stack(part);
        return all!;
    }

    [Theory]
    [InlineData(10, 4)]   // 4 + 4 + 2
    [InlineData(12, 4)]   // exactly three blocks: no empty fourth
    [InlineData(3, 1024)] // one short block
    public void Blocks_put_together_are_the_in_memory_dataset(int rows, int blockSize)
    {
        string path = Write(rows);
        var expected = Dataset.FromTable(CsvTable.Read(path), null);
        using var reader = CsvRowBlockReader.OpenTraining(path, null, blockSize);
        var blocks = ReadAll(reader);

        Assert.Equal((rows + blockSize - 1) / blockSize, blocks.Count);
        Assert.Equal(Enumerable.Range(0, blocks.Count), blocks.Select(b => b.Index));
        Assert.Equal(blocks.Select((_, b) => b * blockSize), blocks.Select(b => b.FirstRow));
        Assert.All(blocks.SkipLast(1), b => Assert.Equal(blockSize, b.Rows));
        Assert.Equal(expected.FeatureNames, reader.FeatureNames);
        Assert.Equal(expected.TargetNames, reader.TargetNames);
        Assert.Equal(expected.X.ToColumnMajorArray(), Stack(blocks.Select(b => b.X)).ToColumnMajorArray());
        Assert.Equal(expected.Y.ToColumnMajorArray(), Stack(blocks.Select(b => b.Y)).ToColumnMajorArray());
        Assert.Equal(rows, reader.RowsRead);
        Assert.Null(reader.ReadBlock()); // and stays at the end
    }

    [Fact]
    public void Named_targets_are_chosen_as_Dataset_FromTable_chooses_them()
    {
        string path = Write(9);
        var expected = Dataset.FromTable(CsvTable.Read(path), ["t2", "t1"]);
        using var reader = CsvRowBlockReader.OpenTraining(path, ["t2", "t1"], 4);
        var blocks = ReadAll(reader);
        Assert.Equal(["a", "b"], reader.FeatureNames);
        Assert.Equal(["t2", "t1"], reader.TargetNames);
        Assert.Equal(expected.X, Stack(blocks.Select(b => b.X)));
        Assert.Equal(expected.Y, Stack(blocks.Select(b => b.Y)));
    }

    [Fact]
    public void A_matching_file_may_order_its_columns_differently()
    {
        string path = _dir.Write("test.csv", "t2,b,a,t1\n1,2,3,4\n5,6,7,8\n");
        using var reader = CsvRowBlockReader.OpenMatching(path, ["a", "b"], ["t1", "t2"], 4);
        var block = Assert.Single(ReadAll(reader));
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 3, 2 }, { 7, 6 } }), block.X);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 4, 1 }, { 8, 5 } }), block.Y);
    }

    [Theory]
    [InlineData("a,b,t1\n1,2,3\n", "no column 't2' (columns: a, b, t1)")]
    [InlineData("a,t1,t2\n1,2,3\n", "missing column 'b' that the model was trained on")]
    [InlineData("a,b,c,t1,t2\n1,2,3,4,5\n", "column 'c' is not one the model was trained on")]
    public void A_file_whose_columns_do_not_match_is_refused_when_opened(string contents, string problem)
    {
        string path = _dir.Write("test.csv", contents);
        var error = Assert.Throws<InvalidInputException>(() => CsvRowBlockReader.OpenMatching(path, ["a", "b"], ["t1", "t2"]));
        Assert.Equal($"{path}: {problem}", error.Message);
    }

    [Fact]
    public void Blocks_are_never_reused()
    {
        string path = Write(8);
        using var reader = CsvRowBlockReader.OpenTraining(path, null, 4);
        var first = reader.ReadBlock()!;
        var copy = first.X.Clone();
        _ = reader.ReadBlock();
        Assert.Equal(copy, first.X); // a block sent to a worker may be sent again on a retry
    }

    [Fact]
    public void A_bad_cell_in_the_middle_fails_its_block_with_file_line_and_column()
    {
        var text = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 3000; i++) text.Append(i == 2500 ? "1,abc,3\n" : "1,2,3\n");
        string path = _dir.Write("big.csv", text.ToString());
        using var reader = CsvRowBlockReader.OpenTraining(path, null);
        Assert.NotNull(reader.ReadBlock()); // rows 0–1023
        Assert.NotNull(reader.ReadBlock()); // rows 1024–2047
        var error = Assert.Throws<DataFormatException>(() => reader.ReadBlock());
        // Row 2500 is line 2502 (after the header, 1-based).
        Assert.Equal($"{path}:2502:2: column 'x2': 'abc' is not a number (a text feature column? name it with --categorical x2 to one-hot encode its categories)", error.Message);
    }

    /// <summary>Files CsvTable refuses; the streaming reader must refuse them with the very same message.</summary>
    public static TheoryData<string> BadFiles => new()
    {
        "",
        "\n\n",
        "\r\na,b\n1,2\n",
        "a,b\n\n",
        "a,b\n1,2\n\n3,4\n",
        "a,b,\"a\"\n1,2,3\n",
        "a,,c\n1,2,3\n",
        "a,b,c\n1,,3\n",
        "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n",
        "a,b\n1,2\n1,2,3\n",
        "a,b\n1,\"2\n",
        "a,b\n\"1\"x,2\n",
        "a,b\n1,2\"\n",
        "a,b\n1,NaN\n",
        "a,b\n1,-inf\n",
        "a,b\n1,1e999\n",
        // Text cells are refused at the same place, but the streaming training reader knows each column's role and
        // hints by it (TextCellHintTests); CsvTable, reading every column alike, cannot.
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Refuses_what_CsvTable_refuses_with_the_same_message(string contents)
    {
        string path = _dir.Write("bad.csv", contents);
        var expected = Assert.Throws<DataFormatException>(() => CsvTable.Read(path));
        var actual = Assert.Throws<DataFormatException>(() =>
        {
            using var reader = CsvRowBlockReader.OpenTraining(path, null, 2);
            ReadAll(reader);
        });
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal((expected.Line, expected.Column), (actual.Line, actual.Column));
    }

    [Fact]
    public void A_missing_file_is_refused_as_CsvTable_refuses_it()
    {
        string path = _dir.PathOf("nope.csv");
        var error = Assert.Throws<InvalidInputException>(() => CsvRowBlockReader.OpenTraining(path, null));
        Assert.Equal($"file not found: {path}", error.Message);
    }

    [Fact]
    public void A_source_reads_the_same_blocks_on_every_pass()
    {
        string path = Write(2500);
        var source = RowBlockSource.ForTraining(path, ["t1"]);
        Assert.Equal(["a", "b", "t2"], source.FeatureNames);
        var first = source.Blocks().ToList();
        var second = source.Blocks().ToList();
        Assert.Equal(3, first.Count);
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(first[b].X, second[b].X);
            Assert.Equal(first[b].Y, second[b].Y);
        }
    }

    [Fact]
    public void Chosen_columns_stream_as_they_load()
    {
        string path = Write(10);
        var loaded = Dataset.FromTable(CsvTable.Read(path).Select(["t2", "b", "a"]), null);
        using var reader = CsvRowBlockReader.OpenTraining(path, null, 4, ["t2", "b", "a"]);
        var blocks = ReadAll(reader);

        Assert.Equal(["t2", "b"], reader.FeatureNames);
        Assert.Equal(["a"], reader.TargetNames);
        Assert.Equal(loaded.X.ToColumnMajorArray(), Stack(blocks.Select(b => b.X)).ToColumnMajorArray());
        Assert.Equal(loaded.Y.ToColumnMajorArray(), Stack(blocks.Select(b => b.Y)).ToColumnMajorArray());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), loaded.Y.Column(0));

        var e = Assert.Throws<InvalidInputException>(() => CsvRowBlockReader.OpenMatching(path, ["b"], ["a"], 4, ["a", "c"]));
        Assert.Equal($"{path}: no column 'c' (columns: a, t1, b, t2)", e.Message);
    }

    [Fact]
    public void Columns_left_out_are_not_parsed_when_streaming_either()
    {
        string path = _dir.Write("text.csv", "a,city,y\n1,Bern,2\n3,NA,4\n5,Zurich,6\n");
        using var reader = CsvRowBlockReader.OpenTraining(path, null, 2, ["a", "y"]);
        var blocks = ReadAll(reader);
        Assert.Equal(["a"], reader.FeatureNames);
        Assert.Equal(new double[] { 1, 3, 5 }, blocks.SelectMany(b => b.X.Column(0).ToArray()));
        Assert.Equal(new double[] { 2, 4, 6 }, blocks.SelectMany(b => b.Y.Column(0).ToArray()));
    }
}

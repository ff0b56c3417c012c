using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>R's <c>write.csv</c> row names — a first column under an empty header <c>""</c> — left out of every read, with a note.</summary>
public sealed class RowNamesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // What write.csv(data.frame(x = c(1.5, 2.5), y = c(2, 3)), "r.csv") writes.
    private const string RExport = "\"\",\"x\",\"y\"\n\"1\",1.5,2\n\"2\",2.5,3\n";

    [Fact]
    public void The_unnamed_first_column_is_left_out_and_the_note_says_so()
    {
        string path = _dir.Write("r.csv", RExport);
        var table = CsvTable.Read(path);
        Assert.Equal(["x", "y"], table.Columns);
        Assert.Equal(new double[] { 1.5, 2, 2.5, 3 }, table.Values);
        Assert.Equal($"{path}: column 1 has no name (R's row names, as write.csv writes them): left out", RowNames.Note(path, null));
    }

    [Fact]
    public void Text_row_names_are_left_out_too()
    {
        // write.csv(mtcars) writes the car names there.
        string path = _dir.Write("cars.csv", "\"\",\"mpg\",\"cyl\"\n\"Mazda RX4\",21,6\n\"Datsun 710\",22.8,4\n");
        Assert.Equal(new double[] { 21, 6, 22.8, 4 }, CsvTable.Read(path).Values);
    }

    [Fact]
    public void Messages_count_the_columns_of_the_file_row_names_included()
    {
        string bad = _dir.Write("bad.csv", "\"\",\"x\",\"y\"\n\"1\",abc,2\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Read(bad));
        Assert.StartsWith($"{bad}:2:2: column 'x': 'abc' is not a number", e.Message);
        string ragged = _dir.Write("ragged.csv", "\"\",\"x\",\"y\"\n\"1\",1,2,3\n");
        e = Assert.Throws<DataFormatException>(() => CsvTable.Read(ragged));
        Assert.Equal($"{ragged}:2:4: row has 4 fields, header has 3", e.Message);
    }

    [Fact]
    public void A_named_first_column_and_an_empty_name_elsewhere_are_as_before()
    {
        string plain = _dir.Write("plain.csv", "x,y\n1,2\n");
        Assert.Null(RowNames.Note(plain, null));
        Assert.Equal(["x", "y"], CsvTable.Read(plain).Columns);
        string middle = _dir.Write("middle.csv", "\"\",\"x\",\"\"\n1,2,3\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Read(middle));
        Assert.Equal($"{middle}:1:3: empty column name in the header", e.Message);
    }

    [Fact]
    public void Row_names_are_left_out_with_a_semicolon_separator()
    {
        // write.csv2: ';' between fields, decimal commas.
        string path = _dir.Write("r2.csv", "\"\";\"x\";\"y\"\n\"1\";1,5;2\n");
        Assert.Equal(new double[] { 1.5, 2 }, CsvTable.Read(path, separator: ';').Values);
        Assert.NotNull(RowNames.Note(path, ';'));
    }
}

using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// <see cref="CategoricalTable.ReadTraining"/> reads a training file once, deciding each column's kind at the end:
/// the refusals a second, typed pass used to give must still come, with the file's line and column.
/// </summary>
public sealed class CategoricalSinglePassTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CategoricalTable? Read(string path) =>
        CategoricalTable.ReadTraining(path, null, null, null, MissingPolicy.Drop, null, _ => { });

    [Fact]
    public void A_column_whose_text_comes_last_is_categorical_and_the_numbers_before_it_are_categories()
    {
        string path = _dir.Write("late.csv", "size,x,y\n1,0.5,1\n2,1.5,2\nbig,2.5,3\n");
        var table = Read(path)!;
        Assert.Equal(["size=1", "size=2", "size=big", "x", "y"], table.Columns);
        Assert.Equal(new double[] { 1, 0, 0, 0.5, 1, 0, 1, 0, 1.5, 2, 0, 0, 1, 2.5, 3 }, table.Values);
    }

    [Fact]
    public void A_numeric_column_with_a_non_finite_cell_is_refused_with_its_line_and_column()
    {
        string path = _dir.Write("inf.csv", "colour,x,y\nred,1,1\nblue,inf,2\n");
        var e = Assert.Throws<DataFormatException>(() => Read(path));
        Assert.Equal($"{path}:3:2: column 'x': 'inf' is not a finite number", e.Message);
    }

    [Fact]
    public void Text_after_more_than_1000_distinct_numbers_is_refused_as_too_many_categories()
    {
        var csv = new StringBuilder("id,colour,y\n");
        for (int i = 0; i < 1001; i++) csv.Append(CultureInfo.InvariantCulture, $"{i},red,1\n");
        csv.Append("x1001,blue,2\n");
        string path = _dir.Write("ids.csv", csv.ToString());
        var e = Assert.Throws<InvalidInputException>(() => Read(path));
        Assert.StartsWith($"{path}: column 'id' has more than 1000 categories", e.Message);
    }

    [Fact]
    public void A_file_without_text_features_is_left_to_the_numeric_reader()
    {
        string path = _dir.Write("numbers.csv", "a,b,y\n1,2,3\n4,NA,6\n");
        Assert.Null(Read(path));
    }
}

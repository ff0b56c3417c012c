using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class CategoricalEncoderTests
{
    [Fact]
    public void Text_categories_are_sorted_ordinally_and_found_by_text()
    {
        var column = CategoricalEncoder.Learn("t.csv", "body", ["van", "Suv", "sedan", null, "van", "suv"], codes: false, MissingPolicy.Drop);
        // Ordinal: upper case before lower case, as numpy's sort of Python strings.
        Assert.Equal(["Suv", "sedan", "suv", "van"], column.Categories);
        Assert.Null(column.Fill);
        Assert.Equal(3, CategoricalEncoder.IndexOf(column, "van"));
        Assert.Equal(CategoricalEncoder.Unknown, CategoricalEncoder.IndexOf(column, "coupe"));
        Assert.Equal(CategoricalEncoder.Missing, CategoricalEncoder.IndexOf(column, null));
        Assert.Equal(["body=Suv", "body=sedan", "body=suv", "body=van"], column.FeatureNames());
    }

    [Fact]
    public void Numeric_codes_are_sorted_by_value_and_matched_whatever_their_spelling()
    {
        var column = CategoricalEncoder.Learn("t.csv", "grade", ["10", "2", "2.0", "1e1", "3"], codes: true, MissingPolicy.Refuse);
        Assert.Equal(["2", "3", "10"], column.Categories);
        Assert.Equal(2, CategoricalEncoder.IndexOf(column, "10.0"));
        Assert.Equal(0, CategoricalEncoder.IndexOf(column, " 2".Trim()));
        Assert.Equal(CategoricalEncoder.Unknown, CategoricalEncoder.IndexOf(column, "4"));
        Assert.Equal(CategoricalEncoder.Unknown, CategoricalEncoder.IndexOf(column, "two"));
    }

    [Theory]
    [InlineData(MissingPolicy.Mean)]
    [InlineData(MissingPolicy.Median)]
    public void Mean_and_median_fill_a_missing_cell_with_the_most_frequent_category_first_in_order_on_a_tie(MissingPolicy policy)
    {
        var column = CategoricalEncoder.Learn("t.csv", "c", ["b", "a", "b", "a", null, "c"], codes: false, policy);
        Assert.Equal("a", column.Fill);
        Assert.Equal(0, CategoricalEncoder.IndexOf(column, null));
        var majority = CategoricalEncoder.Learn("t.csv", "c", ["b", "a", "b", null], codes: false, policy);
        Assert.Equal(1, CategoricalEncoder.IndexOf(majority, null));
    }

    [Fact]
    public void An_entirely_missing_column_is_refused()
    {
        var e = Assert.Throws<InvalidInputException>(() => CategoricalEncoder.Learn("t.csv", "c", [null, null], codes: false, MissingPolicy.Mean));
        Assert.Equal("t.csv: categorical column 'c' is entirely missing (2 row(s)): leave it out with --columns", e.Message);
    }

    [Fact]
    public void More_than_1000_categories_are_refused_and_exactly_1000_are_not()
    {
        var cells = Enumerable.Range(0, 1000).Select(i => (string?)$"id{i}").ToList();
        Assert.Equal(1000, CategoricalEncoder.Learn("t.csv", "id", cells, codes: false, MissingPolicy.Refuse).Categories.Length);
        cells.Add("one more");
        var e = Assert.Throws<InvalidInputException>(() => CategoricalEncoder.Learn("t.csv", "id", cells, codes: false, MissingPolicy.Refuse));
        Assert.StartsWith("t.csv: column 'id' has 1001 categories, more than 1000", e.Message);
    }

    [Theory]
    [InlineData("2.5", ',', true)]
    [InlineData("-1e3", ',', true)]
    [InlineData("2,5", ';', true)]
    [InlineData("2,5", ',', false)]
    [InlineData("Inf", ',', true)]
    [InlineData("van", ',', false)]
    public void A_cell_looks_numeric_as_the_numeric_reader_would_read_it(string cell, char separator, bool numeric) =>
        Assert.Equal(numeric, CategoricalEncoder.LooksNumeric(cell, separator));

    [Fact]
    public void A_table_is_expanded_in_place_and_marks_its_one_hot_columns()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cat-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "x,kind,y\n1,b,10\n2,a,20\n3,b,30\n");
        try
        {
            var notes = new List<string>();
            var table = CategoricalTable.ReadTraining(path, null, null, null, MissingPolicy.Refuse, null, notes.Add)!;
            Assert.Equal(["x", "kind=a", "kind=b", "y"], table.Columns);
            Assert.Equal([1, 0, 1, 10, 2, 1, 0, 20, 3, 0, 1, 30], table.Values);
            var data = Dataset.FromTable(table, null);
            Assert.Equal([false, true, true], data.OneHot!);
            Assert.Single(notes);
            // --standardize scales x only; the one-hot columns keep mean 0 and scale 1.
            var pre = Preprocessor.Fit(data, standardize: true, scaleTarget: false, normalize: false);
            Assert.Equal(2.0, pre.FeatureMeans[0]);
            Assert.Equal([0.0, 0.0], pre.FeatureMeans[1..]);
            Assert.Equal([1.0, 1.0], pre.FeatureScales[1..]);
            Assert.Null(CategoricalTable.ReadTraining(path, ["x", "y"], null, null, MissingPolicy.Refuse, null, notes.Add));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

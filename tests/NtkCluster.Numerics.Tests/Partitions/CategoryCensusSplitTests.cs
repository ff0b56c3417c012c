using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// The category census of a partitioned dataset with a hashed split (<c>--test-fraction</c>): the categories are those
/// of every row, the fill (<c>--missing mean|median</c>) that of the training side's rows only, as the single file's
/// (<see cref="CategoryFills.FromTraining"/>). The data are made so that the held-out rows tip the most frequent
/// category; the expected counts are counted here, row by row, from <see cref="RowSplit.Keeps"/>.
/// </summary>
public sealed class CategoryCensusSplitTests : IDisposable
{
    private static readonly RowSplit Split = new(7, 0.3, TestSide: false);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Row i's colour: every held-out row 'red'; the training rows in turn 'NA', 'blue', 'blue', 'red', 'green' — so
    /// 'blue' leads the training rows and 'red' all of them.
    /// </summary>
    private static string Color(long row, ref int trainingRow) =>
        !Split.Keeps(row) ? "red" : (trainingRow++ % 5) switch { 0 => "NA", 1 or 2 => "blue", 3 => "red", _ => "green" };

    private PartitionedDataset Parts(string name, int rows)
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, name));
        var files = new[] { new StringBuilder("x,color,y\n"), new StringBuilder("x,color,y\n"), new StringBuilder("x,color,y\n") };
        int trainingRow = 0;
        for (int i = 0; i < rows; i++)
            files[i * 3 / rows].Append(CultureInfo.InvariantCulture, $"{i * 0.25},{Color(i, ref trainingRow)},{i % 7}\n");
        for (int f = 0; f < files.Length; f++) _dir.Write(Path.Combine(name, $"part-{f}.csv"), files[f].ToString());
        var dataset = PartitionedDataset.Resolve(Path.Combine(_dir.Path, name), splitSize: 400);
        Assert.True(dataset.Partitions.Count > 3, $"{dataset.Partitions.Count} partitions"); // byte ranges: row offsets matter
        return dataset;
    }

    [Theory]
    [InlineData(MissingPolicy.Mean)]
    [InlineData(MissingPolicy.Median)]
    public async Task With_a_split_the_fill_is_the_training_rows_most_frequent_category_and_the_categories_every_rows(MissingPolicy missing)
    {
        const int n = 300;
        var dataset = Parts("tipped", n);
        var columns = new PartitionColumns(["x", "color"], ["y"], null);
        // Counted here, independently of the census: the held-out rows tip the whole file's most frequent colour.
        var all = new Dictionary<string, long>();
        var training = new Dictionary<string, long>();
        int trainingRow = 0;
        for (int i = 0; i < n; i++)
        {
            bool keeps = Split.Keeps(i);
            string color = Color(i, ref trainingRow);
            if (color == "NA") continue;
            all[color] = all.GetValueOrDefault(color) + 1;
            if (keeps) training[color] = training.GetValueOrDefault(color) + 1;
        }
        Assert.True(training["blue"] > training["red"], $"training: blue {training["blue"]}, red {training["red"]}");
        Assert.True(all["red"] > all["blue"], $"all rows: red {all["red"]}, blue {all["blue"]}");

        IBlockRounds rounds = new InProcessBlockRounds(2);
        var whole = await PartitionScans.CategoriesAsync(rounds, "census", dataset.Source, dataset.Partitions, columns, null, missing);
        var split = await PartitionScans.CategoriesAsync(rounds, "census", dataset.Source, dataset.Partitions, columns, null, missing, Split);
        Assert.Equal("red", Assert.Single(whole).Fill);
        var column = Assert.Single(split);
        Assert.Equal("blue", column.Fill);
        Assert.Equal(["blue", "green", "red"], column.Categories);
        Assert.Equal(whole[0].Categories, column.Categories);

        // The census's own training-side counts are the ones counted above, merged over byte-range partitions.
        var counted = await rounds.CountedAsync("count", dataset.Partitions, source: null);
        var census = await rounds.PartitionCategoryCensusAsync("census", counted, columns, Split);
        Assert.Equal(n, census.Rows);
        Assert.Equal(Enumerable.Range(0, n).Count(i => Split.Keeps(i)), census.KeptRows);
        Assert.Equal(training.OrderBy(kv => kv.Key, StringComparer.Ordinal), census.Kept![1].OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(all.OrderBy(kv => kv.Key, StringComparer.Ordinal), census.Counts[1].OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_fill_the_split_changes_nothing_and_the_categories_stay_every_rows()
    {
        var dataset = Parts("drop", 300);
        var columns = new PartitionColumns(["x", "color"], ["y"], null);
        var rounds = new InProcessBlockRounds(2);
        var whole = Assert.Single(await PartitionScans.CategoriesAsync(rounds, "census", dataset.Source, dataset.Partitions, columns, null, MissingPolicy.Drop));
        var split = Assert.Single(await PartitionScans.CategoriesAsync(rounds, "census", dataset.Source, dataset.Partitions, columns, null, MissingPolicy.Drop, Split));
        Assert.Null(split.Fill);
        Assert.Equal(whole.Categories, split.Categories);
    }

    [Fact]
    public void A_tie_takes_the_first_category_in_order_and_a_column_with_no_training_value_is_refused_in_one_line()
    {
        var column = new CategoricalColumn { Name = "color", Categories = ["blue", "green", "red"], Fill = "red" };
        Assert.Equal("green", CategoryFills.FromCounts("parts", column, new Dictionary<string, long> { ["red"] = 4, ["green"] = 4, ["blue"] = 1 }, 9).Fill);
        var e = Assert.Throws<InvalidInputException>(() => CategoryFills.FromCounts("parts", column, new Dictionary<string, long>(), 12));
        Assert.Equal("parts: categorical column 'color' is entirely missing in the training part (12 row(s)): leave it out with --columns", e.Message);
    }

    [Fact]
    public void Numeric_codes_count_their_training_cells_by_value()
    {
        // '--categorical grade': '2' and '2.0' are one code; the training side has two of it, one '10'.
        var census = new CategoryCensus(["grade"], split: true) { Rows = 5, KeptRows = 3 };
        foreach (var (cell, n) in new[] { ("10", 3L), ("2", 1L), ("2.0", 1L) }) census.Counts[0][cell] = n;
        foreach (var (cell, n) in new[] { ("10", 1L), ("2", 1L), ("2.0", 1L) }) census.Kept![0][cell] = n;
        var column = Assert.Single(census.Encoding("parts", ["grade"], MissingPolicy.Mean));
        Assert.True(column.Codes);
        Assert.Equal("2", column.Fill);
    }
}

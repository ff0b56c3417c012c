using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// The category census of a partitioned dataset, merged over its partitions, is the encoding the single file's reader
/// (<see cref="CategoricalTable.ReadTraining"/>) learns from the concatenated rows — however the rows are cut into
/// files and byte ranges — and refuses what it refuses.
/// </summary>
public sealed class CategoryCensusTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Rows(int from, int count)
    {
        string[] colors = ["red", "green", "\"blue, dark\"", "Teal", "NA", ""];
        var sb = new StringBuilder();
        for (int i = from; i < from + count; i++)
            sb.Append(System.FormattableString.Invariant($"{i * 0.5},{colors[(i * 7) % colors.Length]},{(i % 3 == 0 ? "2.0" : i % 3 == 1 ? "10" : "2")},{i}\n"));
        return sb.ToString();
    }

    [Theory]
    [InlineData(MissingPolicy.Drop)]
    [InlineData(MissingPolicy.Median)]
    public void The_merged_census_of_files_and_byte_ranges_is_the_single_files_encoding(MissingPolicy missing)
    {
        const string header = "x,color,grade,y\n";
        string whole = _dir.Write("whole.csv", header + Rows(0, 300));
        Directory.CreateDirectory(Path.Combine(_dir.Path, "parts"));
        _dir.Write(Path.Combine("parts", "a.csv"), header + Rows(0, 40));
        _dir.Write(Path.Combine("parts", "b.csv"), header + Rows(40, 260));
        var expected = CategoricalTable.ReadTraining(whole, null, null, ["grade"], missing, null, _ => { })!.Encoding;

        foreach (var dataset in new[] { PartitionedDataset.Resolve(Path.Combine(_dir.Path, "parts"), splitSize: 500), PartitionedDataset.Resolve(whole, splitSize: 300) })
        {
            Assert.True(dataset.Partitions.Count > 4, $"{dataset.Partitions.Count} partitions"); // byte ranges, not vacuous
            var encoding = CategoryCensus.Collect(dataset.Source, dataset.Partitions, ["x", "color", "grade"], null, ["grade"], missing);
            Assert.Equal(expected.Length, encoding.Length);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k].Name, encoding[k].Name);
                Assert.Equal(expected[k].Codes, encoding[k].Codes);
                Assert.Equal(expected[k].Categories, encoding[k].Categories);
                Assert.Equal(expected[k].Fill, encoding[k].Fill);
            }
        }
        Assert.Equal(["Teal", "blue, dark", "green", "red"], expected[0].Categories);
        Assert.Equal(["2", "10"], expected[1].Categories);
    }

    [Fact]
    public void Too_many_categories_over_all_partitions_are_refused_though_each_has_few()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "ids"));
        _dir.Write(Path.Combine("ids", "a.csv"), "x,id,y\n" + string.Concat(Enumerable.Range(0, 700).Select(i => $"{i},id{i},1\n")));
        _dir.Write(Path.Combine("ids", "b.csv"), "x,id,y\n" + string.Concat(Enumerable.Range(700, 700).Select(i => $"{i},id{i},1\n")));
        var dataset = PartitionedDataset.Resolve(Path.Combine(_dir.Path, "ids"));
        var e = Assert.Throws<InvalidInputException>(() => CategoryCensus.Collect("ids", dataset.Partitions, ["x", "id"], null, null, MissingPolicy.Refuse));
        Assert.StartsWith("ids: column 'id' has 1400 categories, more than 1000", e.Message);
    }

    [Fact]
    public void A_column_past_the_count_limit_is_refused_as_more_than_1000_categories()
    {
        var a = new CategoryCensus(["id"]);
        var b = new CategoryCensus(["id"]);
        for (int i = 0; i < CategoryCensus.CountLimit; i++) a.Counts[0][$"a{i}"] = 1;
        b.Counts[0]["b"] = 1;
        a.Text[0] = true;
        var merged = a.Merge(b);
        Assert.True(merged.More[0]);
        Assert.Empty(merged.Counts[0]);
        var e = Assert.Throws<InvalidInputException>(() => merged.Encoding("data", null, MissingPolicy.Refuse));
        Assert.StartsWith("data: column 'id' has more than 1000 categories", e.Message);
    }
}

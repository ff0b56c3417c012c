using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// The census and the text-label scan as partition rounds (<see cref="PartitionScans"/>), each partition read where
/// its round runs and the partials merged in partition order, give what the client-side scans
/// (<see cref="CategoryCensus.Collect"/>, <see cref="TextLabelScan.Collect"/>) give, exactly.
/// </summary>
public sealed class PartitionScansTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Rows(int from, int count, bool textLabels)
    {
        string[] colors = ["red", "green", "\"blue, dark\"", "Teal", "NA", ""];
        string[] kinds = ["van", "\"sedan, 4-door\"", "SUV", "truck", "étoile"];
        var sb = new StringBuilder();
        for (int i = from; i < from + count; i++)
            sb.Append(System.FormattableString.Invariant(
                $"{i * 0.5},{colors[(i * 7) % colors.Length]},{(i % 3 == 0 ? "2.0" : i % 3 == 1 ? "10" : "2")},{(textLabels ? kinds[(i * 5 + i / 7) % kinds.Length] : (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        return sb.ToString();
    }

    private PartitionedDataset Parts(string name, bool textLabels)
    {
        const string header = "x,color,grade,y\n";
        Directory.CreateDirectory(Path.Combine(_dir.Path, name));
        _dir.Write(Path.Combine(name, "a.csv"), header + Rows(0, 40, textLabels));
        _dir.Write(Path.Combine(name, "b.csv"), header + Rows(40, 260, textLabels));
        _dir.Write(Path.Combine(name, "c.csv"), header + Rows(300, 90, textLabels));
        var dataset = PartitionedDataset.Resolve(Path.Combine(_dir.Path, name), splitSize: 700);
        Assert.True(dataset.Partitions.Count > 4, $"{dataset.Partitions.Count} partitions"); // byte ranges, not vacuous
        return dataset;
    }

    [Theory]
    [InlineData(MissingPolicy.Drop)]
    [InlineData(MissingPolicy.Median)]
    public async Task The_census_round_gives_the_client_side_census_and_encoding(MissingPolicy missing)
    {
        var dataset = Parts("cat", textLabels: false);
        var columns = new PartitionColumns(["x", "color", "grade"], ["y"], null);
        var rounds = new InProcessBlockRounds(2);

        var census = await rounds.PartitionCategoryCensusAsync("census", dataset.Partitions, columns);
        var client = new CategoryCensus(columns.FeatureNames);
        foreach (var p in dataset.Partitions) client.Merge(CategoryCensus.Of(p, columns.FeatureNames, null));
        Assert.Equal(390, census.Rows);
        Assert.Equal(client.Rows, census.Rows);
        Assert.Equal(client.Text, census.Text);
        Assert.Equal(client.More, census.More);
        for (int c = 0; c < columns.FeatureNames.Length; c++)
            Assert.Equal(client.Counts[c].OrderBy(kv => kv.Key, StringComparer.Ordinal), census.Counts[c].OrderBy(kv => kv.Key, StringComparer.Ordinal));

        var expected = CategoryCensus.Collect(dataset.Source, dataset.Partitions, columns.FeatureNames, null, ["grade"], missing);
        var encoding = await PartitionScans.CategoriesAsync(rounds, "census", dataset.Source, dataset.Partitions, columns, ["grade"], missing);
        Assert.Equal(2, encoding.Length);
        Assert.Equal(expected.Length, encoding.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Name, encoding[k].Name);
            Assert.Equal(expected[k].Codes, encoding[k].Codes);
            Assert.Equal(expected[k].Categories, encoding[k].Categories);
            Assert.Equal(expected[k].Fill, encoding[k].Fill);
        }
        Assert.Equal(["Teal", "blue, dark", "green", "red"], encoding[0].Categories);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_text_label_round_gives_the_client_side_classes_with_and_without_a_split(bool split)
    {
        var dataset = Parts("labels", textLabels: true);
        var columns = new PartitionColumns(["x", "grade"], ["y"], null) { Classify = true };
        var rowSplit = split ? new RowSplit(3, 0.99, TestSide: false) : null;
        var expected = TextLabelScan.Collect(dataset.Partitions, columns, rowSplit);
        var found = await PartitionScans.TextLabelsAsync(new InProcessBlockRounds(2), "labels", dataset.Partitions, columns, rowSplit);
        Assert.NotNull(expected);
        Assert.Equal(expected, found);
        if (!split) Assert.Equal(["SUV", "sedan, 4-door", "truck", "van", "étoile"], found!);
        else Assert.True(found!.Length < 5, string.Join("|", found)); // a 99 % hold-out leaves out some class: the split is applied
    }

    [Fact]
    public async Task Integer_labels_give_no_text_classes_either_way()
    {
        var dataset = Parts("ints", textLabels: false);
        var columns = new PartitionColumns(["x", "grade"], ["y"], null) { Classify = true };
        Assert.Null(TextLabelScan.Collect(dataset.Partitions, columns, null));
        Assert.Null(await PartitionScans.TextLabelsAsync(new InProcessBlockRounds(2), "labels", dataset.Partitions, columns, null));
    }
}

using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Classification;

/// <summary>
/// Text labels beside text categories in one read: <see cref="LabelledTable"/> codes the label column through
/// <see cref="CategoricalTable"/>, which one-hot encodes the feature columns around it.
/// </summary>
public sealed class TextLabelsWithCategoriesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (INumericTable Table, string[]? Names) ReadTraining(string path, MissingPolicy missing, List<string>? notes = null) =>
        LabelledTable.ReadTraining(path, null, ["kind"], n => notes?.Add(n), null,
            coders => CategoricalTable.ReadTraining(path, null, ["kind"], null, missing, null, n => notes?.Add(n), coders)
                      ?? throw new InvalidOperationException("no categorical column"));

    [Fact]
    public void Text_labels_and_text_categories_are_read_together()
    {
        string path = _dir.Write("t.csv", "colour,kind,size\nred,van,1\nblue,Bus,2\nred,car,NA\nNA,van,4\ngreen,NA,5\n");
        var (table, names) = ReadTraining(path, MissingPolicy.Median);
        Assert.Equal(["Bus", "car", "van"], names!);
        Assert.Equal(["colour=blue", "colour=red", "kind", "size"], table.Columns);
        double nan = double.NaN;
        // A missing colour takes the most frequent one (red); a missing label stays NaN (its row is dropped later);
        // green appears only in that unlabelled row, so it is no category.
        Assert.Equal(new[] { 0, 1, 2, 1, 1, 0, 0, 2, 0, 1, 1, nan, 0, 1, 2, 4, 0, 0, nan, 5 }, table.Values);
    }

    [Fact]
    public void The_fill_is_the_most_frequent_category_of_the_labelled_rows()
    {
        // blue is the most frequent over all rows (3 of 5) but not over the labelled ones (1 of 3, red has 2).
        string path = _dir.Write("f.csv", "colour,kind\nred,a\nred,b\nblue,a\nblue,NA\nblue,NA\nNA,b\n");
        var table = (CategoricalTable)ReadTraining(path, MissingPolicy.Mean).Table;
        Assert.Equal("red", table.Encoding[0].Fill);
    }

    [Fact]
    public void A_test_file_is_encoded_with_the_training_categories_and_classes()
    {
        string train = _dir.Write("train.csv", "colour,kind\nred,van\nblue,Bus\n");
        string test = _dir.Write("test.csv", "kind,colour\ntram,red\nvan,pink\nBus,blue\n");
        var (trained, names) = ReadTraining(train, MissingPolicy.Refuse);
        var encoding = ((CategoricalTable)trained).Encoding;
        var notices = new List<string>();
        var (table, unseen) = LabelledTable.ReadTest(test, null, "kind", names, _ => { }, null,
            coders => CategoricalTable.ReadEncoded(test, null, encoding, [], parseOthers: true, unknownIsError: false, null, notices.Add, coders));
        Assert.Equal(["tram"], unseen);
        Assert.Equal(["kind", "colour=blue", "colour=red"], table.Columns);
        Assert.Equal(new double[] { ClassLabels.UnseenText, 0, 1, 1, 0, 0, 0, 1, 0 }, table.Values);
        Assert.Single(notices, n => n.Contains("1 row(s) have a category not seen in training", StringComparison.Ordinal));
    }

    [Fact]
    public void A_category_column_that_is_entirely_missing_is_refused()
    {
        string path = _dir.Write("m.csv", "colour,shape,kind\nred,NA,a\nblue,NA,b\n");
        var e = Assert.Throws<InvalidInputException>(() =>
            LabelledTable.ReadTraining(path, null, ["kind"], _ => { }, null,
                coders => CategoricalTable.ReadTraining(path, null, ["kind"], ["shape"], MissingPolicy.Median, null, _ => { }, coders)!));
        Assert.Equal($"{path}: categorical column 'shape' is entirely missing (2 row(s)): leave it out with --columns", e.Message);
    }

    [Fact]
    public void The_text_gate_reads_with_the_given_separator()
    {
        string path = _dir.Write("s.csv", "colour;kind\nred;a\nblue;b\n");
        Assert.True(CategoricalTable.StartsWithText(path, null, ["kind"], ';'));
        string tabs = _dir.Write("t.tsv", "colour\tkind\nred\ta\n");
        Assert.True(CategoricalTable.StartsWithText(tabs, null, ["kind"], '\t'));
        // Read with ',' the header is one refused column: the gate says no, and the reader says why later.
        Assert.False(CategoricalTable.StartsWithText(tabs, null, null, ','));
    }
}

using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Classification;

/// <summary>Reading a classifier's label column: integers stay numbers, text becomes ordinally sorted classes.</summary>
public sealed class LabelledTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ntk-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Integer_labels_are_read_as_numbers_and_have_no_names()
    {
        string path = Write("a.csv", "x,y\n1,7\n2,-3\n3,7\n");
        var (table, names) = LabelledTable.ReadTraining(path, null, null, _ => { }, null);
        Assert.Null(names);
        Assert.Equal(new double[] { 1, 7, 2, -3, 3, 7 }, table.Values);
    }

    [Fact]
    public void One_text_label_makes_every_label_text_sorted_by_ordinal_order()
    {
        string path = Write("a.csv", "x,kind\n1,van\n2,Bus\n3,\"a \"\"big\"\" one\"\n4,10\n5,van\n6,NA\n");
        var (table, names) = LabelledTable.ReadTraining(path, null, null, _ => { }, null);
        Assert.Equal(new[] { "10", "Bus", "a \"big\" one", "van" }, names);
        double[] labels = Enumerable.Range(0, 6).Select(r => table.Values[r * 2 + 1]).ToArray();
        Assert.Equal(new[] { 3, 1, 2, 0, 3, double.NaN }, labels); // NA is a missing label: its row is dropped later
    }

    [Fact]
    public void A_number_that_is_not_an_integer_among_numbers_is_still_refused_with_its_line()
    {
        string path = Write("a.csv", "x,y\n1,0\n2,1.5\n");
        var e = Assert.Throws<DataFormatException>(() => LabelledTable.ReadTraining(path, null, null, _ => { }, null));
        Assert.Contains(":3:2: label column 'y': 1.5 is not an integer class label", e.Message);
    }

    [Fact]
    public void Test_labels_map_to_the_training_classes_and_unseen_text_is_listed()
    {
        string test = Write("t.csv", "kind,x\nvan,1\ntram,2\nBus,3\nboat,4\n");
        var (table, unseen) = LabelledTable.ReadTest(test, null, "kind", ["Bus", "van"], _ => { }, null);
        Assert.Equal(new double[] { 1, ClassLabels.UnseenText, 0, ClassLabels.UnseenText }, Enumerable.Range(0, 4).Select(r => table.Values[r * 2]));
        Assert.Equal(new[] { "boat", "tram" }, unseen);
    }

    [Fact]
    public void Text_test_labels_for_integer_classes_are_refused_in_one_line()
    {
        string test = Write("t.csv", "x,y\n1,3\n2,three\n");
        var e = Assert.Throws<InvalidInputException>(() => LabelledTable.ReadTest(test, null, "y", null, _ => { }, null));
        Assert.Equal($"{test}: label column 'y': 'three' is text, but the training labels are integers", e.Message);
    }

    [Fact]
    public void The_label_column_is_the_named_target_or_the_last_chosen_column()
    {
        string path = Write("a.csv", "kind,x,other\nvan,1,2\ncar,2,3\n");
        var (_, byTarget) = LabelledTable.ReadTraining(path, null, ["kind"], _ => { }, null);
        Assert.Equal(new[] { "car", "van" }, byTarget);
        var (_, byColumns) = LabelledTable.ReadTraining(path, ["x", "kind"], null, _ => { }, null);
        Assert.Equal(new[] { "car", "van" }, byColumns);
    }

    [Fact]
    public void Predictions_write_text_classes_quoted_when_needed_and_scores_under_the_class_names()
    {
        var classes = ClassLabels.Named("kind", ["a,b", "kind", "van"]);
        var scores = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowArrays([0.5, -1, 0.25], [-1, -0.5, 0.75]);
        Assert.Equal("kind\n\"a,b\"\nvan\n", PredictionCsv.FormatLabels(classes, scores));
        Assert.Equal("kind,\"a,b\",kind=kind,van\n\"a,b\",0.5,-1,0.25\nvan,-1,-0.5,0.75\n", PredictionCsv.FormatLabels(classes, scores, withScores: true));
    }
}

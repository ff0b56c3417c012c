using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Classification;

public sealed class ClassLabelsTests
{
    private static Matrix<double> Column(params double[] v) => Matrix<double>.Build.Dense(v.Length, 1, v);

    [Fact]
    public void Classes_are_the_sorted_distinct_training_labels()
    {
        var c = ClassLabels.FromTraining("y", Column(7, -2, 7, 3, -2, 10));
        Assert.Equal(new long[] { -2, 3, 7, 10 }, c.Labels);
        Assert.Equal(new[] { "y=-2", "y=3", "y=7", "y=10" }, c.ScoreNames());
    }

    [Fact]
    public void Encoding_is_plus_one_for_the_class_and_minus_one_elsewhere_and_all_minus_one_for_an_unseen_label()
    {
        var c = new ClassLabels("y", [0, 1, 5]);
        var y = c.Encode(Column(5, 0, 4));
        Assert.Equal(new double[] { -1, -1, 1 }, y.Row(0).ToArray());
        Assert.Equal(new double[] { 1, -1, -1 }, y.Row(1).ToArray());
        Assert.Equal(new double[] { -1, -1, -1 }, y.Row(2).ToArray());
    }

    [Fact]
    public void Decoding_takes_the_largest_score_and_breaks_ties_towards_the_smallest_class()
    {
        var c = new ClassLabels("y", [2, 4, 8]);
        var scores = Matrix<double>.Build.DenseOfRowArrays(
            [-0.2, 0.9, 0.1],
            [0.5, 0.5, 0.5],
            [-3, -1, -1],
            [-1, -2, 0.25]);
        Assert.Equal(new long[] { 4, 2, 4, 8 }, c.Decode(scores));
    }

    [Fact]
    public void Encode_then_decode_returns_the_training_labels()
    {
        var labels = Column(3, 1, 4, 1, 5, 9, 2, 6);
        var c = ClassLabels.FromTraining("y", labels);
        Assert.Equal(labels.Column(0).Select(v => (long)v).ToArray(), c.Decode(c.Encode(labels)));
    }

    [Fact]
    public void Unseen_test_labels_count_as_errors()
    {
        var c = new ClassLabels("y", [0, 1]);
        var score = ClassificationScore.Of(c, [0, 1, 1, 0], Column(0, 1, 7, 9));
        Assert.Equal(2, score.Correct);
        Assert.Equal(4, score.Rows);
        Assert.Equal(2, score.Unseen);
        Assert.Equal(new long[] { 7, 9 }, score.UnseenLabels);
        Assert.Equal(0.5, score.Accuracy);
    }

    [Fact]
    public void A_label_that_is_not_an_integer_is_refused_with_file_line_and_column()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("data.csv", "a,label,b\n1,0,2\n3,1,4\n5,2.5,6\n");
        var e = Assert.Throws<DataFormatException>(() => ClassLabels.CheckIntegers(CsvTable.Read(path), "label"));
        Assert.Equal(4, e.Line);
        Assert.Equal(2, e.Column);
        Assert.StartsWith($"{path}:4:2: label column 'label': 2.5 is not an integer", e.Message);
    }

    [Fact]
    public void Integer_labels_pass_the_check()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("data.csv", "a,label\n1,0\n3,-4\n5,12\n");
        ClassLabels.CheckIntegers(CsvTable.Read(path), "label"); // no exception
        Assert.Throws<InvalidInputException>(() => ClassLabels.CheckIntegers(CsvTable.Read(path), "nope"));
    }

    [Fact]
    public void Labels_must_be_distinct_and_ascending()
    {
        Assert.Throws<ArgumentException>(() => new ClassLabels("y", [1, 1]));
        Assert.Throws<ArgumentException>(() => new ClassLabels("y", [2, 1]));
        Assert.Throws<ArgumentException>(() => new ClassLabels("y", []));
    }
}

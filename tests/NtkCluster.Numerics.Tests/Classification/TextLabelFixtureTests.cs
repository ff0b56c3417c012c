using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Classification;

/// <summary>
/// Text labels, the confusion matrix with per-class precision, recall and macro-F1, and stratified folds against
/// scikit-learn (Fixtures/text-labels/make_text_label_fixtures.py).
/// </summary>
public sealed class TextLabelFixtureTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "text-labels", name);

    /// <summary>A fixture's rows as text fields (RFC 4180 quoting, as Python's csv module writes it).</summary>
    internal static List<string[]> Rows(string name)
    {
        var rows = new List<string[]>();
        foreach (string line in File.ReadAllLines(Fixture(name)))
        {
            var fields = new List<string>();
            int i = 0;
            while (i <= line.Length)
            {
                if (i < line.Length && line[i] == '"')
                {
                    int close = line.IndexOf('"', i + 1);
                    fields.Add(line[(i + 1)..close]);
                    i = close + 2;
                }
                else
                {
                    int comma = line.IndexOf(',', i);
                    if (comma < 0) comma = line.Length;
                    fields.Add(line[i..comma]);
                    i = comma + 1;
                }
            }
            rows.Add([.. fields]);
        }
        return rows;
    }

    private static readonly string[] Species = ["Versicolor", "setosa", "virginica, tall"];

    [Fact]
    public void Text_labels_become_the_ordinally_sorted_classes_and_their_codes()
    {
        var (table, names) = LabelledTable.ReadTraining(Fixture("iris-train.csv"), null, null, _ => { }, null);
        Assert.Equal(Species, names);
        var truth = Rows("iris-train.csv").Skip(1).Select(r => r[^1]).ToArray();
        Assert.Equal(truth.Length, table.RowCount);
        for (int r = 0; r < table.RowCount; r++) Assert.Equal(Array.IndexOf(Species, truth[r]), table.Values[r * 3 + 2]);
    }

    [Fact]
    public void Confusion_matrix_precision_recall_and_macro_f1_are_scikit_learns_on_the_same_predictions()
    {
        var classes = ClassLabels.Named("species", Species);
        var truth = Rows("iris-test.csv").Skip(1).Select(r => (double)Array.IndexOf(Species, r[^1])).ToArray();
        var predicted = Rows("expected-iris-rbf.csv").Skip(1).Select(r => (long)Array.IndexOf(Species, r[0])).ToArray();
        var score = ClassificationScore.Of(classes, predicted, Matrix<double>.Build.Dense(truth.Length, 1, truth));
        var metrics = ClassMetrics.Of(classes, score.Confusion!);

        Assert.Equal(File.ReadAllText(Fixture("expected-confusion.csv")), metrics.Csv());
        var expected = Rows("expected-per-class.csv").Skip(1).ToArray();
        for (int k = 0; k < Species.Length; k++)
        {
            Assert.Equal(Species[k], expected[k][0]);
            Assert.Equal(double.Parse(expected[k][1], CultureInfo.InvariantCulture), metrics.Precision[k], 15);
            Assert.Equal(double.Parse(expected[k][2], CultureInfo.InvariantCulture), metrics.Recall[k], 15);
            Assert.Equal(double.Parse(expected[k][3], CultureInfo.InvariantCulture), metrics.F1[k], 15);
            Assert.Equal(long.Parse(expected[k][4], CultureInfo.InvariantCulture), metrics.Support[k]);
        }
        Assert.Equal("macro", expected[^1][0]);
        Assert.Equal(double.Parse(expected[^1][3], CultureInfo.InvariantCulture), metrics.MacroF1, 15);
        Assert.True(metrics.MacroF1 < 1, "the fixture has errors, so the metrics are not all trivially 1");
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_as_scikit_learns_zero_division_0()
    {
        var classes = ClassLabels.Named("y", ["a", "b"]);
        var score = ClassificationScore.Of(classes, [0, 0, 0], Matrix<double>.Build.Dense(3, 1, [0, 1, 1]));
        var m = ClassMetrics.Of(classes, score.Confusion!);
        Assert.Equal(new long[] { 1, 0, 2, 0 }, score.Confusion);
        Assert.Equal(new[] { 1.0 / 3, 0 }, m.Precision);
        Assert.Equal(new[] { 1.0, 0 }, m.Recall);
        Assert.Equal((0.5 + 0) / 2, m.MacroF1, 15);
    }

    private static Matrix<double> Codes(IEnumerable<string> labels)
    {
        var all = labels.ToArray();
        string[] sorted = all.Distinct().Order(StringComparer.Ordinal).ToArray();
        return Matrix<double>.Build.Dense(all.Length, 1, all.Select(l => (double)Array.BinarySearch(sorted, l, StringComparer.Ordinal)).ToArray());
    }

    [Theory]
    [InlineData("iris", "iris-train.csv", 4)]
    [InlineData("skewed", "skewed-labels.csv", 5)]
    public void Stratified_folds_hold_as_many_rows_of_each_class_as_scikit_learns_StratifiedKFold(string dataset, string file, int k)
    {
        var labels = Rows(file).Skip(1).Select(r => r[^1]).ToArray();
        string[] classes = labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var expected = Rows("expected-stratified.csv").Skip(1).Where(r => r[0] == dataset)
            .ToDictionary(r => (int.Parse(r[1], CultureInfo.InvariantCulture), r[2]), r => int.Parse(r[3], CultureInfo.InvariantCulture));
        Assert.Equal(k * classes.Length, expected.Count);
        foreach (ulong seed in new ulong[] { 0, 1, 42 })
        {
            int[] fold = KFolds.AssignStratified(Codes(labels), k, seed);
            for (int f = 0; f < k; f++)
            {
                foreach (string c in classes)
                    Assert.Equal(expected[(f, c)], Enumerable.Range(0, labels.Length).Count(i => fold[i] == f && labels[i] == c));
            }
        }
    }

    [Fact]
    public void Stratified_folds_are_the_same_for_the_same_seed_and_differ_for_another()
    {
        var labels = Codes(Rows("skewed-labels.csv").Skip(1).Select(r => r[0]));
        Assert.Equal(KFolds.AssignStratified(labels, 5, 3), KFolds.AssignStratified(labels, 5, 3));
        Assert.NotEqual(KFolds.AssignStratified(labels, 5, 3), KFolds.AssignStratified(labels, 5, 4));
    }

    [Theory]
    [InlineData(0.2, 0UL)]
    [InlineData(0.33, 5UL)]
    [InlineData(0.5, 9UL)]
    public void A_stratified_split_holds_out_each_class_within_one_row_of_its_share(double fraction, ulong seed)
    {
        var labels = Codes(Rows("skewed-labels.csv").Skip(1).Select(r => r[0]));
        int n = labels.RowCount;
        var x = Matrix<double>.Build.Dense(n, 1, (i, _) => i);
        var data = new Dataset(["row"], x, ["label"], labels);
        var (train, test) = TrainTestSplit.SplitStratified(data, fraction, seed);
        int testCount = (int)Math.Round(fraction * n, MidpointRounding.AwayFromZero);
        Assert.Equal(testCount, test.Rows);
        Assert.Equal(n, train.Rows + test.Rows);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (double)i), train.X.Column(0).Concat(test.X.Column(0)).Order());
        for (int c = 0; c < 4; c++)
        {
            int size = labels.Column(0).Count(v => v == c), held = test.Y.Column(0).Count(v => v == c);
            Assert.InRange(held, Math.Floor((double)testCount * size / n), Math.Ceiling((double)testCount * size / n));
        }
        var again = TrainTestSplit.SplitStratified(data, fraction, seed);
        Assert.Equal(test.X.Column(0).ToArray(), again.Test.X.Column(0).ToArray());
    }
}

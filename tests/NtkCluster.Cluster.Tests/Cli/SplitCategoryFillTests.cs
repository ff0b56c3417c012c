using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Cluster.Tests.Cli;

/// <summary>
/// With <c>--test-fraction</c> and <c>--missing mean|median</c>, a categorical column's fill (its most frequent
/// category) comes from the training part only, as the numeric fills do and as scikit-learn's
/// <c>SimpleImputer(strategy="most_frequent")</c> fitted on the training split does: the held-out rows must not tip it.
/// </summary>
public sealed class SplitCategoryFillTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const int Rows = 20;
    private const double Fraction = 0.5;
    private const ulong Seed = 3;

    /// <summary>Which rows the split puts in the test part: the split depends on the row count and seed only.</summary>
    private static HashSet<int> TestRows()
    {
        var index = new Dataset(["i"], Matrix<double>.Build.Dense(Rows, 1, (r, _) => r), ["y"], Matrix<double>.Build.Dense(Rows, 1));
        var (_, test) = TrainTestSplit.Split(index, Fraction, Seed);
        return Enumerable.Range(0, test.Rows).Select(r => (int)test.X[r, 0]).ToHashSet();
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void The_category_fill_is_the_training_parts_most_frequent_category(string format)
    {
        var test = TestRows();
        int[] train = Enumerable.Range(0, Rows).Where(r => !test.Contains(r)).ToArray();
        // Training part: one missing colour, the rest red but two blue; test part: all blue. Over the whole file blue
        // is the most frequent, over the training part red.
        string Colour(int r) => test.Contains(r) ? "blue" : r == train[0] ? "NA" : r == train[1] || r == train[2] ? "blue" : "red";
        string path;
        if (format == "csv")
        {
            var csv = new StringBuilder("colour,x,y\n");
            for (int r = 0; r < Rows; r++) csv.Append($"{Colour(r)},{r},{r % 3}\n");
            path = _dir.Write("colours.csv", csv.ToString());
        }
        else
        {
            // A single Parquet file with a string column is read as a one-file partitioned dataset (ParquetCategorical):
            // its missing cells too must wait for the split rather than take the whole file's most frequent category.
            path = NtkCluster.Numerics.Tests.Data.ParquetTestFile.Write(_dir.PathOf("colours.parquet"), 7,
                NtkCluster.Numerics.Tests.Data.ParquetTestColumn.Strings("colour", Enumerable.Range(0, Rows).Select(Colour).ToArray()),
                NtkCluster.Numerics.Tests.Data.ParquetTestColumn.Of("x", Enumerable.Range(0, Rows).Select(r => (double)r).ToArray()),
                NtkCluster.Numerics.Tests.Data.ParquetTestColumn.Of("y", Enumerable.Range(0, Rows).Select(r => (double)(r % 3)).ToArray()));
        }
        var notes = new List<string>();
        var options = new DataOptions(path, null, Fraction, Seed, ["y"], false, false, false, Workers: 1, BlockTimeoutSeconds: null,
            Missing: MissingPolicy.Mean);
        var loaded = options.Load(notes.Add, labels: false);

        Assert.Equal("red", loaded.Train.Categorical![0].Fill);
        int blue = Array.IndexOf(loaded.Train.FeatureNames, "colour=blue"), red = Array.IndexOf(loaded.Train.FeatureNames, "colour=red");
        int x = Array.IndexOf(loaded.Train.FeatureNames, "x");
        int filled = Enumerable.Range(0, loaded.Train.Rows).Single(i => loaded.Train.X[i, x] == train[0]);
        Assert.Equal((0.0, 1.0), (loaded.Train.X[filled, blue], loaded.Train.X[filled, red]));
        Assert.Single(notes, n => n.Contains("1 missing cell(s) of categorical columns", StringComparison.Ordinal));
        // The numeric note counts the numeric columns' cells only (none here), not the one-hot columns of the missing colour.
        Assert.DoesNotContain(notes, n => n.Contains("--missing mean fills", StringComparison.Ordinal));
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class DatasetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CsvTable Table(string name, string contents) => CsvTable.Read(_dir.Write(name, contents));

    [Fact]
    public void Target_defaults_to_last_column()
    {
        Dataset data = Dataset.FromTable(Table("train.csv", "a,b,y\n1,2,3\n4,5,6\n"), null);

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["y"], data.TargetNames);
        Assert.Equal(2, data.Rows);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 4, 5 } }), data.X);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 3 }, { 6 } }), data.Y);
    }

    [Fact]
    public void Empty_target_list_means_last_column()
    {
        Dataset data = Dataset.FromTable(Table("train.csv", "a,b,y\n1,2,3\n"), []);
        Assert.Equal(["y"], data.TargetNames);
    }

    [Fact]
    public void Several_named_targets_keep_the_given_order_and_features_keep_file_order()
    {
        Dataset data = Dataset.FromTable(Table("train.csv", "t1,a,t2,b\n1,2,3,4\n5,6,7,8\n"), ["t2", "t1"]);

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["t2", "t1"], data.TargetNames);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 4 }, { 6, 8 } }), data.X);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 3, 1 }, { 7, 5 } }), data.Y);
    }

    [Fact]
    public void Unknown_target_lists_the_columns()
    {
        CsvTable table = Table("train.csv", "a,b,c\n1,2,3\n");
        var error = Assert.Throws<InvalidInputException>(() => Dataset.FromTable(table, ["foo"]));
        Assert.Equal($"{table.Path}: no column 'foo' (columns: a, b, c)", error.Message);
    }

    [Fact]
    public void Target_given_twice_is_rejected()
    {
        CsvTable table = Table("train.csv", "a,b,c\n1,2,3\n");
        var error = Assert.Throws<InvalidInputException>(() => Dataset.FromTable(table, ["c", "c"]));
        Assert.Equal($"{table.Path}: target column 'c' is given twice", error.Message);
    }

    [Fact]
    public void No_feature_columns_left_is_rejected()
    {
        CsvTable single = Table("one.csv", "y\n1\n2\n");
        var error = Assert.Throws<InvalidInputException>(() => Dataset.FromTable(single, null));
        Assert.Equal($"{single.Path}: no feature columns left: every column ('y') is a target", error.Message);

        CsvTable two = Table("two.csv", "a,b\n1,2\n");
        error = Assert.Throws<InvalidInputException>(() => Dataset.FromTable(two, ["b", "a"]));
        Assert.Equal($"{two.Path}: no feature columns left: every column ('b', 'a') is a target", error.Message);
    }

    [Fact]
    public void Features_for_picks_columns_by_name_in_model_order_and_ignores_targets()
    {
        CsvTable table = Table("data.csv", "b,y,a\n1,2,3\n4,5,6\n");
        Matrix<double> x = Dataset.FeaturesFor(table, ["a", "b"], ["y"]);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 3, 1 }, { 6, 4 } }), x);
    }

    [Fact]
    public void Features_for_accepts_table_without_targets()
    {
        CsvTable table = Table("data.csv", "a,b\n1,2\n");
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } }), Dataset.FeaturesFor(table, ["a", "b"], ["y"]));
    }

    [Fact]
    public void Features_for_missing_feature_is_rejected()
    {
        CsvTable table = Table("data.csv", "age,y\n1,2\n");
        var error = Assert.Throws<InvalidInputException>(() => Dataset.FeaturesFor(table, ["age", "bmi"], ["y"]));
        Assert.Equal($"{table.Path}: missing column 'bmi' that the model was trained on", error.Message);
    }

    [Fact]
    public void Features_for_extra_column_is_rejected()
    {
        CsvTable table = Table("data.csv", "age,foo,bmi\n1,2,3\n");
        var error = Assert.Throws<InvalidInputException>(() => Dataset.FeaturesFor(table, ["age", "bmi"], ["y"]));
        Assert.Equal($"{table.Path}: column 'foo' is not one the model was trained on", error.Message);
    }

    [Fact]
    public void Subset_copies_the_chosen_rows_in_the_given_order()
    {
        Dataset data = Dataset.FromTable(Table("train.csv", "a,b,y\n1,2,10\n3,4,20\n5,6,30\n"), null);
        Dataset subset = data.Subset([2, 0]);

        Assert.Equal(data.FeatureNames, subset.FeatureNames);
        Assert.Equal(data.TargetNames, subset.TargetNames);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 5, 6 }, { 1, 2 } }), subset.X);
        Assert.Equal(Matrix<double>.Build.DenseOfArray(new double[,] { { 30 }, { 10 } }), subset.Y);

        subset.X[0, 0] = -1;
        Assert.Equal(5, data.X[2, 0]);
    }

    [Fact]
    public void Subset_rejects_bad_indices()
    {
        Dataset data = Dataset.FromTable(Table("train.csv", "a,y\n1,2\n3,4\n"), null);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([-1]));
        Assert.Throws<ArgumentException>(() => data.Subset([]));
    }

    [Fact]
    public void Constructor_checks_shapes()
    {
        var x = Matrix<double>.Build.Dense(3, 2);
        var y = Matrix<double>.Build.Dense(3, 1);
        Assert.Equal(3, new Dataset(["a", "b"], x, ["y"], y).Rows);
        Assert.Throws<ArgumentException>(() => new Dataset(["a"], x, ["y"], y));
        Assert.Throws<ArgumentException>(() => new Dataset(["a", "b"], x, ["y", "z"], y));
        Assert.Throws<ArgumentException>(() => new Dataset(["a", "b"], x, ["y"], Matrix<double>.Build.Dense(2, 1)));
    }
}

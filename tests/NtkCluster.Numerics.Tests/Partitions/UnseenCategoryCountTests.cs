using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// The count of rows with a category unseen in training, from one-hot encoded blocks: all zeros in a column's one-hot
/// columns is unseen; a 1 (a category, or a missing cell's fill) or NaN (a missing cell without one) is not.
/// </summary>
public sealed class UnseenCategoryCountTests
{
    private static readonly CategoricalColumn Body = new() { Name = "body", Categories = ["sedan", "suv"] };
    private static readonly CategoricalColumn Fuel = new() { Name = "fuel", Categories = ["diesel", "petrol", "electric"] };

    [Fact]
    public void A_row_counts_once_however_many_of_its_columns_are_unseen_and_each_column_counts_its_cells()
    {
        // Features: weight, body=sedan, body=suv, fuel=diesel, fuel=petrol, fuel=electric.
        string[] names = ["weight", "body=sedan", "body=suv", "fuel=diesel", "fuel=petrol", "fuel=electric"];
        var count = new UnseenCategoryCount(names, [Body, Fuel]);
        count.Add(Matrix<double>.Build.DenseOfRowArrays(
            [1, 1, 0, 0, 1, 0],                                  // seen, seen
            [0, 0, 0, 1, 0, 0],                                  // body unseen (a zero weight is no category)
            [2, 0, 0, 0, 0, 0],                                  // both unseen: one row
            [3, double.NaN, double.NaN, 0, 0, 1]));              // body missing without a fill: not unseen
        count.Add(Matrix<double>.Build.DenseOfRowArrays([4, 0, 1, 0, 0, 0]));  // fuel unseen, in a second block
        Assert.Equal(3, count.Rows);
        Assert.Equal([2L, 2L], count.PerColumn);
    }

    [Fact]
    public void Without_an_encoding_nothing_is_counted()
    {
        var count = new UnseenCategoryCount(["a", "b"], null);
        count.Add(Matrix<double>.Build.Dense(3, 2));
        Assert.Equal(0, count.Rows);
        Assert.Empty(count.PerColumn);
    }
}

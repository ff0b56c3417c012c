using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class KFoldsTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(1437, 5)]
    [InlineData(7, 7)]
    public void Folds_partition_the_rows_with_sizes_as_KFold_cuts_them(int rows, int k)
    {
        var fold = KFolds.Assign(rows, k, seed: 3);
        Assert.Equal(rows, fold.Length);
        Assert.All(fold, f => Assert.InRange(f, 0, k - 1));
        for (int f = 0; f < k; f++)
        {
            // scikit-learn's KFold: the first n mod k folds hold one row more.
            int expected = rows / k + (f < rows % k ? 1 : 0);
            Assert.Equal(expected, fold.Count(x => x == f));
            var (train, held) = KFolds.Split(fold, f);
            Assert.Equal(rows, train.Length + held.Length);
            Assert.Empty(train.Intersect(held));
            Assert.Equal(Enumerable.Range(0, rows), train.Concat(held).Order());
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_and_another_seed_other_folds()
    {
        Assert.Equal(KFolds.Assign(200, 5, 11), KFolds.Assign(200, 5, 11));
        Assert.NotEqual(KFolds.Assign(200, 5, 11), KFolds.Assign(200, 5, 12));
    }

    [Fact]
    public void The_folds_are_shuffled_not_consecutive_runs()
    {
        var fold = KFolds.Assign(100, 4, 0);
        // Consecutive runs would change fold 3 times; a shuffle changes it far more often.
        int changes = Enumerable.Range(1, 99).Count(i => fold[i] != fold[i - 1]);
        Assert.True(changes > 30, $"{changes} changes of fold along the rows");
    }

    [Fact]
    public void Too_few_rows_or_folds_are_refused()
    {
        Assert.Throws<InvalidInputException>(() => KFolds.Assign(3, 4, 0));
        Assert.Throws<InvalidInputException>(() => KFolds.Assign(10, 1, 0));
    }
}

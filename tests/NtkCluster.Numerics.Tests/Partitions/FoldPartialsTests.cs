using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Partitions;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>A fold's training partial is the other folds' partials added in fold order, from zero.</summary>
public sealed class FoldPartialsTests
{
    private static PartitionGram Partial(double v, long rows) =>
        new(Matrix<double>.Build.Dense(2, 2, v), Matrix<double>.Build.Dense(2, 1, 2 * v), [3 * v], rows);

    [Fact]
    public void The_training_partial_of_a_fold_sums_every_other_fold_and_leaves_the_folds_unchanged()
    {
        // 1e16 + 1 − 1e16 would lose the 1; the sum of the others in order keeps what order gives.
        var folds = new[] { Partial(1e16, 5), Partial(1, 3), Partial(2, 4) };
        var training = FoldPartials.TrainingOf(folds, 0);
        Assert.Equal(3.0, training.Gram[0, 0]);
        Assert.Equal(6.0, training.Cross[1, 0]);
        Assert.Equal(9.0, training.Squares[0]);
        Assert.Equal(7, training.Rows);
        Assert.Equal(1e16 + 2, FoldPartials.TrainingOf(folds, 1).Gram[1, 1]);
        Assert.Equal(1.0, folds[1].Gram[0, 0]); // the folds' own partials are not added into
        Assert.Throws<ArgumentOutOfRangeException>(() => FoldPartials.TrainingOf(folds, 3));
    }
}

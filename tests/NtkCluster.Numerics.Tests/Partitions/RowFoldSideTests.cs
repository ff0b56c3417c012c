using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Partitions;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// A fold's side of a partitioned dataset (<see cref="RowSplit.OfFold"/>) and the folds of a block on a split's side
/// (<see cref="RowFolds.Split"/>): every row's fold is the hash of its global index, within the split's side.
/// </summary>
public sealed class RowFoldSideTests
{
    private static readonly RowFolds Folds = new(7, 3);
    private static readonly RowSplit Outer = new(5, 0.3, TestSide: false);

    [Fact]
    public void A_folds_training_and_held_out_sides_partition_the_outer_side_by_the_rows_fold()
    {
        for (int f = 0; f < 3; f++)
        {
            var fit = RowSplit.OfFold(Outer, Folds, f, held: false);
            var held = fit.OtherSide();
            Assert.Equal(RowSplit.OfFold(Outer, Folds, f, held: true), held);
            for (long r = 0; r < 2000; r++)
            {
                bool outer = Outer.Keeps(r);
                Assert.Equal(outer && Folds.Of(r) != f, fit.Keeps(r));
                Assert.Equal(outer && Folds.Of(r) == f, held.Keeps(r));
            }
        }
        // Without a split every row is on the outer side: a test fraction of 0 holds none out.
        var all = RowSplit.OfFold(null, Folds, 1, held: true);
        Assert.Equal(Enumerable.Range(0, 300).Count(r => Folds.Of(r) == 1), Enumerable.Range(0, 300).Count(r => all.Keeps(r)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSplit.OfFold(null, Folds, 3, held: false));
    }

    [Fact]
    public void A_blocks_rows_on_a_splits_side_get_the_folds_of_their_global_indices()
    {
        // Partition 1 starts at global row 1000; its block 1 at row 64 of the partition.
        var partition = new DataPartition(1, "part-1.csv", DataFormat.Csv, new FileFingerprint(10, DateTime.UnixEpoch, "0123456789abcdef0123456789abcdef"), -1, 0, 10,
            200, 1000, 0);
        var x = Matrix<double>.Build.Dense(64, 1, (i, _) => 1064 + i);
        var block = new RowBlock(1, 64, x, x.Clone());
        var pieces = Folds.Split(partition, block, Outer);
        for (int f = 0; f < 3; f++)
        {
            double[] expected = Enumerable.Range(1064, 64).Where(r => Outer.Keeps(r) && Folds.Of(r) == f).Select(r => (double)r).ToArray();
            Assert.Equal(expected, pieces[f]?.X.Column(0).ToArray() ?? []);
        }
        Assert.Equal(Enumerable.Range(1064, 64).Count(r => Outer.Keeps(r)), pieces.Sum(p => p?.Rows ?? 0));
        Assert.True(pieces.Sum(p => p?.Rows ?? 0) < 64); // not vacuous: the split held some rows out
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Random;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>The hashed bottom-k sample: the k rows of smallest hash, the same whatever pieces it is merged from and in what order.</summary>
public sealed class RowSampleTests
{
    private static SampledRows Rows(IEnumerable<long> rows)
    {
        long[] r = rows.ToArray();
        return new SampledRows(r, Matrix<double>.Build.Dense(r.Length, 2, (i, j) => r[i] * 10 + j), Matrix<double>.Build.Dense(r.Length, 1, (i, _) => -r[i]));
    }

    [Fact]
    public void Merging_pieces_in_any_order_gives_the_rows_of_smallest_hash_in_row_order()
    {
        var sample = new RowSample(42, 50);
        long[] expected = Enumerable.Range(0, 1000).Select(i => (long)i).OrderBy(r => RowHash.Bits(42, DrawPurpose.HashedSubsample, r)).Take(50).Order().ToArray();
        var pieces = new[] { Rows(Enumerable.Range(0, 300).Select(i => (long)i)), Rows(Enumerable.Range(300, 450).Select(i => (long)i)),
            Rows(Enumerable.Range(750, 250).Select(i => (long)i)) };
        var forward = pieces.Aggregate(SampledRows.Empty(2, 1), (acc, p) => acc.Merge(p, sample));
        var backward = pieces.Reverse().Aggregate(SampledRows.Empty(2, 1), (acc, p) => acc.Merge(p, sample));
        Assert.Equal(expected, forward.Rows);
        Assert.Equal(expected, backward.Rows);
        // Every row keeps its own features and targets.
        Assert.Equal(expected.Select(r => r * 10 + 1.0), forward.X.Column(1).ToArray());
        Assert.Equal(expected.Select(r => -(double)r), backward.Y.Column(0).ToArray());
    }

    [Fact]
    public void Fewer_rows_than_the_sample_size_are_all_kept()
    {
        var all = SampledRows.Empty(2, 1).Merge(Rows([5, 1, 3]), new RowSample(0, 10));
        Assert.Equal([1L, 3, 5], all.Rows);
    }
}

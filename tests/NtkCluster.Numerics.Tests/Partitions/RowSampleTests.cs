using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Random;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

/// <summary>
/// A hashed row sample is the k rows with the smallest (hash of (seed, global index), index): found per partition from
/// row ranges alone and merged, it is the selection a brute force over all indices makes, whatever the partitioning,
/// the hash cut or the order of merging; its read requests cover exactly the chosen rows in bounded pieces.
/// </summary>
public sealed class RowSampleTests
{
    private static readonly FileFingerprint Fingerprint = new(1000, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "abc");

    /// <summary>Partitions of the given sizes, counted (first rows and row counts set), without files: keys need none.</summary>
    private static DataPartition[] Ranges(params long[] sizes)
    {
        var partitions = new DataPartition[sizes.Length];
        long first = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            partitions[i] = new DataPartition(i, $"part-{i}.csv", DataFormat.Csv, Fingerprint, -1, 0, 1000, sizes[i], first, 0);
            first += sizes[i];
        }
        return partitions;
    }

    /// <summary>The reference: every index of [0, n) on the side, its 64 bits from RowHash with the sample's purpose, the
    /// k smallest (bits, index) pairs, as ascending indices.</summary>
    private static long[] BruteForce(long n, RowSplit? split, ulong seed, int k) =>
        Enumerable.Range(0, (int)n).Select(i => (long)i)
            .Where(i => split is null || RowHash.IsTest(split.Seed, i, split.TestFraction) == split.TestSide)
            .Select(i => (Bits: RowHash.Bits(seed, DrawPurpose.HashedRowSample, i), Row: i))
            .OrderBy(x => x.Bits).ThenBy(x => x.Row).Take(k).Select(x => x.Row).Order().ToArray();

    private static long[] Sample(DataPartition[] partitions, RowSplit? split, ulong seed, int k, ulong maxHash = ulong.MaxValue)
    {
        RowSampleKey[] merged = [];
        foreach (var p in partitions) merged = RowSample.MergeSmallest(merged, RowSample.SmallestKeys(p, split, seed, k, maxHash), k);
        return RowSample.Rows(merged);
    }

    [Theory]
    [InlineData(0UL, 50)]
    [InlineData(7UL, 1)]
    [InlineData(ulong.MaxValue, 400)]
    public void The_sample_is_the_brute_force_selection_whatever_the_partitioning(ulong seed, int k)
    {
        var expected = BruteForce(3000, null, seed, k);
        Assert.Equal(k, expected.Length);
        Assert.Equal(expected, Sample(Ranges(3000), null, seed, k));
        Assert.Equal(expected, Sample(Ranges(1300, 700, 1000), null, seed, k));
        Assert.Equal(expected, Sample(Ranges(1, 2, 997, 2000), null, seed, k));
        // Merged in another order: a total order on keys makes the k smallest one set.
        RowSampleKey[] reversed = [];
        foreach (var p in Ranges(1300, 700, 1000).Reverse()) reversed = RowSample.MergeSmallest(RowSample.SmallestKeys(p, null, seed, k), reversed, k);
        Assert.Equal(expected, RowSample.Rows(reversed));
    }

    [Fact]
    public void On_one_side_of_a_split_the_sample_picks_among_that_side_only()
    {
        var split = new RowSplit(11, 0.3, TestSide: false);
        var expected = BruteForce(3000, split, 5, 200);
        var sample = Sample(Ranges(1300, 700, 1000), split, 5, 200);
        Assert.Equal(expected, sample);
        Assert.All(sample, row => Assert.True(split.Keeps(row)));
        var held = Sample(Ranges(1300, 700, 1000), split.OtherSide(), 5, 200);
        Assert.Empty(sample.Intersect(held));
    }

    [Fact]
    public void A_sample_larger_than_the_data_holds_every_row_in_order()
    {
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), Sample(Ranges(10, 20, 30), null, 3, 100));
    }

    [Fact]
    public void A_hash_cut_that_lets_at_least_k_keys_through_changes_nothing_and_one_too_tight_lets_fewer()
    {
        var partitions = Ranges(5000, 3000, 2000);
        var expected = Sample(partitions, null, 9, 100);
        ulong bound = RowSample.HashBound(10_000, 100);
        int passing = partitions.Sum(p => RowSample.SmallestKeys(p, null, 9, int.MaxValue, bound).Length);
        // About BoundSlack·k pass in expectation (Binomial(10 000, 0.02): mean 200, sd 14).
        Assert.InRange(passing, 140, 260);
        Assert.Equal(expected, Sample(partitions, null, 9, 100, bound));
        var tight = Sample(partitions, null, 9, 100, RowSample.HashBound(10_000, 100) / 8);
        Assert.True(tight.Length < 100);
        Assert.Equal(ulong.MaxValue, RowSample.HashBound(100, 100));
    }

    [Fact]
    public void Requests_cover_exactly_the_chosen_rows_in_partition_order_in_pieces_of_at_most_the_limit()
    {
        var partitions = Ranges(100, 50, 0, 200);
        long[] rows = [0, 3, 99, 100, 149, 150, 151, 152, 153, 154, 155, 349];
        var requests = RowSample.Requests(partitions, rows, maxRows: 3);
        Assert.Equal(rows, requests.SelectMany(r => r.Rows));
        Assert.All(requests, r => Assert.InRange(r.Rows.Length, 1, 3));
        Assert.All(requests, r => Assert.All(r.Rows, row => Assert.InRange(row, r.Partition.FirstRow!.Value,
            r.Partition.FirstRow!.Value + r.Partition.RowCount!.Value - 1)));
        Assert.Equal([0, 1, 3, 3, 3], requests.Select(r => r.Partition.Index));
        Assert.Throws<ArgumentException>(() => RowSample.Requests(partitions, [350], 3));
        Assert.Throws<ArgumentException>(() => RowSample.Requests(partitions, [5, 5], 3));
    }

    [Fact]
    public void Every_row_is_about_equally_likely_to_be_sampled()
    {
        // 400 seeds of a 20-of-200 sample: each row is in Binomial(400, 0.1) of them (mean 40, sd 6).
        var counts = new int[200];
        for (ulong seed = 0; seed < 400; seed++)
            foreach (long row in Sample(Ranges(120, 80), null, seed, 20)) counts[row]++;
        Assert.All(counts, c => Assert.InRange(c, 15, 70));
        Assert.Equal(400 * 20, counts.Sum());
    }
}

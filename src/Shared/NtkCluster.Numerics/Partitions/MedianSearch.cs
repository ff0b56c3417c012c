namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// <c>--missing median</c> on a partitioned dataset: each feature column's exact median over the present cells of all
/// partitions, as numpy's <c>nanmedian</c> (and <see cref="Data.MissingValues.Fills"/>) gives it on one file.
/// </summary>
/// <remarks>
/// Why a radix search over the doubles' order keys (<see cref="MedianProbe.OrderKey"/>), not a gather of sorted values:
/// the values of a column may be far more than one process can hold, while the search holds nothing but counts —
/// 8 rounds, each a pass over the partitions that counts, for each column's two middle ranks, the present values under
/// the key bytes found so far by their next byte (512 counts per column a partition). Counts are integers, added in
/// partition order, so the result is exactly the median whatever the number of workers or the order their answers
/// arrive in; the cost is 8 passes over the data (cached rows make them cheap on a cluster).
/// </remarks>
public static class MedianSearch
{
    /// <summary>The bytes of a key: one round each.</summary>
    public const int Rounds = 8;

    /// <param name="presentCounts">Each column's present cells (from the census), at least one each.</param>
    /// <param name="countRound">Runs one round with the probe and returns the merged histogram.</param>
    public static async Task<double[]> FindAsync(long[] presentCounts, Func<MedianProbe, Task<long[]>> countRound)
    {
        ArgumentNullException.ThrowIfNull(presentCounts);
        ArgumentNullException.ThrowIfNull(countRound);
        int d = presentCounts.Length;
        var ranks = new long[d * MedianProbe.Targets];
        for (int c = 0; c < d; c++)
        {
            // The lower and upper middle ranks (0-based): equal for an odd count.
            ranks[c * 2] = (presentCounts[c] - 1) / 2;
            ranks[c * 2 + 1] = presentCounts[c] / 2;
        }
        var prefixes = new ulong[ranks.Length];
        for (int digit = 0; digit < Rounds; digit++)
        {
            long[] histogram = await countRound(new MedianProbe((ulong[])prefixes.Clone(), digit));
            for (int slot = 0; slot < ranks.Length; slot++)
            {
                long before = 0;
                int bucket = 0;
                for (; bucket < MedianProbe.Buckets; bucket++)
                {
                    long h = histogram[slot * MedianProbe.Buckets + bucket];
                    if (ranks[slot] < before + h) break;
                    before += h;
                }
                if (bucket == MedianProbe.Buckets)
                    throw new Errors.InvalidInputException("the data changed while its medians were being found: restart the job");
                ranks[slot] -= before;
                prefixes[slot] = (prefixes[slot] << 8) | (uint)bucket;
            }
        }
        var medians = new double[d];
        for (int c = 0; c < d; c++)
        {
            double lower = MedianProbe.FromOrderKey(prefixes[c * 2]), upper = MedianProbe.FromOrderKey(prefixes[c * 2 + 1]);
            medians[c] = presentCounts[c] % 2 == 1 ? lower : (lower + upper) / 2;
        }
        return medians;
    }
}

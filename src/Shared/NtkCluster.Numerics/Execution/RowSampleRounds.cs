using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// Gathers a hashed row sample (<see cref="RowSample"/>) of a partitioned dataset into memory with two partition
/// rounds: the partitions' smallest keys (index arithmetic, no file read; each sends only keys under a cut that about
/// twice the wanted number pass, so the keys received are O(k) whatever the number of partitions), then the chosen
/// rows, read by the partitions that hold them in requests of bounded size. The result holds at most k rows, in global
/// row order, bitwise the same in-process, in local mode and on any cluster.
/// </summary>
public static class RowSampleRounds
{
    /// <summary>The sample of <paramref name="count"/> rows (all of them when there are no more) of the counted
    /// <paramref name="partitions"/>, on <paramref name="split"/>'s side if given.</summary>
    /// <param name="population">How many rows are on that side (from the moments round): sizes the first cut only.</param>
    public static async Task<SampledRows> GatherAsync(IBlockRounds rounds, string jobId, IReadOnlyList<DataPartition> partitions,
        PartitionColumns columns, RowSplit? split, ulong seed, int count, long population)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        MissingRows.EnsureNotNeeded(columns, "gathering rows (an exact, dual or exact-leverage fit, or an ε sample)");
        RowSampleKey[] keys;
        for (double widen = 1; ; widen *= 2)
        {
            ulong bound = RowSample.HashBound(population, count, widen);
            keys = await rounds.PartitionSampleKeysAsync($"{jobId}-k{widen:0}", partitions, split, seed, count, bound);
            // Enough keys under the cut: the k smallest overall are all under it. Fewer and the cut was everything: all rows.
            if (keys.Length >= count || bound == ulong.MaxValue) break;
        }
        var requests = RowSample.Requests(partitions, RowSample.Rows(keys),
            RowSample.RowsPerRequest(columns.FeatureNames.Length, columns.TargetCount));
        rounds.Report($"gathering a hashed sample of {keys.Length} of {population} rows from {requests.Select(r => r.Partition.Index).Distinct().Count()} partition(s)");
        return await rounds.PartitionRowsAsync(jobId + "-rows", requests, columns);
    }
}

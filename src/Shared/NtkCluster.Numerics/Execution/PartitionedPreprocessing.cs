using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The prelude of every partitioned job that preprocesses its training rows (fit, cv, sweep, spectral, train-nn): the
/// partition moments round on the training side, refused when it holds no row, then the preprocessing from those
/// moments (<see cref="Preprocessor.FromMoments"/>) — the same statistics as the in-memory jobs' <see cref="Preprocessor.Fit"/>.
/// </summary>
public static class PartitionedPreprocessing
{
    /// <summary>The training side's moments, its row count, the preprocessing fitted on them (with <c>--missing</c>'s
    /// policy and fills), and the columns every later round reads with (the fills set).</summary>
    public sealed record Prepared(PartitionMoments Moments, long Rows, Preprocessor Preprocessor, PartitionColumns Columns);

    /// <param name="roundId">The moments round's id.</param>
    /// <param name="source">The dataset, as the line of an empty training side names it.</param>
    /// <remarks>
    /// With <see cref="PartitionColumns.Missing"/>, the moments round also takes the census of missing cells
    /// (<see cref="MissingCensus"/>), judged as the single-file path judges a file (<see cref="MissingVerdict"/>): refused
    /// in one line counting all partitions' cells, rows dropped inside each partition and counted, or filled — with the
    /// mean from the census's sums and counts of present values, or the exact median (<see cref="MedianSearch"/>) — and
    /// then the moments are taken again of the filled rows.
    /// </remarks>
    /// <exception cref="InvalidInputException">No training rows (after the split); missing cells the policy refuses.</exception>
    public static async Task<Prepared> PrepareAsync(IBlockRounds rounds, string roundId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, RowSplit? split, bool standardize, bool scaleTarget, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(columns);
        var moments = await rounds.PartitionMomentsAsync(roundId, train, columns, split);
        double[]? fills = null;
        if (columns.Missing is { } policy && moments.Missing is { } census && columns.Fills is null)
        {
            MissingVerdict.Judge(source, columns, census, policy, rounds.Notify);
            if (policy == MissingPolicy.Mean)
                fills = MissingValues.MeansOf(census.PresentSums, census.PresentCounts, columns.FeatureNames, source);
            else if (policy == MissingPolicy.Median)
            {
                var counting = columns;
                fills = await MedianSearch.FindAsync(census.PresentCounts, async probe =>
                    (await rounds.PartitionMomentsAsync($"{roundId}-median{probe.Digit}", train, counting with { Probe = probe }, split)).Missing!.Histogram!);
            }
            if (fills is not null)
            {
                columns = columns with { Fills = fills };
                // The moments of the filled rows (the first round's hold NaN where cells were missing).
                if (census.FeatureMissing.Any(k => k > 0)) moments = await rounds.PartitionMomentsAsync(roundId + "-filled", train, columns, split);
            }
        }
        long n = moments.Features.Count;
        if (n == 0) throw new InvalidInputException($"{source}: no training rows" + (split is null ? "" : " after the split"));
        // One-hot columns stay 0/1 under --standardize, and the model keeps the encoding: as the in-memory jobs' Preprocessor.Fit.
        var pre = Preprocessor.LeaveUnscaled(Preprocessor.FromMoments(moments.Features, moments.Targets, standardize, scaleTarget, normalize), columns.OneHot());
        if (columns.Categorical is { Length: > 0 } encoding) pre = pre.WithCategorical(encoding);
        if (columns.Missing is { } p && p != MissingPolicy.Refuse) pre = pre.WithMissing(p, fills ?? columns.Fills);
        return new Prepared(moments, n, pre, columns);
    }
}

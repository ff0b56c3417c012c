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
    /// <summary>The training side's moments, its row count, and the preprocessing fitted on them.</summary>
    public sealed record Prepared(PartitionMoments Moments, long Rows, Preprocessor Preprocessor);

    /// <param name="roundId">The moments round's id.</param>
    /// <param name="source">The dataset, as the line of an empty training side names it.</param>
    /// <exception cref="InvalidInputException">No training rows (after the split).</exception>
    public static async Task<Prepared> PrepareAsync(IBlockRounds rounds, string roundId, string source, IReadOnlyList<DataPartition> train,
        PartitionColumns columns, RowSplit? split, bool standardize, bool scaleTarget, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var moments = await rounds.PartitionMomentsAsync(roundId, train, columns, split);
        long n = moments.Features.Count;
        if (n == 0) throw new InvalidInputException($"{source}: no training rows" + (split is null ? "" : " after the split"));
        return new Prepared(moments, n, Preprocessor.FromMoments(moments.Features, moments.Targets, standardize, scaleTarget, normalize));
    }
}

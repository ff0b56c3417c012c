using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// <c>--missing</c> on a partitioned dataset, applied to each block where the partition is read (after the split), so
/// every round — moments, Gram, errors — sees the rows the single-file path (<see cref="MissingData"/>) fits: rows
/// without a target dropped; then rows with a missing feature dropped (drop), or their cells filled with the columns'
/// fills once known (mean, median); with no policy (refuse) or before the fills are known, the NaN cells stay, to be
/// counted by the moments round (<see cref="MissingCensus"/>) — which is the first round of every job, and refuses them.
/// </summary>
public static class MissingRows
{
    /// <summary>The block's rows as <paramref name="columns"/>' policy keeps them (null when none is), counted into
    /// <paramref name="census"/> if given.</summary>
    public static RowBlock? Apply(RowBlock block, PartitionColumns columns, MissingCensus? census = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Missing is not { } policy) return block;
        var x = block.X;
        var y = block.Y;
        int n = block.X.RowCount, d = x.ColumnCount, t = y.ColumnCount;
        var kept = new List<int>(n);
        bool filled = false;
        if (census is not null) census.Rows += n;
        for (int r = 0; r < n; r++)
        {
            bool hasTarget = true;
            for (int c = 0; c < t; c++)
            {
                if (!double.IsNaN(y[r, c])) continue;
                hasTarget = false;
                if (census is not null) census.TargetMissing[c]++;
            }
            if (!hasTarget)
            {
                if (census is not null) census.WithoutTarget++;
                continue;
            }
            bool complete = true;
            for (int c = 0; c < d; c++)
            {
                double v = x[r, c];
                if (double.IsNaN(v))
                {
                    complete = false;
                    if (census is not null) census.FeatureMissing[c]++;
                }
                else if (census is not null)
                {
                    census.PresentSums[c] += v;
                    census.PresentCounts[c]++;
                    if (columns.Probe is { } probe) probe.Count(c, v, census.Histogram!);
                }
            }
            // Refused by the moments round, which counts them (census); a later round (test rows) refuses its first.
            if (!complete && census is null && (policy == MissingPolicy.Refuse || columns.Fills is null && policy != MissingPolicy.Drop))
                throw new Errors.InvalidInputException($"missing values in {string.Join(", ", Enumerable.Range(0, d).Where(c => double.IsNaN(x[r, c])).Select(c => columns.FeatureNames[c]))} " +
                                                       $"(a row of the partition's block {block.Index}): use --missing {MissingValues.Choices}, or --columns to leave columns out");
            if (!complete && policy == MissingPolicy.Drop)
            {
                if (census is not null) census.DroppedIncomplete++;
                continue;
            }
            filled |= !complete;
            kept.Add(r);
        }
        if (kept.Count == 0) return null;
        if (kept.Count < n) (x, y) = (MatrixRows.Pick(x, kept), MatrixRows.Pick(y, kept));
        if (filled && columns.Fills is { } fills) x = MissingValues.Fill(x, fills);
        return block with { X = x, Y = y };
    }

    /// <summary>
    /// Refuses, in one line, a job step that reads rows by their index in the files — a gathered sample, all rows
    /// gathered for an exact or dual fit, fold sizes — when <c>--missing drop|mean|median</c> applies: those indices
    /// count rows <see cref="Apply"/> drops, so such steps are only for datasets without missing cells, or single files.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">A policy other than refuse applies.</exception>
    public static void EnsureNotNeeded(PartitionColumns columns, string step)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Missing is { } policy && policy != MissingPolicy.Refuse)
            throw new Errors.InvalidInputException($"--missing {MissingValues.Name(policy)} on a partitioned dataset works with fits made partition " +
                                                   $"by partition; {step} reads rows by their position in the files: leave out --missing, or give one file");
    }
}

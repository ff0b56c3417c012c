using NtkCluster.Numerics.Evaluation;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The reductions of a cross-validation's per-partition partials, shared by every implementation of the rounds so they
/// add the same numbers in the same order: k fold Grams (<see cref="PartitionGram"/>) or k·λs squared-error sums, each
/// entry added to the same entry of the running sum, partition after partition.
/// </summary>
public static class FoldPartials
{
    /// <summary>k zero fold partials: what a reduction starts from.</summary>
    public static PartitionGram[] Zero(int folds, int features, int targets) =>
        Enumerable.Range(0, folds).Select(_ => PartitionGram.Zero(features, targets)).ToArray();

    /// <summary>Adds a partition's fold partials into the running sums, fold by fold, and returns them.</summary>
    public static PartitionGram[] Add(PartitionGram[] sums, PartitionGram[] partial)
    {
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(partial);
        if (partial.Length != sums.Length) throw new ArgumentException($"{partial.Length} fold partials for {sums.Length} folds", nameof(partial));
        for (int f = 0; f < sums.Length; f++) sums[f] = sums[f].Add(partial[f]);
        return sums;
    }

    /// <summary>
    /// The training partial of fold f: the other folds' partials added in fold order, starting from zero. Not the total
    /// minus fold f: subtracting two large, nearly equal sums cancels — the smaller the fold, the more digits of ΨᵀΨ
    /// and Σy² are lost — and can leave ΨᵀΨ indefinite by rounding, so a small λ would fail to factor; the k−1
    /// additions of m² entries cost nothing beside the solve.
    /// </summary>
    public static PartitionGram TrainingOf(PartitionGram[] folds, int f)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (f < 0 || f >= folds.Length) throw new ArgumentOutOfRangeException(nameof(f), f, $"a fold of {folds.Length}");
        var sum = PartitionGram.Zero(folds[0].Gram.RowCount, folds[0].Cross.ColumnCount);
        for (int g = 0; g < folds.Length; g++)
            if (g != f) sum = sum.Add(folds[g]);
        return sum;
    }

    /// <summary>n zero squared-error sums of <paramref name="targets"/> columns.</summary>
    public static SquaredErrorSum[] ZeroErrors(int count, int targets) =>
        Enumerable.Range(0, count).Select(_ => new SquaredErrorSum(targets)).ToArray();

    /// <summary>Merges a partition's squared-error sums into the running ones, entry by entry, and returns them.</summary>
    public static SquaredErrorSum[] Merge(SquaredErrorSum[] sums, SquaredErrorSum[] partial)
    {
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(partial);
        if (partial.Length != sums.Length) throw new ArgumentException($"{partial.Length} error sums for {sums.Length}", nameof(partial));
        for (int i = 0; i < sums.Length; i++) sums[i].Merge(partial[i]);
        return sums;
    }
}

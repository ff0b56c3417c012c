using System.Globalization;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Per-row random choices that need no shuffle: a row's train/test side and its cross-validation fold are functions
/// of (seed, the row's global index) alone, so each partition decides its own rows, in any order, on any worker, and
/// the answer never depends on how the data is partitioned.
/// </summary>
/// <remarks>
/// <para>
/// The hash is the key mixing of <see cref="DrawStream"/> (SplitMix64 rounds over seed, purpose and index), whose
/// 64-bit outputs for consecutive indices are statistically independent and uniform for every practical purpose;
/// the purposes <see cref="DrawPurpose.HashedTrainTestSplit"/> and <see cref="DrawPurpose.HashedFolds"/> keep these
/// choices apart from each other and from every other draw of the same seed.
/// </para>
/// <para>
/// Distribution: each row is held out independently with probability f, so the number of test rows of n is
/// Binomial(n, f) — mean f·n, standard deviation √(n·f·(1−f)) — rather than exactly round(f·n) as the
/// permutation split of in-memory data (<see cref="Data.TrainTestSplit"/>) holds out; likewise fold sizes are
/// multinomial with mean n/k. The two splits choose different rows for the same seed.
/// </para>
/// </remarks>
public static class RowHash
{
    /// <summary>64 uniform bits for row <paramref name="row"/> and this purpose of the seed.</summary>
    public static ulong Bits(ulong seed, DrawPurpose purpose, long row)
    {
        // As DrawStream mixes its key: neighbouring rows (and seeds) give unrelated outputs.
        ulong x = SplitMix64.Key(seed, purpose, row);
        return SplitMix64.Next(ref x);
    }

    /// <summary>Whether row <paramref name="row"/> (its 0-based index in the whole dataset) is held out for testing.</summary>
    /// <param name="testFraction">The probability of holding a row out, strictly between 0 and 1.</param>
    /// <exception cref="InvalidInputException">The fraction is not strictly between 0 and 1.</exception>
    public static bool IsTest(ulong seed, long row, double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new InvalidInputException(
                $"test fraction must be strictly between 0 and 1, got {testFraction.ToString("R", CultureInfo.InvariantCulture)}");
        // 53 uniform bits as a double in [0, 1): P(u < f) = f to within 2⁻⁵³.
        double u = (Bits(seed, DrawPurpose.HashedTrainTestSplit, row) >> 11) * (1.0 / (1UL << 53));
        return u < testFraction;
    }

    /// <summary>The fold, in [0, <paramref name="folds"/>), of row <paramref name="row"/>: each fold equally likely.</summary>
    /// <exception cref="InvalidInputException">Fewer than 2 folds.</exception>
    public static int Fold(ulong seed, long row, int folds)
    {
        if (folds < 2) throw new InvalidInputException($"cross-validation needs at least 2 folds, got {folds}");
        // Multiply-shift maps 64 uniform bits onto [0, k) with a bias below k / 2⁶⁴.
        return (int)(((UInt128)Bits(seed, DrawPurpose.HashedFolds, row) * (ulong)folds) >> 64);
    }
}

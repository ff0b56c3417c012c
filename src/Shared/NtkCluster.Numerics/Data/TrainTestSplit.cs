using System.Globalization;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A seeded random split of a dataset into a training part and a held-out test part.
/// </summary>
/// <remarks>
/// The permutation comes from <see cref="DrawStream"/> with <see cref="DrawPurpose.TrainTestSplit"/>, so the same
/// seed always holds out the same rows, on any machine and whatever the cluster size, and the split never shares
/// random numbers with the feature draws made from the same seed.
/// </remarks>
public static class TrainTestSplit
{
    /// <summary>
    /// Holds out <c>round(testFraction · n)</c> rows (at least one, and at least one left for training), chosen by a
    /// Fisher–Yates shuffle of the row indices: the test part is the first rows of the shuffle, the training part
    /// the rest.
    /// </summary>
    /// <remarks>
    /// Both parts keep the rows in their original relative order, so that a part can be compared line by line with
    /// the input file. Ties in rounding go up (<see cref="MidpointRounding.AwayFromZero"/>).
    /// </remarks>
    /// <exception cref="InvalidInputException">The fraction is not strictly between 0 and 1, or there are fewer than 2 rows.</exception>
    public static (Dataset Train, Dataset Test) Split(Dataset data, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new InvalidInputException(
                $"test fraction must be strictly between 0 and 1, got {testFraction.ToString("R", CultureInfo.InvariantCulture)}");
        int n = data.Rows;
        if (n < 2) throw new InvalidInputException($"cannot split {n} row{(n == 1 ? "" : "s")} into a training and a test part");

        int testCount = (int)Math.Clamp(Math.Round(testFraction * n, MidpointRounding.AwayFromZero), 1, n - 1);

        int[] permutation = Permutation.Shuffled(n, seed, DrawPurpose.TrainTestSplit);

        int[] test = permutation[..testCount];
        int[] train = permutation[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (data.Subset(train), data.Subset(test));
    }
}

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
        var (n, testCount) = TestCount(data, testFraction);

        int[] permutation = Permutation.Shuffled(n, seed, DrawPurpose.TrainTestSplit);

        int[] test = permutation[..testCount];
        int[] train = permutation[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (data.Subset(train), data.Subset(test));
    }

    /// <summary>
    /// <see cref="Split"/> stratified by class (<c>--stratify</c>): the same number of test rows,
    /// <c>round(testFraction · n)</c>, shared out over the classes in proportion to their sizes by largest remainder —
    /// each class gets ⌊t·n_c/n⌋ test rows, and the rows left over go to the classes with the largest fractional
    /// parts (ties to the earlier class) — so every class's test count is within one row of its exact share. Which rows
    /// of a class are held out: the first ones of the class in the same seeded shuffle as <see cref="Split"/>.
    /// </summary>
    /// <param name="data">Rows whose single target column holds class codes (integers; any order).</param>
    public static (Dataset Train, Dataset Test) SplitStratified(Dataset data, double testFraction, ulong seed)
    {
        var (n, testCount) = TestCount(data, testFraction);
        int[] classOf = KFolds.ClassIndices(data.Y, out int classes);
        var size = new long[classes];
        foreach (int c in classOf) size[c]++;
        var quota = new int[classes];
        for (int c = 0; c < classes; c++) quota[c] = (int)(testCount * size[c] / n);
        int left = testCount - quota.Sum();
        // Largest remainder first: the remainder of class c is (testCount·size[c]) mod n, compared exactly.
        foreach (int c in Enumerable.Range(0, classes).OrderByDescending(c => testCount * size[c] % n).ThenBy(c => c).Take(left)) quota[c]++;

        int[] permutation = Permutation.Shuffled(n, seed, DrawPurpose.TrainTestSplit);
        var test = new List<int>(testCount);
        var train = new List<int>(n - testCount);
        foreach (int row in permutation)
        {
            int c = classOf[row];
            if (quota[c] > 0)
            {
                quota[c]--;
                test.Add(row);
            }
            else train.Add(row);
        }
        test.Sort();
        train.Sort();
        return (data.Subset(train), data.Subset(test));
    }

    /// <summary>The rows and how many of them are held out, round(testFraction · n) kept within 1 … n − 1: both splits' rule.</summary>
    private static (int Rows, int TestCount) TestCount(Dataset data, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new InvalidInputException(
                $"test fraction must be strictly between 0 and 1, got {testFraction.ToString("R", CultureInfo.InvariantCulture)}");
        int n = data.Rows;
        if (n < 2) throw new InvalidInputException($"cannot split {n} row{(n == 1 ? "" : "s")} into a training and a test part");
        return (n, (int)Math.Clamp(Math.Round(testFraction * n, MidpointRounding.AwayFromZero), 1, n - 1));
    }
}

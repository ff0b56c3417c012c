using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Random;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The fold of every row for k-fold cross-validation, from a seed: a Fisher–Yates shuffle of the row indices
/// (<see cref="DrawPurpose.CrossValidationFolds"/>, so it never shares numbers with the feature draws or the test
/// split of the same seed), cut into k consecutive runs — the first n mod k folds one row longer — as
/// scikit-learn's <c>KFold(shuffle=True)</c> cuts its permutation. Every row is in exactly one fold.
/// </summary>
public static class KFolds
{
    /// <summary>fold[i] ∈ [0, k) for each of the n rows.</summary>
    /// <exception cref="InvalidInputException">k &lt; 2, or fewer rows than folds.</exception>
    public static int[] Assign(int rows, int folds, ulong seed)
    {
        if (folds < 2) throw new InvalidInputException($"cross-validation needs at least 2 folds, got {folds}");
        if (rows < folds) throw new InvalidInputException($"{rows} training rows cannot be cut into {folds} folds");
        int[] permutation = Permutation.Shuffled(rows, seed, DrawPurpose.CrossValidationFolds);
        var fold = new int[rows];
        int start = 0;
        for (int k = 0; k < folds; k++)
        {
            int length = rows / folds + (k < rows % folds ? 1 : 0);
            for (int p = start; p < start + length; p++) fold[permutation[p]] = k;
            start += length;
        }
        return fold;
    }

    /// <summary>The rows of one fold (held out) and of all the others (trained on), each ascending.</summary>
    public static (int[] Train, int[] Held) Split(int[] fold, int k)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var train = new List<int>(fold.Length);
        var held = new List<int>(fold.Length);
        for (int i = 0; i < fold.Length; i++) (fold[i] == k ? held : train).Add(i);
        return (train.ToArray(), held.ToArray());
    }
}

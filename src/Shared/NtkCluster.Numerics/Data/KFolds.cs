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

    /// <summary>
    /// Stratified folds (<c>--stratify</c>): every class's rows spread over the folds as evenly as its count allows, with
    /// scikit-learn's <c>StratifiedKFold</c> counts — the labels sorted by class, the classes in the order they first
    /// appear in the rows (as scikit-learn orders them here), position p going to fold p mod k, so fold f gets as many
    /// rows of class c as there are positions ≡ f (mod k) holding c — hence the same number of rows
    /// of each class per fold up to ±1, and fold sizes within one row of each other. Which rows of a class: in the order
    /// of the same seeded shuffle as <see cref="Assign"/>, the first ones to fold 0, the next to fold 1, ….
    /// </summary>
    /// <param name="labels">The class code of every row (one column of integers).</param>
    /// <exception cref="InvalidInputException">k &lt; 2, or fewer rows than folds.</exception>
    public static int[] AssignStratified(MathNet.Numerics.LinearAlgebra.Matrix<double> labels, int folds, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int rows = labels.RowCount;
        if (folds < 2) throw new InvalidInputException($"cross-validation needs at least 2 folds, got {folds}");
        if (rows < folds) throw new InvalidInputException($"{rows} training rows cannot be cut into {folds} folds");
        int[] classOf = ClassIndices(labels, out int classes);
        var size = new int[classes];
        foreach (int c in classOf) size[c]++;
        // allocation[f, c]: positions p ≡ f (mod k) among the sorted labels that hold class c.
        var allocation = new int[folds, classes];
        int position = 0;
        foreach (int c in classOf.Distinct()) // order of first appearance
        {
            for (int i = 0; i < size[c]; i++, position++) allocation[position % folds, c]++;
        }
        var nextFold = new int[classes];
        var usedInFold = new int[classes];
        int[] permutation = Permutation.Shuffled(rows, seed, DrawPurpose.CrossValidationFolds);
        var fold = new int[rows];
        foreach (int row in permutation)
        {
            int c = classOf[row];
            while (usedInFold[c] == allocation[nextFold[c], c])
            {
                nextFold[c]++;
                usedInFold[c] = 0;
            }
            fold[row] = nextFold[c];
            usedInFold[c]++;
        }
        return fold;
    }

    /// <summary>The class index (0 … C−1, classes in ascending order of code) of every row of a one-column label matrix.</summary>
    public static int[] ClassIndices(MathNet.Numerics.LinearAlgebra.Matrix<double> labels, out int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.ColumnCount != 1) throw new ArgumentException($"one label column expected, got {labels.ColumnCount}", nameof(labels));
        var codes = new double[labels.RowCount];
        for (int i = 0; i < codes.Length; i++) codes[i] = labels[i, 0];
        double[] distinct = codes.Distinct().Order().ToArray();
        classes = distinct.Length;
        return codes.Select(v => Array.BinarySearch(distinct, v)).ToArray();
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

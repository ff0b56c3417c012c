namespace NtkCluster.Numerics.Random;

/// <summary>Seeded random permutations of row indices, the same on every machine (train/test splits, k folds).</summary>
public static class Permutation
{
    /// <summary>A Fisher–Yates shuffle of 0 … n−1 drawn from the stream (seed, purpose, block 0).</summary>
    public static int[] Shuffled(int n, ulong seed, DrawPurpose purpose)
    {
        int[] permutation = Enumerable.Range(0, n).ToArray();
        var stream = new DrawStream(seed, purpose, 0);
        for (int i = n - 1; i > 0; i--)
        {
            int j = stream.NextInt(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        return permutation;
    }
}

namespace NtkCluster.Numerics.Random;

/// <summary>Seeded random permutations and samples of row indices, the same on every machine (train/test splits, k
/// folds, the rows a spectral estimate is measured on).</summary>
public static class Permutation
{
    /// <summary>A Fisher–Yates shuffle of 0 … n−1 drawn from the stream (seed, purpose, block 0).</summary>
    public static int[] Shuffled(int n, ulong seed, DrawPurpose purpose)
    {
        int[] permutation = Enumerable.Range(0, n).ToArray();
        FisherYates(permutation, Math.Max(0, n - 1), new DrawStream(seed, purpose, 0), fromEnd: true);
        return permutation;
    }

    /// <summary>A seeded subset of <paramref name="size"/> of 0 … n−1 in increasing order (all of them when n ≤ size): the
    /// first <paramref name="size"/> places of a Fisher–Yates shuffle drawn from the stream (seed, purpose, block 0).</summary>
    public static int[] SortedSample(int n, int size, ulong seed, DrawPurpose purpose)
    {
        if (n <= size) return Enumerable.Range(0, n).ToArray();
        int[] order = Enumerable.Range(0, n).ToArray();
        FisherYates(order, size, new DrawStream(seed, purpose, 0), fromEnd: false);
        var chosen = order[..size];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>
    /// The Fisher–Yates shuffle: <paramref name="steps"/> steps, each moving a uniform pick from the items not yet placed
    /// into the next place — from the last place backwards (a whole shuffle takes n − 1 steps), or from the first
    /// forwards (a sample: the first places are drawn first). Each step draws one uniform integer below the number of
    /// items not yet placed, so the two directions draw the same numbers.
    /// </summary>
    private static void FisherYates(Span<int> items, int steps, DrawStream stream, bool fromEnd)
    {
        int n = items.Length;
        for (int s = 0; s < steps; s++)
        {
            int pick = stream.NextInt(n - s);
            int place = fromEnd ? n - 1 - s : s;
            if (!fromEnd) pick += s;
            (items[place], items[pick]) = (items[pick], items[place]);
        }
    }
}

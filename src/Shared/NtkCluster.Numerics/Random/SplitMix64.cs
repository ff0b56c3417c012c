namespace NtkCluster.Numerics.Random;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood), and the mixing of a (seed, purpose, index) key through it that
/// <see cref="DrawStream"/> seeds its generator with and <see cref="Partitions.RowHash"/> hashes rows with: one
/// definition, since a change to either would change every model and every split of a seed.
/// </summary>
internal static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns its next 64 output bits.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A state from the three parts of a key, each mixed in by a round so that neighbouring keys (seeds, indices)
    /// give unrelated states; <see cref="Next"/> then draws from it.
    /// </summary>
    public static ulong Key(ulong seed, DrawPurpose purpose, long index)
    {
        ulong x = seed;
        x = Next(ref x) ^ ((ulong)purpose * 0x9E3779B97F4A7C15UL);
        return Next(ref x) ^ unchecked((ulong)index * 0xD1B54A32D192ED03UL);
    }
}

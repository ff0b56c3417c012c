namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// One step of the exact median search over a partitioned dataset (<see cref="MedianSearch"/>): for every feature column,
/// the known leading bytes of the two middle values' order keys (<see cref="OrderKey"/>); a partition counts its present
/// values that share them by their next byte (<see cref="MissingCensus.Histogram"/>).
/// </summary>
/// <param name="Prefixes">Per column, the lower and the upper middle value's known leading bytes (column-major pairs).</param>
/// <param name="Digit">How many leading bytes are known (0 to 7).</param>
public sealed record MedianProbe(ulong[] Prefixes, int Digit)
{
    /// <summary>The two middle values searched per column (equal ranks when the count is odd).</summary>
    public const int Targets = 2;

    /// <summary>One byte of the key a step.</summary>
    public const int Buckets = 256;

    /// <summary>A double's 64-bit key whose unsigned order is the doubles' order (NaN aside): negative values' bits
    /// inverted, positive values' sign bit set.</summary>
    public static ulong OrderKey(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        return bits < 0 ? ~(ulong)bits : (ulong)bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The double of an <see cref="OrderKey"/>.</summary>
    public static double FromOrderKey(ulong key) =>
        BitConverter.Int64BitsToDouble((key & 0x8000_0000_0000_0000UL) != 0 ? (long)(key & 0x7FFF_FFFF_FFFF_FFFFUL) : (long)~key);

    /// <summary>Counts a present value of column <paramref name="column"/> into <paramref name="histogram"/>.</summary>
    public void Count(int column, double value, long[] histogram)
    {
        ulong key = OrderKey(value);
        int bucket = (int)((key >> (56 - 8 * Digit)) & 0xFF);
        for (int t = 0; t < Targets; t++)
        {
            int slot = column * Targets + t;
            if (Digit > 0 && key >> (64 - 8 * Digit) != Prefixes[slot]) continue;
            histogram[slot * Buckets + bucket]++;
        }
    }
}

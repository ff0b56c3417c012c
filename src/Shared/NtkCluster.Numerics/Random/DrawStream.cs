namespace NtkCluster.Numerics.Random;

/// <summary>
/// A reproducible stream of random numbers keyed on (seed, purpose, block index).
/// Every random draw in NtkCluster comes from one of these, so that the same seed gives the same model whatever
/// the number of workers, the order in which blocks arrive, or the machine: the stream for block 7 is the same
/// whether block 7 is computed first, last, locally or on another node.
/// </summary>
/// <remarks>
/// xoshiro256** (Blackman and Vigna), with its state expanded from the key by SplitMix64. We own the generator
/// rather than use <see cref="System.Random"/> because the latter's seeded sequence is not a documented contract.
/// </remarks>
public sealed class DrawStream
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public DrawStream(ulong seed, DrawPurpose purpose, long blockIndex)
    {
        // Mix the three parts of the key through SplitMix64 so that neighbouring keys give unrelated states.
        ulong x = SplitMix64.Key(seed, purpose, blockIndex);
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1; // the all-zero state is the generator's only fixed point
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on (0, 1): safe to take the logarithm of. 52 bits, so the +½ offset is never rounded away
    /// and the largest value is 1 − 2⁻⁵³, not 1.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 12) + 0.5) * (1.0 / (1UL << 52));

    /// <summary>Uniform integer on [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        // Lemire's multiply-shift with rejection: unbiased.
        ulong bound = (ulong)n;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            ulong low = (ulong)m;
            if (low >= bound || low >= (0UL - bound) % bound) return (int)(m >> 64);
        }
    }

    /// <summary>Standard normal by the Box–Muller transform (deterministic: no rejection loop).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double u1 = NextOpenDouble();
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareGaussian = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Cauchy(0, scale) by inversion.</summary>
    public double NextCauchy(double scale) => scale * Math.Tan(Math.PI * (NextOpenDouble() - 0.5));
}

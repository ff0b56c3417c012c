namespace NtkCluster.Numerics.Features;

/// <summary>
/// A split of [0, total) into consecutive blocks of a fixed size (the last may be shorter). Row blocks and feature
/// blocks both use it; the size never depends on the number of workers, so neither do the partial sums.
/// </summary>
public readonly record struct BlockPlan(int Total, int BlockSize)
{
    /// <summary>Rows per row block: big enough to amortise a message, small enough to bound memory per worker.</summary>
    public const int DefaultRowBlock = 1024;

    /// <summary>The most doubles one Gram row block's Ψ_b may hold (128 MiB): the memory of one compute thread.</summary>
    public const long MaxGramBlockDoubles = 16L << 20;

    /// <summary>
    /// Rows per row block of a Gram round (ΨᵀΨ over <paramref name="featureColumns"/> = m columns). Every block answers
    /// with an m×m partial sum however many rows it has, so blocks of about 4m rows keep a block's compute (rows·m²
    /// multiply-adds) far above its message (m² doubles) — on a cluster the partials, not the flops, were the cost with
    /// 1024-row blocks — and let dsyrk run on tall blocks where it is fastest; capped so Ψ_b stays within
    /// <see cref="MaxGramBlockDoubles"/>. A function of m alone, never of workers or threads, so neither are the sums.
    /// </summary>
    public static int GramRowBlock(int featureColumns)
    {
        long m = Math.Max(1, featureColumns);
        long rows = Math.Min(4 * m, MaxGramBlockDoubles / m) / DefaultRowBlock * DefaultRowBlock;
        return (int)Math.Max(DefaultRowBlock, rows);
    }

    /// <summary>Draws per feature block: the unit of deterministic random-draw generation.</summary>
    public const int DefaultFeatureBlock = 64;

    public int Count => Total == 0 ? 0 : (Total + BlockSize - 1) / BlockSize;
    public int Start(int block) => block * BlockSize;
    public int Length(int block) => Math.Min(BlockSize, Total - block * BlockSize);
}

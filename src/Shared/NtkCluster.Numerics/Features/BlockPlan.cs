namespace NtkCluster.Numerics.Features;

/// <summary>
/// A split of [0, total) into consecutive blocks of a fixed size (the last may be shorter). Row blocks and feature
/// blocks both use it; the size never depends on the number of workers, so neither do the partial sums.
/// </summary>
public readonly record struct BlockPlan(int Total, int BlockSize)
{
    /// <summary>Rows per row block: big enough to amortise a message, small enough to bound memory per worker.</summary>
    public const int DefaultRowBlock = 1024;

    /// <summary>The most doubles one block of kernel rows K(X_b, X) should hold (16 MiB).</summary>
    public const long MaxKernelRowDoubles = 2L << 20;

    /// <summary>The fewest rows a block of kernel rows has: each block carries all n rows X with it to a worker.</summary>
    public const int MinKernelRowBlock = 256;

    /// <summary>
    /// Rows per block of kernel rows K(X_b, X) against <paramref name="columns"/> = n rows: 1024-row blocks of a
    /// 5000-row exact fit were 41 MB each, and the blocks waiting to be folded into K in order (and the test blocks
    /// after) held more memory than K itself. At most <see cref="MaxKernelRowDoubles"/> per block, at least
    /// <see cref="MinKernelRowBlock"/> rows, at most <see cref="DefaultRowBlock"/>; a function of n alone.
    /// </summary>
    public static int KernelRowBlock(int columns) =>
        (int)Math.Clamp(MaxKernelRowDoubles / Math.Max(1, columns), MinKernelRowBlock, DefaultRowBlock);

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

    /// <summary>The most draws one block of an outer round holds, so a width of 16 384 still makes 8 blocks to share out.</summary>
    public const int MaxOuterDraws = 2048;

    /// <summary>
    /// Draws per block of an outer round (ΨΨᵀ = Σ_b Ψ_bΨ_bᵀ, n×n, over blocks of draws: H(0) of a network, a dual
    /// fit's kernel). Every block answers with an n×n partial however few draws it has, so 64-draw blocks made the
    /// partials, not the flops, the cost on a cluster (H(0) of a width-16 384 network on 1797 rows shipped 256 partials,
    /// 3.3 GB). Blocks hold as many draws as keep the block's working matrix (n × draws·<paramref name="columnsPerDraw"/>)
    /// within <see cref="MaxGramBlockDoubles"/>, up to <see cref="MaxOuterDraws"/>, in whole feature blocks. A
    /// function of n and the kernel alone, never of workers or threads, so neither are the sums.
    /// </summary>
    /// <param name="columnsPerDraw">Columns of the block's working matrix per draw: d2 for Ψ_b, 1 for the NTK's activation patterns.</param>
    public static int OuterFeatureBlock(int rows, int columnsPerDraw)
    {
        long perDraw = (long)Math.Max(1, rows) * Math.Max(1, columnsPerDraw);
        long draws = Math.Min(MaxOuterDraws, MaxGramBlockDoubles / perDraw) / DefaultFeatureBlock * DefaultFeatureBlock;
        return (int)Math.Max(DefaultFeatureBlock, draws);
    }

    public int Count => Total == 0 ? 0 : (Total + BlockSize - 1) / BlockSize;
    public int Start(int block) => block * BlockSize;
    public int Length(int block) => Math.Min(BlockSize, Total - block * BlockSize);
}

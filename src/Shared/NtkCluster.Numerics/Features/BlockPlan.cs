namespace NtkCluster.Numerics.Features;

/// <summary>
/// A split of [0, total) into consecutive blocks of a fixed size (the last may be shorter). Row blocks and feature
/// blocks both use it; the size never depends on the number of workers, so neither do the partial sums.
/// </summary>
public readonly record struct BlockPlan(int Total, int BlockSize)
{
    /// <summary>Rows per row block: big enough to amortise a message, small enough to bound memory per worker.</summary>
    public const int DefaultRowBlock = 1024;

    /// <summary>Draws per feature block: the unit of deterministic random-draw generation.</summary>
    public const int DefaultFeatureBlock = 64;

    public int Count => Total == 0 ? 0 : (Total + BlockSize - 1) / BlockSize;
    public int Start(int block) => block * BlockSize;
    public int Length(int block) => Math.Min(BlockSize, Total - block * BlockSize);
}

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// One partition's part of the text-label scan (<see cref="TextLabelScan.Of"/>), answered where the partition is read
/// so the client reads no rows: whether the label column is there, whether every label read as a number, and the
/// distinct labels of the rows on the training side of the split.
/// </summary>
/// <param name="HasColumn">Whether the partition has the label column (when not, the first round's reader says what is wrong).</param>
/// <param name="Numbers">Whether every present label of the partition reads as a number.</param>
/// <param name="Texts">The distinct labels kept by the split, in ordinal order.</param>
/// <param name="Rows">Rows read (every row, whatever the split keeps).</param>
public sealed record TextLabelPartial(bool HasColumn, bool Numbers, string[] Texts, long Rows);

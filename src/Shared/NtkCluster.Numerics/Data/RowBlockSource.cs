using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A data file (CSV or Parquet, see <see cref="DataFile"/>) that a job reads through several times, block by block
/// (statistics, Gram matrix, errors), with its columns fixed once: the handle that a streamed job carries instead of
/// the data itself.
/// </summary>
/// <remarks>
/// Every pass of <see cref="Blocks"/> opens the file afresh and gives the same blocks as long as the file does not
/// change; a file whose columns change between passes is refused by the column check, and callers that know the
/// row count compare it after each pass.
/// </remarks>
public sealed class RowBlockSource
{
    public string Path { get; }
    public string[] FeatureNames { get; }
    public string[] TargetNames { get; }
    public int BlockSize { get; }

    /// <summary>The columns chosen with <c>--columns</c>, or null for all (for Parquet: all numeric ones).</summary>
    public string[]? Columns { get; }

    private RowBlockSource(string path, string[] featureNames, string[] targetNames, string[]? columns, int blockSize)
    {
        Path = path;
        FeatureNames = featureNames;
        TargetNames = targetNames;
        Columns = columns;
        BlockSize = blockSize;
    }

    /// <summary>A training file, its columns chosen as <see cref="DataFile.OpenTraining"/> does (the header or footer is read now).</summary>
    /// <param name="note">Told which non-numeric Parquet columns are skipped.</param>
    public static RowBlockSource ForTraining(string path, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns = null,
        Action<string>? note = null, int blockSize = BlockPlan.DefaultRowBlock)
    {
        using var reader = DataFile.OpenTraining(path, targetNames, columns, note ?? (_ => { }), blockSize);
        return new RowBlockSource(path, reader.FeatureNames, reader.TargetNames, columns?.ToArray(), blockSize);
    }

    /// <summary>A file with the given columns in any order, as <see cref="DataFile.OpenMatching"/> (the header or footer is read now).</summary>
    public static RowBlockSource Matching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns = null, int blockSize = BlockPlan.DefaultRowBlock)
    {
        using var reader = DataFile.OpenMatching(path, featureNames, targetNames, columns, blockSize);
        return new RowBlockSource(path, reader.FeatureNames, reader.TargetNames, columns?.ToArray(), blockSize);
    }

    /// <summary>The same file read in blocks of <paramref name="blockSize"/> rows (a Gram round's own size).</summary>
    public RowBlockSource WithBlockSize(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return blockSize == BlockSize ? this : new RowBlockSource(Path, FeatureNames, TargetNames, Columns, blockSize);
    }

    /// <summary>One pass over the file, block by block; the file is open while the sequence is being enumerated.</summary>
    public IEnumerable<RowBlock> Blocks()
    {
        using var reader = DataFile.OpenMatching(Path, FeatureNames, TargetNames, Columns, BlockSize);
        while (reader.ReadBlock() is { } block) yield return block;
    }
}

using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A CSV file that a job reads through several times, block by block (statistics, Gram matrix, errors), with its
/// columns fixed once: the handle that a streamed job carries instead of the data itself.
/// </summary>
/// <remarks>
/// Every pass of <see cref="Blocks"/> opens the file afresh and gives the same blocks as long as the file does not
/// change; a file whose header changes between passes is refused by the column check, and callers that know the
/// row count compare it after each pass.
/// </remarks>
public sealed class RowBlockSource
{
    public string Path { get; }
    public string[] FeatureNames { get; }
    public string[] TargetNames { get; }
    public int BlockSize { get; }

    private RowBlockSource(string path, string[] featureNames, string[] targetNames, int blockSize)
    {
        Path = path;
        FeatureNames = featureNames;
        TargetNames = targetNames;
        BlockSize = blockSize;
    }

    /// <summary>A training file, its columns chosen as <see cref="CsvRowBlockReader.OpenTraining"/> does (the header is read now).</summary>
    public static RowBlockSource ForTraining(string path, IReadOnlyList<string>? targetNames, int blockSize = BlockPlan.DefaultRowBlock)
    {
        using var reader = CsvRowBlockReader.OpenTraining(path, targetNames, blockSize);
        return new RowBlockSource(path, reader.FeatureNames, reader.TargetNames, blockSize);
    }

    /// <summary>A file with the given columns in any order, as <see cref="CsvRowBlockReader.OpenMatching"/> (the header is read now).</summary>
    public static RowBlockSource Matching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        int blockSize = BlockPlan.DefaultRowBlock)
    {
        using var reader = CsvRowBlockReader.OpenMatching(path, featureNames, targetNames, blockSize);
        return new RowBlockSource(path, reader.FeatureNames, reader.TargetNames, blockSize);
    }

    /// <summary>The same file read in blocks of <paramref name="blockSize"/> rows (a Gram round's own size).</summary>
    public RowBlockSource WithBlockSize(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return blockSize == BlockSize ? this : new RowBlockSource(Path, FeatureNames, TargetNames, blockSize);
    }

    /// <summary>One pass over the file, block by block; the file is open while the sequence is being enumerated.</summary>
    public IEnumerable<RowBlock> Blocks()
    {
        using var reader = CsvRowBlockReader.OpenMatching(Path, FeatureNames, TargetNames, BlockSize);
        while (reader.ReadBlock() is { } block) yield return block;
    }
}

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A data file read as consecutive <see cref="RowBlock"/>s of a fixed number of rows (the last may be shorter), its
/// columns already split into features and targets by name (<see cref="CsvRowBlockReader"/>,
/// <see cref="ParquetRowBlockReader"/>). Memory is O(block · columns) plus what the format itself needs at a time.
/// </summary>
public interface IRowBlockReader : IDisposable
{
    /// <summary>Feature column names, in the order of the columns of each block's X.</summary>
    string[] FeatureNames { get; }

    /// <summary>Target column names, in the order of the columns of each block's Y.</summary>
    string[] TargetNames { get; }

    /// <summary>The next block, or null after the last row.</summary>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">A row of the block is not valid data.</exception>
    RowBlock? ReadBlock();
}

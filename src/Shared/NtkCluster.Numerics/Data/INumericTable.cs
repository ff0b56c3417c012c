namespace NtkCluster.Numerics.Data;

/// <summary>
/// A data file read into memory: column names and a dense row-major block of finite doubles, whatever the file's
/// format (<see cref="CsvTable"/>, <see cref="ParquetTable"/>). <see cref="Dataset"/> chooses features and targets
/// from it by name, so both formats give the same data set for the same numbers.
/// </summary>
public interface INumericTable
{
    /// <summary>The path as the caller gave it; it starts every error message, so it should be what the user typed.</summary>
    string Path { get; }

    /// <summary>Column names, in table order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows. Always at least one.</summary>
    int RowCount { get; }

    /// <summary>All cells, row-major: cell (row r, column c) is at <c>r * Columns.Count + c</c>.</summary>
    double[] Values { get; }
}

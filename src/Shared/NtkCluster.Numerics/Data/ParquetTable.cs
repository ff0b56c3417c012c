using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The numeric columns of a Parquet file read into memory: the same row-major table of finite doubles that
/// <see cref="CsvTable"/> holds for a CSV file, so <see cref="Dataset"/> treats both alike.
/// </summary>
/// <remarks>
/// Which columns are read and how they become numbers (timestamps as seconds since the Unix epoch, …) is
/// <see cref="ParquetColumnReader"/>'s, shared with the streaming <see cref="ParquetRowBlockReader"/>: a file gives
/// the same numbers, and is refused with the same message, whichever way it is read. A null or non-finite value is
/// refused with its row and column, as an empty or NaN cell of a CSV file is.
/// </remarks>
public sealed class ParquetTable : INumericTable
{
    public string Path { get; }

    /// <summary>The columns read, in the order asked for (or in file order: every numeric column).</summary>
    public IReadOnlyList<string> Columns { get; }

    public int RowCount { get; }

    public double[] Values { get; }

    /// <summary>Columns left out because they are not numbers, as "name (type)"; empty when the columns were named.</summary>
    public IReadOnlyList<string> SkippedColumns { get; }

    private ParquetTable(string path, string[] columns, int rowCount, double[] values, IReadOnlyList<string> skipped)
    {
        Path = path;
        Columns = Array.AsReadOnly(columns);
        RowCount = rowCount;
        Values = values;
        SkippedColumns = skipped;
    }

    /// <summary>Reads the chosen columns of a whole Parquet file, row group by row group.</summary>
    /// <param name="columns">The columns to read, in this order; null reads every numeric column and skips the others.</param>
    /// <exception cref="InvalidInputException">The file cannot be read or is not Parquet, a chosen column is missing or
    /// not numeric, a value is null or not finite, or the file has no rows.</exception>
    /// <param name="missingAsNaN">Read nulls (and NaN) as NaN, missing values (<see cref="MissingValues"/>), instead of refusing them.</param>
    public static ParquetTable Read(string path, IReadOnlyList<string>? columns = null, bool missingAsNaN = false)
    {
        using var file = ParquetColumnReader.Open(path, columns);
        file.MissingAsNaN = missingAsNaN;
        if (file.RowCount == 0) throw new InvalidInputException($"{path}: the file has no rows");
        int width = file.Columns.Length;
        if (file.RowCount * width > Array.MaxLength)
            throw new InvalidInputException($"{path}: too many values ({file.RowCount} rows × {width} columns) for one table; use --stream or fewer --columns");
        int rows = (int)file.RowCount;
        var values = new double[(long)rows * width];
        long first = 0;
        for (int g = 0; g < file.RowGroupCount; g++)
        {
            double[][] group = file.ReadRowGroup(g, first);
            for (int c = 0; c < width; c++)
            {
                double[] column = group[c];
                for (int r = 0; r < column.Length; r++) values[(first + r) * width + c] = column[r];
            }
            first += group.Length == 0 ? 0 : group[0].Length;
        }
        return new ParquetTable(path, file.Columns, rows, values, file.Skipped);
    }
}

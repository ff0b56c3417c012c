using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A data file named by the user — CSV or Parquet, told apart by content — read whole or in row blocks, with the
/// columns <c>--columns</c> chooses. Every command that takes <c>--train</c>, <c>--test</c> or <c>--data</c> reads
/// through here, so both formats are accepted everywhere.
/// </summary>
/// <remarks>
/// A file is Parquet if its first four bytes are the format's magic <c>PAR1</c> — whatever its name — or if its name
/// ends in <c>.parquet</c>; a file so named that is not Parquet is then refused as such, rather than parsed as CSV
/// into a baffling message about its first line. Anything else is CSV.
/// </remarks>
public static class DataFile
{
    /// <summary>Whether the file is read as Parquet (see the remarks); false for a missing file, which the CSV reader reports.</summary>
    public static bool IsParquet(string path)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
            Span<byte> head = stackalloc byte[4];
            return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(ParquetColumnReader.Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the reader that opens it next says why it cannot
        }
    }

    /// <summary>Reads a whole file into memory.</summary>
    /// <param name="columns">The columns to keep, in this order; null keeps all (for Parquet: all numeric ones).</param>
    /// <param name="note">Told which non-numeric Parquet columns were skipped, when <paramref name="columns"/> is null.</param>
    /// <exception cref="Errors.InvalidInputException">The file cannot be read, breaks a rule, or lacks a chosen column.</exception>
    /// <param name="missingAsNaN">Read missing cells (empty, NA, NaN, null, ?, Parquet nulls) as NaN for the caller to
    /// handle (<see cref="MissingValues"/>), instead of refusing the first one.</param>
    /// <param name="separator">A CSV file's field separator; null detects it from the header.</param>
    /// <param name="textColumns">A CSV file's columns read as text, each cell coded by its function (a classifier's labels,
    /// <see cref="Classification.LabelledTable"/>); a Parquet file reads them as numbers.</param>
    public static INumericTable ReadTable(string path, IReadOnlyList<string>? columns, Action<string> note, bool missingAsNaN = false,
        char? separator = null, IReadOnlyDictionary<string, Func<string, double>>? textColumns = null)
    {
        if (IsParquet(path))
        {
            var table = ParquetTable.Read(path, columns, missingAsNaN);
            ReportSkipped(path, table.SkippedColumns, note);
            return table;
        }
        var csv = CsvTable.Read(path, columns, missingAsNaN, separator, textColumns);
        ReportSeparator(csv, note);
        return csv;
    }

    /// <summary>Names a separator other than the comma, and a decimal comma, so that a file read as R's write.csv2 or
    /// write.table(sep="\t") wrote it says so.</summary>
    private static void ReportSeparator(CsvTable csv, Action<string> note)
    {
        if (csv.Separator == ',') return;
        note($"{csv.Path}: read as {CsvRowReader.SeparatorName(csv.Separator)}-separated" +
             (csv.SawDecimalComma ? ", with decimal commas (2,5 is 2.5: R's write.csv2)" : ""));
    }

    /// <summary>Opens a training file for block-by-block reading, its columns chosen as <see cref="Dataset.FromTable"/> does.</summary>
    public static IRowBlockReader OpenTraining(string path, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        Action<string> note, int blockSize = BlockPlan.DefaultRowBlock)
    {
        if (!IsParquet(path)) return CsvRowBlockReader.OpenTraining(path, targetNames, blockSize, columns);
        var reader = ParquetRowBlockReader.OpenTraining(path, targetNames, columns, blockSize);
        ReportSkipped(path, reader.SkippedColumns, note);
        return reader;
    }

    /// <summary>Opens a file that must have the given feature and target columns (by name, any order, no others).</summary>
    public static IRowBlockReader OpenMatching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize = BlockPlan.DefaultRowBlock) =>
        IsParquet(path)
            ? ParquetRowBlockReader.OpenMatching(path, featureNames, targetNames, columns, blockSize)
            : CsvRowBlockReader.OpenMatching(path, featureNames, targetNames, blockSize, columns);

    private static void ReportSkipped(string path, IReadOnlyList<string> skipped, Action<string> note)
    {
        if (skipped.Count > 0)
            note($"{path}: skipped {skipped.Count} non-numeric column(s): {string.Join(", ", skipped)} (--columns chooses columns)");
    }
}

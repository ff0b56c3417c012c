using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Partitions;

/// <summary>The lines and data rows of one partition, from a counting pass (<see cref="PartitionReader.Count"/>).</summary>
/// <param name="Rows">Data rows (for CSV: non-blank lines, less the header in the first range).</param>
/// <param name="Lines">CSV: lines that start in the range, blank ones and the header included; Parquet: 0.</param>
public readonly record struct PartitionCount(long Rows, long Lines);

/// <summary>
/// Reads one partition's rows as <see cref="RowBlock"/>s, through the very readers of whole files
/// (<see cref="CsvRowBlockReader"/> on a byte range, <see cref="ParquetRowBlockReader"/> on one row group): the same
/// column choice (<c>--columns</c>, target names), the same conversions, and the same one-line errors, which name the
/// file, its real line (CSV) or row (Parquet), and the column.
/// </summary>
/// <remarks>
/// A partition's blocks are numbered from 0 and their <see cref="RowBlock.FirstRow"/> counts rows within the
/// partition; a row's index in the dataset is <see cref="DataPartition.FirstRow"/> plus that. Reading all partitions
/// in order, block by block, gives exactly the rows of reading the files one after another. Before reading, the
/// file is checked against the partition's fingerprint (<see cref="FileFingerprint.EnsureUnchanged"/>), so rows of a
/// changed file are never mixed with rows read before the change.
/// </remarks>
public static class PartitionReader
{
    /// <summary>Opens a partition of training data: targets the named columns (by default the last chosen one), features the others.</summary>
    /// <param name="columns">The columns to use, in this order (<c>--columns</c>); null uses them all (Parquet: all numeric ones).</param>
    /// <param name="note">Told which non-numeric Parquet columns are skipped, when <paramref name="columns"/> is null.</param>
    /// <exception cref="InvalidInputException">The file changed or cannot be read, or its columns do not allow the choice.</exception>
    /// <param name="separator">CSV: the field separator (<c>--separator</c>); null detects it from the file's header.</param>
    public static IRowBlockReader OpenTraining(DataPartition partition, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns = null,
        Action<string>? note = null, int blockSize = BlockPlan.DefaultRowBlock, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format == DataFormat.Csv)
            return CsvRowBlockReader.OpenTraining(() => OpenRange(partition, separator), partition.Path, targetNames, blockSize, columns);
        var reader = ParquetRowBlockReader.OpenTraining(partition.Path, targetNames, columns, blockSize, partition.RowGroup);
        if (note is not null && reader.SkippedColumns.Count > 0)
            note($"{partition.Path}: skipped {reader.SkippedColumns.Count} non-numeric column(s): {string.Join(", ", reader.SkippedColumns)} (--columns chooses columns)");
        return reader;
    }

    /// <summary>Opens a partition that must have the given feature and target columns, by name and in any order, and no others.</summary>
    /// <exception cref="InvalidInputException">The file changed or cannot be read, or its columns do not match.</exception>
    /// <param name="separator">CSV: the field separator (<c>--separator</c>); null detects it from the file's header.</param>
    /// <param name="missingAsNaN">Read missing cells (CSV markers, Parquet nulls) as NaN, for <see cref="MissingRows"/> to
    /// count, drop or fill; otherwise a missing cell is refused where it is read.</param>
    public static IRowBlockReader OpenMatching(DataPartition partition, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns = null, int blockSize = BlockPlan.DefaultRowBlock, char? separator = null, bool missingAsNaN = false)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format == DataFormat.Csv)
            return CsvRowBlockReader.OpenMatching(() => OpenRange(partition, separator, missingAsNaN), partition.Path, featureNames, targetNames, blockSize, columns);
        var parquet = ParquetRowBlockReader.OpenMatching(partition.Path, featureNames, targetNames, columns, blockSize, partition.RowGroup);
        parquet.MissingAsNaN = missingAsNaN;
        return parquet;
    }

    /// <summary>
    /// <see cref="OpenMatching(DataPartition, IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}?, int)"/>
    /// with one CSV column read as text, each cell coded by <paramref name="code"/> (text class labels,
    /// <see cref="PartitionColumns.LabelNames"/>); a Parquet partition reads it as a number.
    /// </summary>
    internal static IRowBlockReader OpenMatching(DataPartition partition, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize, string textColumn, Func<string, double> code, char? separator = null, bool missingAsNaN = false)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format != DataFormat.Csv)
        {
            var parquet = ParquetRowBlockReader.OpenMatching(partition.Path, featureNames, targetNames, columns, blockSize, partition.RowGroup);
            parquet.MissingAsNaN = missingAsNaN;
            return parquet;
        }
        return OpenCoded(partition, featureNames, targetNames, columns, blockSize, new Dictionary<string, Func<string, double>> { [textColumn] = code },
            separator, missingAsNaN);
    }

    /// <summary>
    /// <see cref="OpenMatching(DataPartition, IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}?, int, char?, bool)"/>
    /// with CSV columns read as text, each cell coded by its column's coder (text labels, categorical features).
    /// </summary>
    internal static IRowBlockReader OpenCoded(DataPartition partition, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize, IReadOnlyDictionary<string, Func<string, double>> coders, char? separator, bool missingAsNaN)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format != DataFormat.Csv)
        {
            var parquet = ParquetRowBlockReader.OpenMatchingCoded(partition.Path, featureNames, targetNames, columns, blockSize, partition.RowGroup, coders);
            parquet.MissingAsNaN = missingAsNaN;
            return parquet;
        }
        return CsvRowBlockReader.OpenMatching(() => Coding(OpenRange(partition, separator, missingAsNaN), coders), partition.Path, featureNames,
            targetNames, blockSize, columns);
    }

    /// <summary>
    /// <see cref="OpenFeatures"/> with CSV feature columns read as text and coded (categorical features).
    /// </summary>
    internal static IRowBlockReader OpenFeaturesCoded(DataPartition partition, IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames,
        IReadOnlyList<string>? columns, int blockSize, IReadOnlyDictionary<string, Func<string, double>> coders, char? separator)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format != DataFormat.Csv)
            return ParquetRowBlockReader.OpenFeaturesCoded(partition.Path, featureNames, ignoredNames, columns, blockSize, partition.RowGroup, coders);
        return CsvRowBlockReader.OpenFeatures(() => Coding(SkippingText(OpenRange(partition, separator), ignoredNames), coders), partition.Path,
            featureNames, ignoredNames, blockSize, columns);
    }

    private static CsvRowReader Coding(CsvRowReader reader, IReadOnlyDictionary<string, Func<string, double>> coders)
    {
        foreach (var (name, code) in coders)
        {
            int index = Array.IndexOf(reader.Columns, name);
            if (index >= 0) reader.CodeText(index, code);
        }
        return reader;
    }

    /// <summary>
    /// Opens a partition of rows to predict: the model's feature columns, by name and in any order; columns named in
    /// <paramref name="ignoredNames"/> (a model's targets or label column) may be present and are skipped, any other
    /// column is refused. Blocks have no target columns. The rule of <c>ntk predict</c> on a single file.
    /// </summary>
    /// <exception cref="InvalidInputException">The file changed or cannot be read, or its columns do not match.</exception>
    public static IRowBlockReader OpenFeatures(DataPartition partition, IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames,
        IReadOnlyList<string>? columns = null, int blockSize = BlockPlan.DefaultRowBlock)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(ignoredNames);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        return partition.Format == DataFormat.Csv
            ? CsvRowBlockReader.OpenFeatures(() => SkippingText(OpenRange(partition), ignoredNames), partition.Path, featureNames, ignoredNames, blockSize, columns)
            : ParquetRowBlockReader.OpenFeatures(partition.Path, featureNames, ignoredNames, columns, blockSize, partition.RowGroup);
    }

    /// <summary>
    /// Counts a partition's rows (and, for CSV, its lines) without parsing a number: from the footer for Parquet; for
    /// CSV by a scan of the range's bytes, counting the non-blank lines the parser would read as rows. The count
    /// assumes the rows are valid; a bad row is refused when the partition is read.
    /// </summary>
    /// <exception cref="InvalidInputException">The file changed or cannot be read.</exception>
    public static PartitionCount Count(DataPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format == DataFormat.Parquet)
        {
            if (partition.RowCount is long known) return new PartitionCount(known, 0);
            using var file = ParquetColumnReader.Open(partition.Path, null);
            return new PartitionCount(file.RowGroupRowCount(partition.RowGroup), 0);
        }
        var (lines, nonBlank) = CsvLayout.Count(partition.Path, partition.ByteStart, partition.ByteEnd);
        return new PartitionCount(partition.ByteStart == 0 ? Math.Max(0, nonBlank - 1) : nonBlank, lines);
    }

    /// <summary>One pass over a partition's training rows, block by block; the file is open while the sequence is enumerated.</summary>
    public static IEnumerable<RowBlock> TrainingBlocks(DataPartition partition, IReadOnlyList<string>? targetNames,
        IReadOnlyList<string>? columns = null, int blockSize = BlockPlan.DefaultRowBlock)
    {
        using var reader = OpenTraining(partition, targetNames, columns, null, blockSize);
        while (reader.ReadBlock() is { } block) yield return block;
    }

    /// <summary>The reader with the ignored columns read as text and never parsed: a classifier's label column may hold text labels.</summary>
    private static CsvRowReader SkippingText(CsvRowReader reader, IReadOnlyList<string> ignoredNames)
    {
        foreach (string name in ignoredNames)
        {
            int index = Array.IndexOf(reader.Columns, name);
            if (index >= 0) reader.CodeText(index, _ => 0);
        }
        return reader;
    }

    /// <summary>
    /// The CSV reader of a partition's byte range. The lines before it are known after a counting pass; otherwise they
    /// are counted (a scan of the file up to the range) only if an error needs its line number.
    /// </summary>
    internal static CsvRowReader OpenRange(DataPartition partition, char? separator = null, bool missingAsNaN = false)
    {
        var reader = CsvRowReader.OpenRange(partition.Path, partition.ByteStart, partition.ByteEnd,
            () => partition.LinesBefore ?? CsvLayout.Count(partition.Path, 0, partition.ByteStart).Lines, separator);
        reader.MissingAsNaN = missingAsNaN;
        return reader;
    }
}

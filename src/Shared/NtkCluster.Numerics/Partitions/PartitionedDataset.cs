using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A dataset as a sequence of partitions, defined by its files alone and never by the cluster that reads it: what a
/// <c>--train</c>, <c>--test</c> or <c>--data</c> value names. A partition is one Parquet row group of one file, or
/// for CSV one file, cut into byte ranges of about <see cref="DefaultSplitSize"/> when it is larger, the way Hadoop
/// and Spark split text. Files are taken in ordinal order of their names (paths, for a glob), so the partitions,
/// their order, and every result reduced over them in that order are the same on any machine and for any number of
/// workers.
/// </summary>
/// <remarks>
/// <para>
/// A source is a file (CSV or Parquet, told apart by content as <see cref="DataFile"/> does), a directory (its
/// <c>*.parquet</c> or <c>*.csv</c> files, not its subdirectories), or a glob (<see cref="PathGlob"/>:
/// <c>data/part-*.csv</c>, <c>data/**/x.parquet</c>). In a directory or a glob, names starting with <c>_</c> or
/// <c>.</c> are ignored, so the output of Spark, pandas or pyarrow (<c>part-00000.parquet</c> beside <c>_SUCCESS</c>,
/// <c>_metadata</c> and <c>.crc</c> files) reads as it is.
/// </para>
/// <para>
/// Resolving reads each file's header or footer, and a fingerprint of each (<see cref="FileFingerprint"/>: at most
/// 1 MiB); for a CSV file larger than the split size, a few bytes at each cut. It never reads the data. Every part
/// must hold rows and have the same columns (names, order and, for Parquet, types) as the first; the CSV header and
/// the Parquet footer are checked by the same readers, with the same messages, as a single file.
/// </para>
/// <para>
/// Row counts are in the Parquet footers; a CSV range's rows are known only after a counting pass
/// (<see cref="PartitionReader.Count"/>, merged by <see cref="WithCounts"/>), which also gives every range the
/// number of lines before it. Reading does not need either: a range counts the lines before it only to report an
/// error at its real line.
/// </para>
/// </remarks>
public sealed class PartitionedDataset
{
    /// <summary>The size of a CSV byte range: 64 MiB, as Hadoop's and Spark's default split (block) size.</summary>
    public const long DefaultSplitSize = 64L << 20;

    /// <summary>The file, directory or glob, as given.</summary>
    public string Source { get; }

    public DataFormat Format { get; }

    /// <summary>The dataset's files, in partition order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The columns every file has (the CSV header; the Parquet schema's top-level columns), in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The partitions, in order: files in name order, then row groups or byte ranges in file order.</summary>
    public IReadOnlyList<DataPartition> Partitions { get; }

    /// <summary>Rows in the whole dataset, when every partition's count is known (always for Parquet).</summary>
    public long? RowCount => Partitions.All(p => p.RowCount.HasValue) ? Partitions.Sum(p => p.RowCount!.Value) : null;

    private PartitionedDataset(string source, DataFormat format, IReadOnlyList<string> files, IReadOnlyList<string> columns,
        IReadOnlyList<DataPartition> partitions)
    {
        Source = source;
        Format = format;
        Files = files;
        Columns = columns;
        Partitions = partitions;
    }

    /// <summary>Whether a source names a directory, or a glob (<see cref="PathGlob"/>) that is not itself a file's name.</summary>
    public static bool IsDirectoryOrGlob(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return !File.Exists(source) && (Directory.Exists(source) || PathGlob.IsPattern(source));
    }

    /// <summary>Resolves a file, directory or glob into its partitions (see the remarks).</summary>
    /// <param name="splitSize">The size of a CSV byte range (tests use small ones).</param>
    /// <exception cref="InvalidInputException">Nothing to read (no such path, a directory with no data files, a glob that
    /// matches nothing), Parquet and CSV mixed, parts whose columns differ, an empty part, or a file that cannot be
    /// read: one line that names the file.</exception>
    /// <param name="separator">CSV: the field separator of every part (<c>--separator</c>); null detects each part's from its
    /// header, and the parts must agree.</param>
    public static PartitionedDataset Resolve(string source, long splitSize = DefaultSplitSize, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(splitSize);
        var files = FilesOf(source);
        var format = FormatOf(source, files);
        return format == DataFormat.Parquet ? ResolveParquet(source, files) : ResolveCsv(source, files, splitSize, separator);
    }

    /// <summary>
    /// The same dataset with every partition's row count, first row and (CSV) lines before it filled in from a
    /// counting pass: <paramref name="counts"/>[i] is <see cref="PartitionReader.Count"/> of partition i, which each
    /// worker may take for its own partitions.
    /// </summary>
    public PartitionedDataset WithCounts(IReadOnlyList<PartitionCount> counts) =>
        new(Source, Format, Files, Columns, WithCounts(Partitions, counts));

    /// <summary>
    /// The partitions of a dataset (all of them, in order) with their row counts, first rows and (CSV) lines before
    /// them filled in from a counting pass, as <see cref="WithCounts(IReadOnlyList{PartitionCount})"/>: what a job that
    /// carries only the descriptors does after a counting round.
    /// </summary>
    public static IReadOnlyList<DataPartition> WithCounts(IReadOnlyList<DataPartition> all, IReadOnlyList<PartitionCount> counts)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != all.Count) throw new ArgumentException($"{all.Count} partitions, {counts.Count} counts", nameof(counts));
        var partitions = new DataPartition[all.Count];
        long firstRow = 0, lines = 0;
        for (int i = 0; i < partitions.Length; i++)
        {
            var p = all[i];
            if (p.Format == DataFormat.Csv && p.ByteStart == 0) lines = 0;
            partitions[i] = p with
            {
                RowCount = counts[i].Rows,
                FirstRow = firstRow,
                LinesBefore = p.Format == DataFormat.Csv ? lines : null,
            };
            firstRow += counts[i].Rows;
            lines += counts[i].Lines;
        }
        return partitions;
    }

    /// <summary>Counts every partition's rows here, one after another (see <see cref="WithCounts"/>); Parquet needs no pass.</summary>
    public PartitionedDataset CountRows() =>
        Partitions.All(p => p.RowCount.HasValue && p.FirstRow.HasValue && (p.Format == DataFormat.Parquet || p.LinesBefore.HasValue))
            ? this
            : WithCounts(Partitions.Select(PartitionReader.Count).ToList());

    /// <summary>The files a source names, in order; refuses a source that names none.</summary>
    private static List<string> FilesOf(string source)
    {
        if (File.Exists(source)) return [source];
        if (Directory.Exists(source))
        {
            var names = new List<string>();
            string? other = null;
            foreach (string path in Directory.EnumerateFiles(source))
            {
                string name = Path.GetFileName(path);
                if (name.StartsWith('_') || name.StartsWith('.')) continue;
                if (name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                    names.Add(name);
                else if (other is null || string.CompareOrdinal(name, other) < 0) other = name;
            }
            if (names.Count == 0)
                throw new InvalidInputException($"{source}: no data files in the directory (it reads *.parquet or *.csv files" +
                                                (other is null ? "" : $"; '{other}' is neither") + ")");
            names.Sort(StringComparer.Ordinal);
            return names.Select(name => Path.Combine(source, name)).ToList();
        }
        if (PathGlob.IsPattern(source))
        {
            var matched = PathGlob.Match(source);
            if (matched.Count == 0) throw new InvalidInputException($"no files match {source}");
            return matched;
        }
        throw new InvalidInputException($"file not found: {source}");
    }

    private static DataFormat FormatOf(string source, List<string> files)
    {
        string? parquet = null, csv = null;
        foreach (string file in files)
        {
            if (DataFile.IsParquet(file)) parquet ??= file;
            else csv ??= file;
            if (parquet is not null && csv is not null)
                throw new InvalidInputException($"{source}: mixes Parquet and CSV files ({parquet} is Parquet, {csv} is CSV); a dataset is all one format");
        }
        return parquet is not null ? DataFormat.Parquet : DataFormat.Csv;
    }

    private static PartitionedDataset ResolveParquet(string source, List<string> files)
    {
        var partitions = new List<DataPartition>();
        IReadOnlyList<(string Name, string Type)>? first = null;
        long firstRow = 0;
        foreach (string path in files)
        {
            var fingerprint = FileFingerprint.Of(path);
            using var reader = ParquetColumnReader.Open(path, null);
            var columns = reader.AllColumns;
            if (first is null) first = columns;
            else CompareParquet(source, files[0], first, path, columns);
            if (reader.RowCount == 0) throw new InvalidInputException($"{path}: the file has no rows");
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                long rows = reader.RowGroupRowCount(g);
                if (rows == 0) continue; // an empty row group holds nothing to compute: not a partition
                partitions.Add(new DataPartition(partitions.Count, path, DataFormat.Parquet, fingerprint, g, 0, fingerprint.Size, rows, firstRow, null));
                firstRow += rows;
            }
        }
        return new PartitionedDataset(source, DataFormat.Parquet, files, first!.Select(c => c.Name).ToArray(), partitions);
    }

    private static void CompareParquet(string source, string firstPath, IReadOnlyList<(string Name, string Type)> first, string path,
        IReadOnlyList<(string Name, string Type)> columns)
    {
        for (int c = 0; c < Math.Max(first.Count, columns.Count); c++)
        {
            if (c >= columns.Count)
                throw new InvalidInputException($"{source}: {path} has no column '{first[c].Name}' (column {c + 1} of {firstPath}); every part must have the same columns");
            if (c >= first.Count)
                throw new InvalidInputException($"{source}: {path} has a column '{columns[c].Name}' (column {c + 1}) that {firstPath} has not; every part must have the same columns");
            if (columns[c].Name != first[c].Name)
                throw new InvalidInputException($"{source}: {path} has column '{columns[c].Name}' where {firstPath} has '{first[c].Name}' (column {c + 1}); every part must have the same columns");
            if (columns[c].Type != first[c].Type)
                throw new InvalidInputException($"{source}: {path}: column '{columns[c].Name}' holds {columns[c].Type} values, but {first[c].Type} in {firstPath}; every part must have the same column types");
        }
    }

    private static PartitionedDataset ResolveCsv(string source, List<string> files, long splitSize, char? separator)
    {
        char? firstSeparator = null;
        var partitions = new List<DataPartition>();
        string[]? first = null;
        long? firstRow = 0;
        foreach (string path in files)
        {
            var fingerprint = FileFingerprint.Of(path);
            string[] columns;
            long headerLine;
            // The header is read, and refused, exactly as a single file's (an empty file, a bad or duplicate name).
            using (var header = CsvRowReader.Open(path, separator))
            {
                columns = header.Columns;
                headerLine = header.HeaderLine;
                // Parts are read with the separator each one's header shows: they must all show the same.
                if (separator is null && firstSeparator is { } expected && header.Separator != expected)
                    throw new InvalidInputException($"{path}: its header is separated by {CsvRowReader.SeparatorName(header.Separator)}, " +
                                                    $"{files[0]}'s by {CsvRowReader.SeparatorName(expected)}: every part of {source} must use one separator " +
                                                    "(or give --separator)");
                firstSeparator ??= header.Separator;
            }
            if (first is null) first = columns;
            else CompareCsv(source, files[0], first, path, columns);

            List<long> starts;
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
                // A file in UTF-16/32 cannot be looked at byte-wise: it is one range, whose lines are counted decoded.
                bool utf8 = CsvLayout.CanSplit(file);
                long firstData = utf8 ? CsvLayout.FirstDataLine(file) : 0;
                if (utf8 ? firstData >= file.Length : CsvLayout.Count(path, 0, file.Length).NonBlank <= 1)
                    throw new DataFormatException(path, headerLine, 0, "the file has a header but no data rows");
                starts = CsvLayout.RangeStarts(file, splitSize, firstData);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
            }
            for (int r = 0; r < starts.Count; r++)
            {
                long end = r + 1 < starts.Count ? starts[r + 1] : fingerprint.Size;
                partitions.Add(new DataPartition(partitions.Count, path, DataFormat.Csv, fingerprint, -1, starts[r], end,
                    null, firstRow, starts[r] == 0 ? 0 : null));
                firstRow = null; // unknown until the rows before are counted
            }
        }
        return new PartitionedDataset(source, DataFormat.Csv, files, first!, partitions);
    }

    private static void CompareCsv(string source, string firstPath, string[] first, string path, string[] columns)
    {
        for (int c = 0; c < Math.Max(first.Length, columns.Length); c++)
        {
            if (c >= columns.Length)
                throw new InvalidInputException($"{source}: {path} has no column '{first[c]}' (column {c + 1} of {firstPath}); every part must have the same columns");
            if (c >= first.Length)
                throw new InvalidInputException($"{source}: {path} has a column '{columns[c]}' (column {c + 1}) that {firstPath} has not; every part must have the same columns");
            if (columns[c] != first[c])
                throw new InvalidInputException($"{source}: {path} has column '{columns[c]}' where {firstPath} has '{first[c]}' (column {c + 1}); every part must have the same columns");
        }
    }
}

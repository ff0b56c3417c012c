using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Errors;
using Parquet;
using Parquet.Schema;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Columns passed through from the input to the predictions (<c>ntk predict --keep ID,…</c>): their cells as text,
/// copied verbatim (CSV: as unquoted by the reader; Parquet: each value's invariant text, nulls empty), whatever type
/// the column holds, so an ID column of text or of large integers comes out as it went in.
/// </summary>
public sealed class KeptColumns
{
    private KeptColumns(string[] names, string[][] rows)
    {
        Names = names;
        Rows = rows;
    }

    /// <summary>The kept columns' names, in the order asked for.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>One array of cells per row, in <see cref="Names"/>' order.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>Reads the named columns of a CSV or Parquet file.</summary>
    /// <exception cref="InvalidInputException">A name is not a column of the file (one line naming the file's columns).</exception>
    public static KeptColumns Read(string path, IReadOnlyList<string> names, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(names);
        return DataFile.IsParquet(path) ? ReadParquet(path, names) : ReadCsv(path, names, separator);
    }

    /// <summary>
    /// Reads the named columns of one partition of a dataset (<c>ntk predict --keep</c> on a directory or glob): the
    /// lines of a CSV byte range (columns from the file's header, separator detected from it, as the partition's rows
    /// are read) or one Parquet row group — the same cells, row for row, that <see cref="Read"/> gives for those rows of
    /// the file. A partition is at most a split's size, so its kept cells are held whole, like its part's text.
    /// </summary>
    /// <exception cref="InvalidInputException">A name is not a column of the file.</exception>
    public static KeptColumns ReadPartition(Partitions.DataPartition partition, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(names);
        partition.Fingerprint.EnsureUnchanged(partition.Path);
        if (partition.Format == Partitions.DataFormat.Parquet) return ReadParquet(partition.Path, names, partition.RowGroup);
        using var reader = CsvRowReader.OpenRange(partition.Path, partition.ByteStart, partition.ByteEnd,
            () => partition.LinesBefore ?? Partitions.CsvLayout.Count(partition.Path, 0, partition.ByteStart).Lines);
        return ReadRows(partition.Path, reader, names);
    }

    /// <summary>Checks that a file has the named columns, from its header or schema alone (no row is read).</summary>
    /// <exception cref="InvalidInputException">A name is not a column of the file (one line naming the file's columns).</exception>
    public static void CheckColumns(string path, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(names);
        if (!DataFile.IsParquet(path))
        {
            using var reader = CsvRowReader.Open(path);
            Indexes(path, reader.Columns, names);
            return;
        }
        Task.Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            Indexes(path, reader.Schema.GetDataFields().Select(f => f.Name).ToArray(), names);
        }).GetAwaiter().GetResult();
    }

    private static int[] Indexes(string path, IReadOnlyList<string> columns, IReadOnlyList<string> names) =>
        names.Select(n =>
        {
            int i = columns.ToList().IndexOf(n);
            return i >= 0 ? i : throw new InvalidInputException(
                $"--keep '{n}' is not a column of {path} (columns: {string.Join(", ", columns.Take(20))}{(columns.Count > 20 ? ", …" : "")})");
        }).ToArray();

    private static KeptColumns ReadCsv(string path, IReadOnlyList<string> names, char? separator)
    {
        using var reader = CsvRowReader.Open(path, separator);
        return ReadRows(path, reader, names);
    }

    private static KeptColumns ReadRows(string path, CsvRowReader reader, IReadOnlyList<string> names)
    {
        int[] indexes = Indexes(path, reader.Columns, names);
        var cells = new string[reader.Columns.Length];
        var rows = new List<string[]>();
        while (reader.ReadTexts(cells)) rows.Add(indexes.Select(i => cells[i]).ToArray());
        return new KeptColumns(names.ToArray(), rows.ToArray());
    }

    /// <param name="rowGroup">One row group only (a partition), or null for all of them.</param>
    private static KeptColumns ReadParquet(string path, IReadOnlyList<string> names, int? rowGroup = null) =>
        Task.Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.GetDataFields();
            int[] indexes = Indexes(path, fields.Select(f => f.Name).ToArray(), names);
            var rows = new List<string[]>();
            int end = rowGroup is { } only ? only + 1 : reader.RowGroupCount;
            for (int g = rowGroup ?? 0; g < end; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                var columns = new List<string[]>();
                foreach (int i in indexes) columns.Add(await ReadTextAsync(path, group, fields[i], count));
                for (int r = 0; r < count; r++) rows.Add(columns.Select(c => c[r]).ToArray());
            }
            return new KeptColumns(names.ToArray(), rows.ToArray());
        }).GetAwaiter().GetResult();

    /// <summary>One column of a row group as text, whatever its (flat) type.</summary>
    private static async Task<string[]> ReadTextAsync(string path, ParquetRowGroupReader group, DataField field, int count)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
            return (await ParquetColumnReader.StringsAsync(group, field)).Select(v => v ?? "").ToArray();
        return type switch
        {
            _ when type == typeof(int) => await ReadAsync<int>(group, field, count),
            _ when type == typeof(long) => await ReadAsync<long>(group, field, count),
            _ when type == typeof(short) => await ReadAsync<short>(group, field, count),
            _ when type == typeof(double) => await ReadAsync<double>(group, field, count),
            _ when type == typeof(float) => await ReadAsync<float>(group, field, count),
            _ when type == typeof(decimal) => await ReadAsync<decimal>(group, field, count),
            _ when type == typeof(bool) => await ReadAsync<bool>(group, field, count),
            _ when type == typeof(DateTime) => await ReadAsync<DateTime>(group, field, count),
            _ => throw new InvalidInputException($"{path}: column '{field.Name}' holds {type.Name} values, which --keep cannot copy"),
        };
    }

    /// <summary>
    /// A column's cells as text, a null as an empty cell. Not through Parquet.Net's nullable read
    /// (<c>ReadAsync(field, Memory&lt;T?&gt;)</c>): for a required column it judges nulls from a pooled definition-level
    /// buffer it never fills, so a stale negative number there turned a cell into a null (Parquet.Net 6.1.0). The raw
    /// values and our own levels (<see cref="ParquetColumnReader.RawAsync{T}"/>), as the numeric reads take them.
    /// </summary>
    private static async Task<string[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        var (raw, levels) = await ParquetColumnReader.RawAsync<T>(group, field);
        var cells = new string[count];
        int next = 0;
        for (int r = 0; r < count; r++)
            cells[r] = levels is not null && levels[r] < field.MaxDefinitionLevel ? "" : Text(raw[next++]);
        return cells;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// <paramref name="csv"/> (a header line, then one line per row, as <see cref="PredictionCsv"/> writes it) with the
    /// kept columns in front, CSV-quoted where a cell needs it.
    /// </summary>
    /// <exception cref="ArgumentException">The CSV has another number of rows.</exception>
    public string Prepend(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = Lines(csv);
        if (lines.Length != Rows.Count + 1) throw new ArgumentException($"{lines.Length - 1} prediction rows for {Rows.Count} kept rows", nameof(csv));
        var sb = new StringBuilder(csv.Length * 2);
        for (int i = 0; i < lines.Length; i++) AppendLine(sb, i == 0 ? Names : Rows[i - 1], i == 0 ? Distinct(lines[0]) : lines[i]);
        return sb.ToString();
    }

    /// <summary>
    /// <paramref name="lines"/> (prediction rows as <see cref="PredictionCsv"/> appends them, no header) with the kept
    /// cells of rows <paramref name="firstRow"/>, <paramref name="firstRow"/>+1, … in front, appended to
    /// <paramref name="sb"/>: a part of a partitioned prediction, piece by piece, in the bytes <see cref="Prepend"/>
    /// gives for the whole file.
    /// </summary>
    /// <exception cref="ArgumentException">There are more lines than kept rows from <paramref name="firstRow"/> on.</exception>
    public void AppendRows(StringBuilder sb, string lines, int firstRow)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(lines);
        var split = Lines(lines);
        if (firstRow < 0 || firstRow + split.Length > Rows.Count)
            throw new ArgumentException($"prediction rows {firstRow}..{firstRow + split.Length} for {Rows.Count} kept rows", nameof(lines));
        for (int i = 0; i < split.Length; i++) AppendLine(sb, Rows[firstRow + i], split[i]);
    }

    /// <summary>The header line <paramref name="header"/> with the kept columns' names in front.</summary>
    public string PrependHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var sb = new StringBuilder();
        foreach (string line in Lines(header)) AppendLine(sb, Names, Distinct(line));
        return sb.ToString();
    }

    /// <summary>
    /// A prediction header line whose columns do not repeat a kept column's name: <c>--keep Class</c> with a classifier
    /// of labels <c>Class</c> keeps the data's <c>Class</c> (the true labels, to compare) and names the prediction
    /// <c>prediction_Class</c>, as a regression model names a target's prediction (<c>prediction_y</c>); pandas would
    /// otherwise read the second as <c>Class.1</c>. Score columns named after a class are renamed alike.
    /// </summary>
    private string Distinct(string header)
    {
        string line = header.TrimEnd('\r');
        var fields = HeaderFields(line);
        if (!fields.Any(f => Names.Contains(f, StringComparer.Ordinal))) return header;
        var taken = new HashSet<string>(Names.Concat(fields), StringComparer.Ordinal);
        for (int i = 0; i < fields.Count; i++)
        {
            if (!Names.Contains(fields[i], StringComparer.Ordinal)) continue;
            string name = "prediction_" + fields[i];
            while (taken.Contains(name)) name = "prediction_" + name;
            taken.Add(name);
            fields[i] = name;
        }
        return string.Join(",", fields.Select(Quote));
    }

    /// <summary>The names in a header line as <see cref="PredictionCsv"/> writes it: comma-separated, quoted where needed.</summary>
    private static List<string> HeaderFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }

    private static string[] Lines(string text)
    {
        var lines = text.Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private static void AppendLine(StringBuilder sb, IReadOnlyList<string> cells, string line)
    {
        foreach (var cell in cells) sb.Append(Quote(cell)).Append(',');
        sb.Append(line.TrimEnd('\r')).Append('\n');
    }

    /// <summary>A cell as CSV: quoted when it holds a separator, a quote, a line break or blanks at its ends.</summary>
    public static string Quote(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        bool needs = cell.IndexOfAny([',', '"', '\n', '\r', ';', '\t']) >= 0 || (cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])));
        return needs ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}

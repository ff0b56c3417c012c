using NtkCluster.Numerics.Errors;
using Parquet;
using Parquet.Schema;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The chosen numeric columns of a Parquet file, read one row group at a time as doubles, with every value checked
/// (no nulls, no NaN or infinities) and one-line errors naming the file, the column and the row. The single reader
/// behind the in-memory <see cref="ParquetTable"/> and the streaming <see cref="ParquetRowBlockReader"/>, so both
/// accept, refuse and convert exactly alike.
/// </summary>
/// <remarks>
/// <para>
/// Which columns are numbers: integers of any width (signed or not), float, double and decimal are read as their
/// value (integers beyond ±2⁵³ and decimals round to the nearest double); timestamps and dates as seconds since
/// 1970-01-01 00:00 UTC, and times of day as seconds since midnight — numbers a kernel can use, unlike text. Strings,
/// booleans, binary data and nested columns (lists, maps, structs) are not: named in <c>--columns</c> they are
/// refused; without <c>--columns</c> they are skipped and listed in <see cref="Skipped"/>.
/// </para>
/// <para>
/// Memory is one row group of the chosen columns (the format's unit of reading: its pages are compressed per
/// column chunk), never the whole file; other columns are not read at all. Parquet.Net is asynchronous; it is run
/// on the thread pool and waited for, so that this reader can be used from synchronous code, including code that
/// runs inside an actor, whose task scheduler must not be asked to run the library's continuations while it waits.
/// </para>
/// </remarks>
internal sealed class ParquetColumnReader : IDisposable
{
    /// <summary>The four bytes every Parquet file starts and ends with.</summary>
    internal static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;

    /// <summary>The path as the caller gave it; it starts every error message.</summary>
    public string Path { get; }

    /// <summary>The chosen columns' names, in the order asked for (or file order when all numeric ones are used).</summary>
    public string[] Columns { get; }

    /// <summary>Columns left out because they are not numbers, as "name (type)", in file order; empty with <c>--columns</c>.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Rows in the file, over all row groups.</summary>
    public long RowCount { get; }

    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Every top-level column of the file, chosen or not, as (name, what it holds: "Int64", "string", "list", …), in file order.</summary>
    public IReadOnlyList<(string Name, string Type)> AllColumns =>
        _reader.Schema.Fields.Select(f => (f.Name, Describe(f))).ToArray();

    /// <summary>Rows in row group <paramref name="group"/> (from the footer).</summary>
    public long RowGroupRowCount(int group) => _reader.OpenRowGroupReader(group).RowCount;

    private ParquetColumnReader(string path, ParquetReader reader, DataField[] fields, IReadOnlyList<string> skipped)
    {
        Path = path;
        _reader = reader;
        _fields = fields;
        Columns = fields.Select(f => f.Name).ToArray();
        Skipped = skipped;
        long rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++) rows += reader.OpenRowGroupReader(g).RowCount;
        RowCount = rows;
    }

    /// <summary>Opens a Parquet file and chooses its columns (its footer is read now, no data yet).</summary>
    /// <param name="columns">The columns to read, in this order; null reads every numeric column, in file order.</param>
    /// <exception cref="InvalidInputException">The file is missing, is not (complete) Parquet, a chosen column is missing
    /// or not numeric, or no column is numeric.</exception>
    public static ParquetColumnReader Open(string path, IReadOnlyList<string>? columns) => Open(path, columns, text: false);

    /// <summary>
    /// <see cref="Open(string, IReadOnlyList{string}?)"/>; with <paramref name="text"/>, flat string (UTF-8 BYTE_ARRAY)
    /// columns are chosen too — categorical features, read through <see cref="Coders"/> or <see cref="ReadStrings"/>.
    /// </summary>
    public static ParquetColumnReader Open(string path, IReadOnlyList<string>? columns, bool text)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new InvalidInputException($"cannot read {path}: it is a directory");
        if (!File.Exists(path)) throw new InvalidInputException($"file not found: {path}");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
        try
        {
            CheckMagic(path, stream);
            var reader = Run(path, async () => await ParquetReader.CreateAsync(stream, leaveStreamOpen: false));
            try
            {
                var (fields, skipped) = Choose(path, reader.Schema, columns, text);
                return new ParquetColumnReader(path, reader, fields, skipped);
            }
            catch
            {
                Close(reader);
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The chosen columns of row group <paramref name="group"/>, one array per column in <see cref="Columns"/>' order.
    /// </summary>
    /// <param name="firstRow">0-based index in the file of the group's first row, for error messages.</param>
    /// <exception cref="InvalidInputException">A value is null or not finite, or the group cannot be decoded.</exception>
    public double[][] ReadRowGroup(int group, long firstRow)
    {
        bool missingAsNaN = MissingAsNaN;
        var rowGroup = _reader.OpenRowGroupReader(group);
        int rows = checked((int)rowGroup.RowCount);
        var result = new double[_fields.Length][];
        for (int c = 0; c < _fields.Length; c++)
        {
            var field = _fields[c];
            var values = new double[rows];
            if (IsString(field))
            {
                result[c] = Coded(field, Run(Path, async () => await StringsAsync(rowGroup, field)), firstRow, missingAsNaN);
                continue;
            }
            Run(Path, async () =>
            {
                await ReadColumnAsync(rowGroup, field, values, firstRow, missingAsNaN);
                return true;
            });
            result[c] = values;
        }
        return result;
    }

    /// <summary>A string column's cells coded as numbers (<see cref="Coders"/>); refused without a coder.</summary>
    private double[] Coded(DataField field, string?[] cells, long firstRow, bool missingAsNaN)
    {
        if (Coders?.GetValueOrDefault(field.Name) is not { } code)
            throw new InvalidInputException($"{Path}: column '{field.Name}' holds string values, not numbers; ntk reads integer, float, double, decimal, timestamp, date and time columns");
        var values = new double[cells.Length];
        for (int r = 0; r < cells.Length; r++)
        {
            if (cells[r] is { } cell) values[r] = code(cell);
            else if (missingAsNaN) values[r] = double.NaN;
            else throw new InvalidInputException($"{Path}: row {firstRow + r + 1}, column '{field.Name}': a null (missing value); every cell must be present");
        }
        return values;
    }

    /// <summary>
    /// Read a null (or a NaN) as <see cref="double.NaN"/>, a missing value for <see cref="MissingValues"/> to count,
    /// drop or fill, instead of refusing it. Off by default: a reader whose caller does not handle missing values
    /// must never hand them on.
    /// </summary>
    public bool MissingAsNaN { get; set; }

    public void Dispose() => Close(_reader);

    /// <summary>Closes the reader and its file; the library only offers an asynchronous close.</summary>
    private static void Close(ParquetReader reader) => Task.Run(async () => await reader.DisposeAsync()).GetAwaiter().GetResult();

    /// <summary>
    /// Refuses a file that is not Parquet, or not all of one, before the library sees it: its messages about a
    /// foreign or cut-off file are about offsets and buffers, not about the file.
    /// </summary>
    private static void CheckMagic(string path, FileStream stream)
    {
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[4];
        long length = stream.Length;
        if (length < 12 || stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) != 4 || !head.SequenceEqual(Magic))
            throw new InvalidInputException($"{path}: not a Parquet file (it does not start with the bytes PAR1)");
        stream.Seek(-8, SeekOrigin.End);
        Span<byte> footerLength = stackalloc byte[4];
        if (stream.ReadAtLeast(footerLength, 4, throwOnEndOfStream: false) != 4 || stream.ReadAtLeast(tail, 4, throwOnEndOfStream: false) != 4
            || !tail.SequenceEqual(Magic))
            throw new InvalidInputException($"{path}: not a complete Parquet file (it does not end with the bytes PAR1): truncated or still being written?");
        // The footer's length must lie within the file: 0x7fffffff made the library allocate 2 GB and fail (issue 15, item 8).
        int footer = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(footerLength);
        if (footer <= 0 || footer > length - 12)
            throw new InvalidInputException($"{path}: not a readable Parquet file: its footer length {footer} does not fit in the file of {length} bytes (damaged?)");
        stream.Seek(0, SeekOrigin.Begin);
    }

    private static (DataField[] Fields, IReadOnlyList<string> Skipped) Choose(string path, ParquetSchema schema, IReadOnlyList<string>? columns, bool text)
    {
        DataField? Readable(Field field) => Numeric(field) ?? (text ? Text(field) : null);
        var all = schema.Fields.ToList();
        if (columns is null)
        {
            var numeric = new List<DataField>();
            var skipped = new List<string>();
            foreach (var field in all)
            {
                if (Readable(field) is { } data) numeric.Add(data);
                else skipped.Add($"{field.Name} ({Describe(field)})");
            }
            if (numeric.Count == 0)
                throw new InvalidInputException($"{path}: no numeric columns (columns: {string.Join(", ", skipped)})");
            return (numeric.ToArray(), skipped);
        }

        var names = all.Select(f => f.Name).ToArray();
        int[] chosen = ColumnSelection.Project(path, names, columns);
        var fields = new DataField[chosen.Length];
        for (int k = 0; k < chosen.Length; k++)
        {
            var field = all[chosen[k]];
            fields[k] = Readable(field) ?? throw new InvalidInputException(
                $"{path}: column '{field.Name}' holds {Describe(field)} values, not numbers; ntk reads integer, float, double, decimal, timestamp, date and time columns");
        }
        return (fields, Array.Empty<string>());
    }

    /// <summary>The field as a flat column of numbers, or null if it is anything else.</summary>
    private static DataField? Numeric(Field field) =>
        field is DataField { MaxRepetitionLevel: 0, IsArray: false } data && Converter(data.ClrType) is not null ? data : null;

    /// <summary>The field as a flat column of strings, or null if it is anything else.</summary>
    private static DataField? Text(Field field) =>
        field is DataField { MaxRepetitionLevel: 0, IsArray: false } data && IsString(data) ? data : null;

    private static bool IsString(DataField data) => data.ClrType == typeof(string) || data.ClrType == typeof(ReadOnlyMemory<char>);

    /// <summary>
    /// How the chosen string columns are read as numbers by <see cref="ReadRowGroup"/>: each present cell coded by its
    /// column's coder (a categorical feature's category index); a null is missing, as in a numeric column.
    /// </summary>
    public IReadOnlyDictionary<string, Func<string, double>>? Coders { get; set; }

    /// <summary>One string column of row group <paramref name="group"/>, nulls as null (a category census).</summary>
    public string?[] ReadStrings(int group, string column)
    {
        var field = _fields.FirstOrDefault(f => f.Name == column && IsString(f))
                    ?? throw new InvalidInputException($"{Path}: column '{column}' is not a string column");
        var rowGroup = _reader.OpenRowGroupReader(group);
        return Run(Path, async () => await StringsAsync(rowGroup, field));
    }

    /// <summary>A string column chunk's cells, a null where the definition level says so (as <see cref="Read{T}"/> finds them).</summary>
    internal static async Task<string?[]> StringsAsync(ParquetRowGroupReader group, DataField field)
    {
        var (raw, levels) = await RawAsync<ReadOnlyMemory<char>>(group, field);
        var cells = new string?[raw.Length];
        int next = 0;
        for (int r = 0; r < cells.Length; r++)
            cells[r] = levels is not null && levels[r] < field.MaxDefinitionLevel ? null : raw[next++].ToString();
        return cells;
    }

    /// <summary>
    /// A column chunk's non-null values, in order, and its definition levels (null for a required column; a level below
    /// the field's maximum is a null cell). Read raw into our own buffers, never through Parquet.Net's nullable reads,
    /// which judge a required column's nulls from a pooled buffer they never fill (Parquet.Net 6.1.0).
    /// </summary>
    internal static async Task<(T[] Raw, int[]? Levels)> RawAsync<T>(ParquetRowGroupReader group, DataField field) where T : struct
    {
        long count = group.GetMetadata(field)?.MetaData?.NumValues
            ?? throw new ParquetException($"column '{field.Name}' has no data in this row group");
        var raw = new T[count];
        int[]? levels = field.MaxDefinitionLevel > 0 ? new int[count] : null;
        // The cast matters: a bare null would become an empty Memory (through the array conversion), not "no levels".
        await group.ReadRawAsync(field, raw.AsMemory(), levels is null ? (Memory<int>?)null : levels.AsMemory(), null);
        return (raw, levels);
    }

    /// <summary>What a column holds, for messages: "string", "boolean", "list", …</summary>
    private static string Describe(Field field) => field switch
    {
        DataField { IsArray: true } or DataField { MaxRepetitionLevel: > 0 } => "list",
        // Parquet.Net reports text as ReadOnlyMemory<char> when reading, string when the schema is built by hand.
        DataField data when data.ClrType == typeof(string) || data.ClrType == typeof(ReadOnlyMemory<char>) => "string",
        DataField data when data.ClrType == typeof(bool) => "boolean",
        DataField data when data.ClrType == typeof(byte[]) || data.ClrType == typeof(ReadOnlyMemory<byte>) => "binary",
        DataField data => data.ClrType.Name,
        _ => field.SchemaType.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads one column chunk into <paramref name="values"/> through the reader for its CLR type.</summary>
    private static Task ReadColumnAsync(ParquetRowGroupReader group, DataField field, double[] values, long firstRow, bool missingAsNaN) =>
        Converter(field.ClrType)!(group, field, values, firstRow, missingAsNaN);

    private delegate Task ColumnRead(ParquetRowGroupReader group, DataField field, double[] values, long firstRow, bool missingAsNaN);

    private static ColumnRead? Converter(Type type) =>
        type == typeof(double) ? Read<double>(v => v)
        : type == typeof(float) ? Read<float>(v => v)
        : type == typeof(long) ? Read<long>(v => v)
        : type == typeof(int) ? Read<int>(v => v)
        : type == typeof(short) ? Read<short>(v => v)
        : type == typeof(sbyte) ? Read<sbyte>(v => v)
        : type == typeof(ulong) ? Read<ulong>(v => v)
        : type == typeof(uint) ? Read<uint>(v => v)
        : type == typeof(ushort) ? Read<ushort>(v => v)
        : type == typeof(byte) ? Read<byte>(v => v)
        : type == typeof(decimal) ? Read<decimal>(v => (double)v)
        : type == typeof(DateTime) ? Read<DateTime>(SecondsSinceEpoch)
        : type == typeof(DateTimeOffset) ? Read<DateTimeOffset>(v => SecondsSinceEpoch(v.UtcDateTime))
        : type == typeof(DateOnly) ? Read<DateOnly>(v => SecondsSinceEpoch(v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))
        : type == typeof(TimeSpan) ? Read<TimeSpan>(v => Seconds(v.Ticks))
        : type == typeof(TimeOnly) ? Read<TimeOnly>(v => Seconds(v.Ticks))
        : null;

    /// <summary>
    /// Seconds since 1970-01-01 00:00 UTC. A timestamp without a time zone (Kind Unspecified) is taken as UTC: it is
    /// read as written, never shifted by this machine's zone, so the same file gives the same numbers everywhere.
    /// </summary>
    private static double SecondsSinceEpoch(DateTime t) =>
        Seconds((t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).Ticks - DateTime.UnixEpoch.Ticks);

    /// <summary>Whole seconds and the fraction apart, so that whole seconds are exact doubles.</summary>
    private static double Seconds(long ticks) =>
        ticks / TimeSpan.TicksPerSecond + (double)(ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond;

    /// <summary>
    /// A column reader for values of type <typeparamref name="T"/>: the chunk's non-null values and, for an optional
    /// column, its definition levels (below the maximum means null), so that a null is found at its row.
    /// </summary>
    private static ColumnRead Read<T>(Func<T, double> convert) where T : struct => async (group, field, values, firstRow, missingAsNaN) =>
    {
        var (raw, levels) = await RawAsync<T>(group, field);
        if (raw.Length != values.Length)
            throw new ParquetException($"column '{field.Name}' has {raw.Length} values for {values.Length} rows in a row group");
        int next = 0, maxLevel = field.MaxDefinitionLevel;
        for (int r = 0; r < values.Length; r++)
        {
            if (levels is not null && levels[r] < maxLevel)
            {
                if (!missingAsNaN) throw new CellException(field.Name, firstRow + r, "a null (missing value)");
                values[r] = double.NaN;
                continue;
            }
            double v = convert(raw[next++]);
            if (missingAsNaN && double.IsNaN(v))
            {
                values[r] = double.NaN; // pandas writes a missing float as NaN
                continue;
            }
            if (!double.IsFinite(v)) throw new CellException(field.Name, firstRow + r, $"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number");
            values[r] = v;
        }
    };

    /// <summary>A bad value found while decoding, turned into the one-line message by <see cref="Run{T}"/>.</summary>
    private sealed class CellException(string column, long row, string problem) : Exception(problem)
    {
        public string Describe(string path) => $"{path}: row {row + 1}, column '{column}': {Message}; every cell must be a number";
    }

    /// <summary>
    /// Runs library code on the thread pool and waits for it; anything it throws is the file's fault (a corrupt or
    /// foreign file makes the library fail in many ways), so it becomes one line that names the file.
    /// </summary>
    private static T Run<T>(string path, Func<Task<T>> work)
    {
        try
        {
            return Task.Run(work).GetAwaiter().GetResult();
        }
        catch (CellException e)
        {
            throw new InvalidInputException(e.Describe(path), e);
        }
        catch (Exception e) when (e is not (InvalidInputException or OutOfMemoryException or OperationCanceledException))
        {
            string message = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
            throw new InvalidInputException($"{path}: cannot read it as Parquet: {message}", e);
        }
    }
}

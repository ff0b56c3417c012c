using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A numeric CSV file read into memory: a header of column names and a dense row-major block of finite doubles.
/// </summary>
/// <remarks>
/// <para>
/// The reader is deliberately strict. Every model in NtkCluster is fitted on plain numbers, so a cell that is not
/// one is a mistake in the user's data, and it is far cheaper to stop at load time with
/// <c>file:line:column: problem</c> than to let a NaN travel into a kernel matrix and come out as a useless model.
/// Hence: no empty cells, no NaN or infinities, no ragged rows, no blank lines between rows, no duplicate names.
/// </para>
/// <para>
/// The dialect is what R's <c>write.csv</c> and pandas' <c>to_csv</c> produce for numeric data: comma separators,
/// an optional double-quoted header (<c>"x1","x2"</c>) and optionally quoted cells (<c>"3.5"</c>), with doubled
/// quotes inside quotes. A quoted field cannot span lines; numeric data never needs it. Surrounding whitespace of a
/// field is ignored, CRLF and LF line ends are both accepted, and trailing blank lines are ignored because editors
/// add them.
/// </para>
/// <para>
/// The file is streamed line by line and numbers are parsed straight from spans of the line, so reading costs one
/// string per line rather than one per cell: a 3-million-row file reads in a few seconds. The parsing itself is
/// <see cref="CsvRowReader"/>'s, shared with the streaming <see cref="CsvRowBlockReader"/>, which reads files too
/// large to hold whole by the same rules.
/// </para>
/// </remarks>
public sealed class CsvTable : INumericTable
{
    /// <summary>Values are collected in chunks of this many doubles, so that growing never copies the data.</summary>
    private const int ChunkSize = 1 << 16;

    /// <summary>The path as the caller gave it; it starts every error message, so it should be what the user typed.</summary>
    public string Path { get; }

    /// <summary>Column names from the header, unquoted, in file order (or in the order chosen by <see cref="Select"/>).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows (the header is not counted). Always at least one.</summary>
    public int RowCount { get; }

    /// <summary>All cells, row-major: cell (row r, column c) is at <c>r * Columns.Count + c</c>.</summary>
    public double[] Values { get; }

    /// <summary>The 1-based line number of the first data row, to relate row indices back to lines in the file.</summary>
    public long FirstDataLine { get; }

    /// <summary>The field separator the file was read with (detected from the header unless chosen).</summary>
    public char Separator { get; private init; } = ',';

    /// <summary>Whether a number was written with a decimal comma (2,5 in a ';'-separated file).</summary>
    public bool SawDecimalComma { get; private init; }

    private CsvTable(string path, IReadOnlyList<string> columns, int rowCount, double[] values, long firstDataLine)
    {
        Path = path;
        Columns = columns;
        RowCount = rowCount;
        Values = values;
        FirstDataLine = firstDataLine;
    }

    /// <summary>The value in data row <paramref name="row"/> (0-based) and column <paramref name="column"/> (0-based).</summary>
    public double this[int row, int column] => Values[(long)row * Columns.Count + column];

    /// <summary>Reads and validates a whole numeric CSV file, or only the named columns of it (<see cref="Select"/>).</summary>
    /// <param name="columns">The columns to keep, in this order; only they are parsed, so the others may hold text.
    /// Null keeps (and checks) every column.</param>
    /// <exception cref="InvalidInputException">The file is missing, is a directory, or cannot be opened; a name is not a column.</exception>
    /// <exception cref="DataFormatException">The content breaks a rule; the message names line, column and problem.</exception>
    /// <param name="missingAsNaN">Read missing cells as NaN (<see cref="CsvRowReader.MissingAsNaN"/>) instead of refusing them.</param>
    /// <param name="separator">The field separator; null detects it from the header.</param>
    /// <param name="textColumns">Columns read as text, each cell coded to a number by its function
    /// (<see cref="CsvRowReader.CodeText"/>): a classifier's label column. A name that is not a column is ignored here
    /// (the column choice reports it).</param>
    public static CsvTable Read(string path, IReadOnlyList<string>? columns = null, bool missingAsNaN = false, char? separator = null,
        IReadOnlyDictionary<string, Func<string, double>>? textColumns = null)
    {
        using var reader = CsvRowReader.Open(path, separator);
        reader.MissingAsNaN = missingAsNaN;
        if (columns is not null) reader.ParseOnly(ColumnSelection.Project(path, reader.Columns, columns));
        foreach (var (name, code) in textColumns ?? new Dictionary<string, Func<string, double>>())
        {
            int index = Array.IndexOf(reader.Columns, name);
            if (index >= 0) reader.CodeText(index, code);
        }
        int width = reader.Columns.Length;
        // Chunks hold whole rows, so each row is parsed straight into its place.
        int chunkLength = Math.Max(1, ChunkSize / width) * width;
        var chunks = new List<double[]>();
        double[] chunk = new double[chunkLength];
        int chunkUsed = 0;
        long valueCount = 0;
        while (true)
        {
            if (chunkUsed == chunk.Length)
            {
                chunks.Add(chunk);
                chunk = new double[chunkLength];
                chunkUsed = 0;
            }
            if (!reader.ReadRow(chunk.AsSpan(chunkUsed, width))) break;
            chunkUsed += width;
            valueCount += width;
        }
        if (valueCount > Array.MaxLength) throw new DataFormatException(path, reader.LineNumber, 0, $"too many values ({valueCount}) for one table");

        var values = new double[valueCount];
        long offset = 0;
        foreach (double[] full in chunks)
        {
            Array.Copy(full, 0, values, offset, full.Length);
            offset += full.Length;
        }
        Array.Copy(chunk, 0, values, offset, chunkUsed);

        var table = new CsvTable(path, Array.AsReadOnly(reader.Columns), reader.RowCount, values, reader.FirstDataLine)
        {
            Separator = reader.Separator,
            SawDecimalComma = reader.SawDecimalComma,
        };
        return columns is null ? table : table.Select(columns);
    }

    /// <summary>
    /// The table restricted to the named columns, in the given order (what <c>--columns</c> chooses): the other
    /// columns are dropped, so they are neither features nor unknown columns to a model.
    /// </summary>
    /// <exception cref="InvalidInputException">A name is not a column, or is given twice.</exception>
    public CsvTable Select(IReadOnlyList<string> names)
    {
        int[] chosen = ColumnSelection.Project(Path, Columns, names);
        int width = Columns.Count, selected = chosen.Length;
        var values = new double[(long)RowCount * selected];
        for (long r = 0; r < RowCount; r++)
        {
            for (int k = 0; k < selected; k++) values[r * selected + k] = Values[r * width + chosen[k]];
        }
        return new CsvTable(Path, Array.AsReadOnly(chosen.Select(c => Columns[c]).ToArray()), RowCount, values, FirstDataLine)
        {
            Separator = Separator,
            SawDecimalComma = SawDecimalComma,
        };
    }
}

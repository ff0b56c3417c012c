using System.Globalization;
using System.Text;
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
/// string per line rather than one per cell: a 3-million-row file reads in a few seconds.
/// </para>
/// </remarks>
public sealed class CsvTable
{
    /// <summary>Values are collected in chunks of this many doubles, so that growing never copies the data.</summary>
    private const int ChunkSize = 1 << 16;

    /// <summary>Longest cell text quoted back in an error message; longer text is cut, so the message stays one line.</summary>
    private const int MaxQuotedCell = 40;

    /// <summary>The path as the caller gave it; it starts every error message, so it should be what the user typed.</summary>
    public string Path { get; }

    /// <summary>Column names from the header, unquoted, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of data rows (the header is not counted). Always at least one.</summary>
    public int RowCount { get; }

    /// <summary>All cells, row-major: cell (row r, column c) is at <c>r * Columns.Count + c</c>.</summary>
    public double[] Values { get; }

    /// <summary>The 1-based line number of the first data row, to relate row indices back to lines in the file.</summary>
    public long FirstDataLine { get; }

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

    /// <summary>Reads and validates a whole numeric CSV file.</summary>
    /// <exception cref="InvalidInputException">The file is missing, is a directory, or cannot be opened.</exception>
    /// <exception cref="DataFormatException">The content breaks a rule; the message names line, column and problem.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new InvalidInputException($"cannot read {path}: it is a directory");
        if (!File.Exists(path)) throw new InvalidInputException($"file not found: {path}");

        StreamReader reader;
        try
        {
            reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true,
                new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 1 << 16 });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }

        using (reader)
        {
            try
            {
                return Parse(path, reader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
            }
        }
    }

    private static CsvTable Parse(string path, TextReader reader)
    {
        var fields = new List<Field>();
        string[]? columns = null;
        long headerLine = 0;
        long firstDataLine = 0;
        long lineNumber = 0;
        long firstPendingBlank = 0; // a blank line is only an error if something follows it

        var chunks = new List<double[]>();
        double[] chunk = new double[ChunkSize];
        int chunkUsed = 0;
        long valueCount = 0;
        int rowCount = 0;

        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.AsSpan().IsWhiteSpace())
            {
                if (firstPendingBlank == 0) firstPendingBlank = lineNumber;
                continue;
            }
            if (firstPendingBlank != 0)
            {
                string where = columns == null ? "before the header" : "between rows";
                throw new DataFormatException(path, firstPendingBlank, 0, $"empty line {where}");
            }

            Split(path, lineNumber, line, fields);

            if (columns == null)
            {
                columns = ReadHeader(path, lineNumber, line, fields);
                headerLine = lineNumber;
                continue;
            }

            if (fields.Count != columns.Length)
            {
                // Point at the first field that is missing, or the first one too many.
                int column = Math.Min(fields.Count, columns.Length) + 1;
                throw new DataFormatException(path, lineNumber, column,
                    $"row has {fields.Count} field{(fields.Count == 1 ? "" : "s")}, header has {columns.Length}");
            }

            if (rowCount == int.MaxValue) throw new DataFormatException(path, lineNumber, 0, "too many rows");
            if (firstDataLine == 0) firstDataLine = lineNumber;

            ReadOnlySpan<char> text = line.AsSpan();
            for (int c = 0; c < fields.Count; c++)
            {
                if (chunkUsed == chunk.Length)
                {
                    chunks.Add(chunk);
                    chunk = new double[ChunkSize];
                    chunkUsed = 0;
                }
                chunk[chunkUsed++] = ParseCell(path, lineNumber, c, columns[c], text, fields[c]);
            }
            valueCount += fields.Count;
            rowCount++;
        }

        if (columns == null) throw new DataFormatException(path, 1, 0, "the file is empty; expected a header row of column names");
        if (rowCount == 0) throw new DataFormatException(path, headerLine, 0, "the file has a header but no data rows");
        if (valueCount > Array.MaxLength) throw new DataFormatException(path, lineNumber, 0, $"too many values ({valueCount}) for one table");

        var values = new double[valueCount];
        long offset = 0;
        foreach (double[] full in chunks)
        {
            Array.Copy(full, 0, values, offset, full.Length);
            offset += full.Length;
        }
        Array.Copy(chunk, 0, values, offset, chunkUsed);

        return new CsvTable(path, Array.AsReadOnly(columns), rowCount, values, firstDataLine);
    }

    private static string[] ReadHeader(string path, long lineNumber, string line, List<Field> fields)
    {
        var names = new string[fields.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < fields.Count; c++)
        {
            string name = fields[c].Text(line);
            if (name.Length == 0) throw new DataFormatException(path, lineNumber, c + 1, "empty column name in the header");
            if (seen.TryGetValue(name, out int first))
                throw new DataFormatException(path, lineNumber, c + 1, $"duplicate column name '{name}' (also column {first + 1})");
            seen.Add(name, c);
            names[c] = name;
        }
        return names;
    }

    private static double ParseCell(string path, long lineNumber, int c, string columnName, ReadOnlySpan<char> line, Field field)
    {
        ReadOnlySpan<char> cell = line.Slice(field.Start, field.Length).Trim();
        if (cell.IsEmpty) throw new DataFormatException(path, lineNumber, c + 1, $"column '{columnName}': empty cell");

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value)) return value;
            // NaN, Infinity, or a literal such as 1e999 that overflows.
            throw new DataFormatException(path, lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a finite number");
        }
        // Spellings from other tools ("nan", "inf", "-Inf" from R) are not numbers to .NET, but are the same mistake.
        if (LooksNonFinite(cell))
            throw new DataFormatException(path, lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a finite number");
        throw new DataFormatException(path, lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a number");
    }

    private static bool LooksNonFinite(ReadOnlySpan<char> cell)
    {
        if (cell.Length > 0 && (cell[0] == '+' || cell[0] == '-')) cell = cell[1..];
        return cell.Equals("nan", StringComparison.OrdinalIgnoreCase)
            || cell.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || cell.Equals("infinity", StringComparison.OrdinalIgnoreCase);
    }

    private static string Quote(ReadOnlySpan<char> cell) =>
        cell.Length <= MaxQuotedCell ? cell.ToString() : string.Concat(cell[..MaxQuotedCell], "...");

    /// <summary>Where one field's content lies in its line: inside the quotes if quoted, else the raw (untrimmed) text.</summary>
    private readonly record struct Field(int Start, int Length, bool HasDoubledQuotes)
    {
        public string Text(string line)
        {
            string text = line.AsSpan(Start, Length).Trim().ToString();
            return HasDoubledQuotes ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
        }
    }

    /// <summary>
    /// Splits one line at commas that are not inside double quotes. Each field is recorded as the span inside its
    /// quotes, or its raw text if unquoted; callers trim the span, so <c> "a" </c> and <c>" a "</c> both mean <c>a</c>.
    /// </summary>
    private static void Split(string path, long lineNumber, string line, List<Field> fields)
    {
        fields.Clear();
        ReadOnlySpan<char> text = line.AsSpan();
        int pos = 0;
        while (true)
        {
            int column = fields.Count + 1;
            int contentStart = pos;
            while (contentStart < text.Length && char.IsWhiteSpace(text[contentStart])) contentStart++;

            if (contentStart < text.Length && text[contentStart] == '"')
            {
                int start = contentStart + 1;
                int i = start;
                bool doubled = false;
                while (true)
                {
                    int quote = text[i..].IndexOf('"');
                    if (quote < 0) throw new DataFormatException(path, lineNumber, column, "quoted field has no closing quote");
                    i += quote;
                    if (i + 1 < text.Length && text[i + 1] == '"') { doubled = true; i += 2; continue; }
                    break;
                }
                fields.Add(new Field(start, i - start, doubled));
                int after = i + 1;
                while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
                if (after == text.Length) return;
                if (text[after] != ',') throw new DataFormatException(path, lineNumber, column, "unexpected text after a closing quote");
                pos = after + 1;
            }
            else
            {
                int comma = text[pos..].IndexOf(',');
                int end = comma < 0 ? text.Length : pos + comma;
                if (text[pos..end].Contains('"'))
                    throw new DataFormatException(path, lineNumber, column, "stray double quote inside an unquoted field");
                fields.Add(new Field(pos, end - pos, false));
                if (comma < 0) return;
                pos = end + 1;
            }
        }
    }
}

using System.Globalization;
using System.Text;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Reads a numeric CSV file one data row at a time, with every rule of <see cref="CsvTable"/> (header, blank lines,
/// ragged rows, quoting, finite numbers) and its one-line <c>file:line:column: problem</c> errors.
/// </summary>
/// <remarks>
/// This is the single parser behind both the in-memory <see cref="CsvTable"/> and the streaming
/// <see cref="CsvRowBlockReader"/>: keeping one implementation is what guarantees that a file accepted (or refused,
/// with which message) by one is accepted (or refused, with the same message) by the other. It holds one line and
/// its field positions at a time, so its memory does not depend on the file's length.
/// </remarks>
internal sealed class CsvRowReader : IDisposable
{
    /// <summary>Longest cell text quoted back in an error message; longer text is cut, so the message stays one line.</summary>
    private const int MaxQuotedCell = 40;

    private readonly TextReader _reader;
    private readonly List<Field> _fields = new();
    private long _lineNumber;
    private long _firstPendingBlank; // a blank line is only an error if something follows it
    private bool[]? _parsed; // null: every column is parsed

    /// <summary>The path as the caller gave it; it starts every error message, so it should be what the user typed.</summary>
    public string Path { get; }

    /// <summary>Column names from the header, unquoted, in file order.</summary>
    public string[] Columns { get; }

    /// <summary>The 1-based line number of the header.</summary>
    public long HeaderLine { get; }

    /// <summary>The 1-based line number of the first data row (0 until one is read).</summary>
    public long FirstDataLine { get; private set; }

    /// <summary>The 1-based number of the last line read (the row last returned, or the end of the file).</summary>
    public long LineNumber => _lineNumber;

    /// <summary>Data rows read so far.</summary>
    public int RowCount { get; private set; }

    private CsvRowReader(string path, TextReader reader)
    {
        Path = path;
        _reader = reader;
        string? line = NextLine();
        if (line == null) throw new DataFormatException(path, 1, 0, "the file is empty; expected a header row of column names");
        Split(line);
        Columns = ReadHeader(line);
        HeaderLine = _lineNumber;
    }

    /// <summary>Opens a file and reads its header.</summary>
    /// <exception cref="InvalidInputException">The file is missing, is a directory, or cannot be opened.</exception>
    /// <exception cref="DataFormatException">The header breaks a rule, or the file is empty.</exception>
    public static CsvRowReader Open(string path)
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
        try
        {
            return new CsvRowReader(path, reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Parses the next data row into <paramref name="values"/> (one per column, in file order). Returns false at the
    /// end of the file.
    /// </summary>
    /// <exception cref="DataFormatException">The row breaks a rule, or the file has no data rows at all.</exception>
    public bool ReadRow(Span<double> values)
    {
        if (values.Length != Columns.Length) throw new ArgumentException($"{Columns.Length} values per row, got room for {values.Length}", nameof(values));
        string? line = NextLine();
        if (line == null)
        {
            if (RowCount == 0) throw new DataFormatException(Path, HeaderLine, 0, "the file has a header but no data rows");
            return false;
        }
        Split(line);
        if (_fields.Count != Columns.Length)
        {
            // Point at the first field that is missing, or the first one too many.
            int column = Math.Min(_fields.Count, Columns.Length) + 1;
            throw new DataFormatException(Path, _lineNumber, column,
                $"row has {_fields.Count} field{(_fields.Count == 1 ? "" : "s")}, header has {Columns.Length}");
        }
        if (RowCount == int.MaxValue) throw new DataFormatException(Path, _lineNumber, 0, "too many rows");
        if (FirstDataLine == 0) FirstDataLine = _lineNumber;

        ReadOnlySpan<char> text = line.AsSpan();
        for (int c = 0; c < _fields.Count; c++) values[c] = _parsed is null || _parsed[c] ? ParseCell(c, text, _fields[c]) : 0;
        RowCount++;
        return true;
    }

    /// <summary>
    /// Parse only these columns (0-based, file order) from now on; the others are left as 0 and never checked, so a
    /// text column left out by <c>--columns</c> does not stop the file. Rows must still have every field.
    /// </summary>
    public void ParseOnly(IEnumerable<int> columns)
    {
        _parsed = new bool[Columns.Length];
        foreach (int c in columns) _parsed[c] = true;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The next non-blank line, or null at the end; a blank line followed by more text is an error.</summary>
    private string? NextLine()
    {
        while (true)
        {
            string? line;
            try
            {
                line = _reader.ReadLine();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"cannot read {Path}: {e.Message}", e);
            }
            if (line == null) return null;
            _lineNumber++;
            if (line.AsSpan().IsWhiteSpace())
            {
                if (_firstPendingBlank == 0) _firstPendingBlank = _lineNumber;
                continue;
            }
            if (_firstPendingBlank != 0)
            {
                string where = HeaderLine == 0 ? "before the header" : "between rows";
                throw new DataFormatException(Path, _firstPendingBlank, 0, $"empty line {where}");
            }
            return line;
        }
    }

    private string[] ReadHeader(string line)
    {
        // A semicolon- or tab-separated file reads as one column whose name holds the separators: say so at once,
        // rather than as a baffling "'1;2;3' is not a number" on the next line.
        if (_fields.Count == 1 && (line.Contains(';') || line.Contains('\t')))
            throw new DataFormatException(Path, _lineNumber, 1,
                $"the header has one column, with {(line.Contains(';') ? "';'" : "tabs")} in its name: columns must be separated by commas");
        var names = new string[_fields.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < _fields.Count; c++)
        {
            string name = _fields[c].Text(line);
            if (name.Length == 0) throw new DataFormatException(Path, _lineNumber, c + 1, "empty column name in the header");
            if (seen.TryGetValue(name, out int first))
                throw new DataFormatException(Path, _lineNumber, c + 1, $"duplicate column name '{name}' (also column {first + 1})");
            seen.Add(name, c);
            names[c] = name;
        }
        return names;
    }

    private double ParseCell(int c, ReadOnlySpan<char> line, Field field)
    {
        ReadOnlySpan<char> cell = line.Slice(field.Start, field.Length).Trim();
        string columnName = Columns[c];
        if (cell.IsEmpty) throw new DataFormatException(Path, _lineNumber, c + 1, $"column '{columnName}': empty cell{MissingHint}");

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value)) return value;
            // NaN, Infinity, or a literal such as 1e999 that overflows.
            throw new DataFormatException(Path, _lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a finite number");
        }
        // Spellings from other tools ("nan", "inf", "-Inf" from R) are not numbers to .NET, but are the same mistake.
        if (LooksNonFinite(cell))
            throw new DataFormatException(Path, _lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a finite number");
        throw new DataFormatException(Path, _lineNumber, c + 1, $"column '{columnName}': '{Quote(cell)}' is not a number{Hint(cell)}");
    }

    /// <summary>Missing values are the commonest reason a real file is refused; say what to do, since ntk will not guess a value.</summary>
    private const string MissingHint = " (a missing value: every cell must hold a number; fill it in or drop the row)";

    /// <summary>
    /// Why a cell that is not a number probably is not, for the three causes newcomers meet: a missing-value marker
    /// (R's NA, pandas' empty/None, SQL NULL, '?'), a decimal comma, and a text column (a name, a category).
    /// </summary>
    private static string Hint(ReadOnlySpan<char> cell)
    {
        foreach (var marker in MissingMarkers)
            if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return MissingHint;
        if (cell.Contains(',') && cell.ContainsAnyInRange('0', '9') && !cell.ContainsAnyExcept(NumberWithCommas))
            return " (a decimal comma? numbers are written with a point, as 2.5)";
        foreach (char ch in cell)
            if (char.IsLetter(ch)) return " (a text column? leave it out by listing the columns to use with --columns A,B,...)";
        return "";
    }

    private static readonly string[] MissingMarkers = ["NA", "N/A", "null", "None", "?", "-", "missing", "#N/A"];
    private static readonly System.Buffers.SearchValues<char> NumberWithCommas = System.Buffers.SearchValues.Create("0123456789,.+-");

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
    private void Split(string line)
    {
        _fields.Clear();
        ReadOnlySpan<char> text = line.AsSpan();
        int pos = 0;
        while (true)
        {
            int column = _fields.Count + 1;
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
                    if (quote < 0) throw new DataFormatException(Path, _lineNumber, column, "quoted field has no closing quote");
                    i += quote;
                    if (i + 1 < text.Length && text[i + 1] == '"') { doubled = true; i += 2; continue; }
                    break;
                }
                _fields.Add(new Field(start, i - start, doubled));
                int after = i + 1;
                while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
                if (after == text.Length) return;
                if (text[after] != ',') throw new DataFormatException(Path, _lineNumber, column, "unexpected text after a closing quote");
                pos = after + 1;
            }
            else
            {
                int comma = text[pos..].IndexOf(',');
                int end = comma < 0 ? text.Length : pos + comma;
                if (text[pos..end].Contains('"'))
                    throw new DataFormatException(Path, _lineNumber, column, "stray double quote inside an unquoted field");
                _fields.Add(new Field(pos, end - pos, false));
                if (comma < 0) return;
                pos = end + 1;
            }
        }
    }
}

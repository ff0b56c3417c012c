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
/// its field positions at a time, so its memory does not depend on the file's length. A large file's partitions
/// (<see cref="OpenRange"/>) are read by this same parser, one byte range each.
/// </remarks>
internal sealed class CsvRowReader : IDisposable
{
    /// <summary>Longest cell text quoted back in an error message; longer text is cut, so the message stays one line.</summary>
    private const int MaxQuotedCell = 40;

    private BoundedLineReader _reader;
    private readonly List<Field> _fields = new();
    private long _lineNumber; // lines read by this reader: of the file, or of its byte range (see RealLine)
    private long _firstPendingBlank; // a blank line is only an error if something follows it
    private bool[]? _parsed; // null: every column is parsed
    private bool[]? _kept; // columns read as text (KeepText), null: none
    private Func<string, double>?[]? _textCoders; // null: every parsed column is a number
    private readonly char _separator;
    private bool _rowNames; // the first column has no name (R's row names): left out of every row

    // Byte-range mode (OpenRange): the lines before the range, counted only when a line number is needed (an error),
    // and a reader of the rest of the file, opened only to judge blank lines at the end of the range.
    private readonly Func<long>? _linesBefore;
    private long _lineBase = -1;
    private Func<TextReader>? _continuation;
    private readonly bool _mayBeEmpty;
    private long _firstDataLine;

    /// <summary>The path as the caller gave it; it starts every error message, so it should be what the user typed.</summary>
    public string Path { get; }

    /// <summary>Column names from the header, unquoted, in file order.</summary>
    public string[] Columns { get; }

    /// <summary>The 1-based line number of the header.</summary>
    public long HeaderLine { get; }

    /// <summary>The 1-based line number in the file of the first data row (0 until one is read).</summary>
    public long FirstDataLine => _firstDataLine == 0 ? 0 : RealLine(_firstDataLine);

    /// <summary>The 1-based number in the file of the last line read (the row last returned, or the end of the file).</summary>
    public long LineNumber => RealLine(_lineNumber);

    /// <summary>Data rows read so far.</summary>
    public int RowCount { get; private set; }

    /// <summary>The field separator: ',' unless the header shows ';' or tabs instead (<see cref="DetectSeparator"/>) or
    /// the caller chose one.</summary>
    public char Separator => _separator;

    /// <summary>
    /// Read an empty cell or a missing-value marker (<see cref="MissingValues.IsMarker"/>: NA, NaN, null, ?, …) as
    /// <see cref="double.NaN"/>, for <see cref="MissingValues"/> to count, drop or fill, instead of refusing it. Off by
    /// default: a reader whose caller does not handle missing values must never hand them on.
    /// </summary>
    public bool MissingAsNaN { get; set; }

    /// <summary>
    /// Whether the file's first column has an empty name and was left out: R's <c>write.csv</c> writes the row names
    /// (1 … n, or a data frame's names) as a first column headed <c>""</c>. They are no feature, and no option could name
    /// that column to leave it out, so every reader skips it; <see cref="Columns"/> and the rows hold the other columns.
    /// </summary>
    public bool RowNamesLeftOut => _rowNames;

    /// <summary>Whether a number with a decimal comma (2,5 in a ';'-separated file, as R's write.csv2 writes) was read.</summary>
    public bool SawDecimalComma { get; private set; }

    private CsvRowReader(string path, TextReader reader, Func<TextReader>? continuation = null, char? separator = null)
    {
        Path = path;
        _reader = new BoundedLineReader(reader);
        _continuation = continuation;
        string? line = NextLine();
        if (line == null) throw new DataFormatException(path, 1, 0, "the file is empty; expected a header row of column names");
        _separator = separator ?? DetectSeparator(line);
        Split(line);
        Columns = ReadHeader(line);
        HeaderLine = _lineNumber;
    }

    /// <summary>A reader of a byte range after the header: the header was read from the start of the file.</summary>
    private CsvRowReader(string path, TextReader reader, string[] columns, long headerLine, Func<long> linesBefore,
        Func<TextReader>? continuation, char separator, bool rowNames)
    {
        Path = path;
        _separator = separator;
        _rowNames = rowNames;
        _reader = new BoundedLineReader(reader);
        Columns = columns;
        HeaderLine = headerLine;
        _linesBefore = linesBefore;
        _continuation = continuation;
        _mayBeEmpty = true;
    }

    /// <summary>Opens a file and reads its header.</summary>
    /// <exception cref="InvalidInputException">The file is missing, is a directory, or cannot be opened.</exception>
    /// <exception cref="DataFormatException">The header breaks a rule, or the file is empty.</exception>
    /// <param name="separator">The field separator; null detects it from the header (<see cref="DetectSeparator"/>).</param>
    public static CsvRowReader Open(string path, char? separator = null)
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
            return new CsvRowReader(path, reader, separator: separator);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the lines that start in bytes [<paramref name="start"/>, <paramref name="end"/>) of a file, as one
    /// partition of a large CSV file that is split the way Hadoop and Spark split text. The first range (start 0)
    /// holds the header and reads it; a later range takes its columns from the header at the start of the file, and
    /// parses its own lines only. Every rule and message is the whole-file reader's, with the real line numbers of
    /// the file, and blank lines at the end of a range are an error exactly when a non-blank line follows them,
    /// in this range or a later one.
    /// </summary>
    /// <param name="start">0, or the offset of a line start (the byte before it is a line feed), after the header.</param>
    /// <param name="end">The offset of a later line start, or the file's length.</param>
    /// <param name="linesBefore">The number of lines before <paramref name="start"/>; called only when a line number
    /// is needed (an error message), since counting them reads the file up to the range.</param>
    /// <remarks>A later range starts with UTF-8 text of its own (no byte order mark is looked for), so only files in
    /// UTF-8 (or ASCII) may be cut into more than one range. A later range may hold no data rows without an error.</remarks>
    /// <exception cref="InvalidInputException">The file is missing or cannot be opened.</exception>
    /// <exception cref="DataFormatException">The header breaks a rule, or the file is empty.</exception>
    /// <param name="separator">The field separator; null detects it from the file's header.</param>
    public static CsvRowReader OpenRange(string path, long start, long end, Func<long> linesBefore, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(linesBefore);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        if (Directory.Exists(path)) throw new InvalidInputException($"cannot read {path}: it is a directory");
        if (!File.Exists(path)) throw new InvalidInputException($"file not found: {path}");

        // Read only when blank lines end the range: do they come before more text (an error) or the end of the file?
        TextReader Rest() => OpenText(path, end, long.MaxValue, detectBom: false);
        if (start == 0)
        {
            var first = OpenText(path, 0, end, detectBom: true);
            try
            {
                return new CsvRowReader(path, first, Rest, separator);
            }
            catch
            {
                first.Dispose();
                throw;
            }
        }

        string[] columns;
        long headerLine;
        char chosen;
        bool rowNames;
        using (var head = Open(path, separator))
        {
            columns = head.Columns;
            headerLine = head.HeaderLine;
            chosen = head.Separator;
            rowNames = head.RowNamesLeftOut;
        }
        return new CsvRowReader(path, OpenText(path, start, end, detectBom: false), columns, headerLine, linesBefore, Rest, chosen, rowNames);
    }

    /// <summary>UTF-8 text of bytes [start, end) of a file (end may lie past its end); a byte order mark is honoured only at the start.</summary>
    private static StreamReader OpenText(string path, long start, long end, bool detectBom)
    {
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            file.Seek(start, SeekOrigin.Begin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
        // UTF8Encoding(false) has no preamble, so a later range never drops a leading U+FEFF the whole-file reader keeps.
        Encoding encoding = detectBom ? Encoding.UTF8 : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        return new StreamReader(new ByteRangeStream(file, end - start), encoding, detectBom, 1 << 16, leaveOpen: false);
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
            if (RowCount == 0 && !_mayBeEmpty) throw new DataFormatException(Path, HeaderLine, 0, "the file has a header but no data rows");
            return false;
        }
        Split(line);
        if (_fields.Count != Columns.Length + Skipped)
        {
            // Point at the first field that is missing, or the first one too many.
            int column = Math.Min(_fields.Count, Columns.Length + Skipped) + 1;
            throw new DataFormatException(Path, RealLine(_lineNumber), column,
                $"row has {_fields.Count} field{(_fields.Count == 1 ? "" : "s")}, header has {Columns.Length + Skipped}");
        }
        if (_rowNames) _fields.RemoveAt(0);
        if (RowCount == int.MaxValue) throw new DataFormatException(Path, RealLine(_lineNumber), 0, "too many rows");
        if (_firstDataLine == 0) _firstDataLine = _lineNumber;

        ReadOnlySpan<char> text = line.AsSpan();
        for (int c = 0; c < _fields.Count; c++)
        {
            if (_kept is not null && _kept[c])
            {
                values[c] = 0;
                string cell = _fields[c].Text(line);
                Texts[c] = cell.Length == 0 || MissingValues.IsMarker(cell) ? null : cell;
            }
            else values[c] = _parsed is null || _parsed[c] ? ParseCell(c, text, _fields[c]) : 0;
        }
        RowCount++;
        return true;
    }

    /// <summary>
    /// The next data row's cells as text — unquoted and trimmed, as <see cref="ReadRow"/> sees them, but not parsed —
    /// for columns passed through verbatim (<c>ntk predict --keep</c>). Returns false at the end of the file.
    /// </summary>
    /// <exception cref="DataFormatException">The row has too few or too many fields.</exception>
    public bool ReadTexts(string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Length) throw new ArgumentException($"{Columns.Length} cells per row, got room for {cells.Length}", nameof(cells));
        string? line = NextLine();
        if (line == null) return false;
        Split(line);
        if (_fields.Count != Columns.Length + Skipped)
            throw new DataFormatException(Path, RealLine(_lineNumber), Math.Min(_fields.Count, Columns.Length + Skipped) + 1,
                $"row has {_fields.Count} field{(_fields.Count == 1 ? "" : "s")}, header has {Columns.Length + Skipped}");
        if (_rowNames) _fields.RemoveAt(0);
        for (int c = 0; c < _fields.Count; c++) cells[c] = _fields[c].Text(line);
        RowCount++;
        return true;
    }

    /// <summary>
    /// Parse only these columns (0-based, file order) from now on; the others are left as 0 and never checked, so a
    /// text column left out by <c>--columns</c> does not stop the file. Rows must still have every field.
    /// </summary>
    /// <summary>
    /// The columns' roles, for the hint after "is not a number": text in a training file's feature column can be read as
    /// a categorical feature (<c>--categorical</c>), text in a target only as a classifier's labels. Unmarked columns (a
    /// test file's, rows to predict, whose types the model fixed) keep the general hint.
    /// </summary>
    internal void MarkRoles(IEnumerable<int> categoricalFeatures, IEnumerable<int> targets)
    {
        _categoricalFeature = new bool[Columns.Length];
        foreach (int c in categoricalFeatures) _categoricalFeature[c] = true;
        _target = new bool[Columns.Length];
        foreach (int c in targets) _target[c] = true;
    }

    private bool[]? _categoricalFeature;
    private bool[]? _target;

    public void ParseOnly(IEnumerable<int> columns)
    {
        _parsed = new bool[Columns.Length];
        foreach (int c in columns) _parsed[c] = true;
    }

    /// <summary>
    /// Read these columns (0-based, file order) as text from now on: <see cref="ReadRow"/> leaves 0 in their values and
    /// puts each cell's trimmed, unquoted text in <see cref="Texts"/> (null for an empty cell or a missing-value marker)
    /// — the cells of a categorical feature (<see cref="CategoricalTable"/>).
    /// </summary>
    public void KeepText(IEnumerable<int> columns)
    {
        _kept = new bool[Columns.Length];
        foreach (int c in columns) _kept[c] = true;
        Texts = new string?[Columns.Length];
    }

    /// <summary>The text of the last row's <see cref="KeepText"/> columns, by column (null elsewhere and for missing cells).</summary>
    public string?[] Texts { get; private set; } = [];

    /// <summary>
    /// Reads column <paramref name="column"/> (0-based, file order) as text: each non-missing cell, unquoted, is handed
    /// to <paramref name="code"/>, whose number takes the cell's place (a class label's code, say). Missing cells are
    /// read as the other cells are (NaN with <see cref="MissingAsNaN"/>, else refused).
    /// </summary>
    public void CodeText(int column, Func<string, double> code)
    {
        ArgumentNullException.ThrowIfNull(code);
        _textCoders ??= new Func<string, double>?[Columns.Length];
        _textCoders[column] = code;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The line number in the file of this reader's line <paramref name="local"/>.</summary>
    private long RealLine(long local)
    {
        if (_linesBefore is null) return local;
        if (_lineBase < 0) _lineBase = _linesBefore();
        return _lineBase + local;
    }

    /// <summary>The next non-blank line, or null at the end; a blank line followed by more text is an error.</summary>
    private string? NextLine()
    {
        while (true)
        {
            string? line = ReadPhysicalLine();
            if (line == null)
            {
                // The end of a byte range: only blank lines left pending make the rest of the file matter.
                if (_firstPendingBlank == 0 || _continuation is null) return null;
                _reader.Dispose();
                _reader = new BoundedLineReader(_continuation());
                _continuation = null;
                continue;
            }
            _lineNumber++;
            if (line.AsSpan().IsWhiteSpace())
            {
                if (_firstPendingBlank == 0) _firstPendingBlank = _lineNumber;
                continue;
            }
            if (_firstPendingBlank != 0)
            {
                string where = HeaderLine == 0 ? "before the header" : "between rows";
                throw new DataFormatException(Path, RealLine(_firstPendingBlank), 0, $"empty line {where}");
            }
            return CompleteRecord(line);
        }
    }

    /// <summary>
    /// The separator a header line shows, counting only characters outside double quotes (so R's quoted names,
    /// <c>"a";"b"</c>, count): ',' if it has a comma, else ';' if it has one (R's write.csv2), else a tab if it has one
    /// (write.table(sep="\t"), TSV), else ',' (a file of one column).
    /// </summary>
    public static char DetectSeparator(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        bool quoted = false, semicolon = false, tab = false;
        foreach (char ch in header)
        {
            if (ch == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (ch == ',') return ',';
            else if (ch == ';') semicolon = true;
            else if (ch == '\t') tab = true;
        }
        return semicolon ? ';' : tab ? '\t' : ',';
    }

    /// <summary>The separator for messages: "','", "';'", "tab".</summary>
    public static string SeparatorName(char separator) => separator == '\t' ? "tab" : $"'{separator}'";

    /// <summary>One line of the text as it is, or null at its end; a line past the length limit is an error.</summary>
    private string? ReadPhysicalLine()
    {
        try
        {
            return _reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {Path}: {e.Message}", e);
        }
        catch (LineTooLongException e)
        {
            throw new DataFormatException(Path, RealLine(_lineNumber + 1), 0,
                $"line {RealLine(_lineNumber + 1)} is longer than {e.Limit >> 20} MiB: no line break, or a field far too large (not a CSV file of rows?)");
        }
    }

    /// <summary>
    /// A record whose quoted field holds line breaks goes on over the next lines (RFC 4180): they are joined, with
    /// <c>\n</c>, until its quote closes (issue 15, item 10). A quote that never closes is left for
    /// <see cref="Split"/> to report. Line numbers in messages are then those of the record's last line.
    /// </summary>
    private string CompleteRecord(string line)
    {
        if (!HasOpenQuote(line, QuoteSeparator)) return line;
        var record = new StringBuilder(line);
        do
        {
            string? next = ReadPhysicalLine();
            if (next == null) break;
            _lineNumber++;
            if ((long)record.Length + 1 + next.Length > BoundedLineReader.DefaultMaxLineChars)
                throw new DataFormatException(Path, RealLine(_lineNumber), 0,
                    $"the record ending on line {RealLine(_lineNumber)} is longer than {BoundedLineReader.DefaultMaxLineChars >> 20} MiB (a quoted field that never closes?)");
            record.Append('\n').Append(next);
        }
        while (HasOpenQuote(record, QuoteSeparator));
        return record.ToString();
    }

    /// <summary>Whether a quoted field is still open at the end of <paramref name="text"/>, by <see cref="Split"/>'s rules.</summary>
    private static bool HasOpenQuote(string text, char separator) => text.Contains('"') && HasOpenQuote(new StringBuilder(text), separator);

    /// <summary>The separator fields are cut at; ',' while the header (which decides it) is still being read.</summary>
    private char QuoteSeparator => _separator == '\0' ? ',' : _separator;

    private static bool HasOpenQuote(StringBuilder record, char separator)
    {
        int pos = 0, n = record.Length;
        while (pos < n)
        {
            int start = pos;
            while (start < n && record[start] != separator && char.IsWhiteSpace(record[start])) start++;
            if (start < n && record[start] == '"')
            {
                int i = start + 1;
                while (true)
                {
                    while (i < n && record[i] != '"') i++;
                    if (i >= n) return true;
                    if (i + 1 < n && record[i + 1] == '"') { i += 2; continue; }
                    break;
                }
                pos = i + 1;
                while (pos < n && record[pos] != separator) pos++; // text after the quote: Split reports it
                pos++;
            }
            else
            {
                while (start < n && record[start] != separator) start++;
                pos = start + 1;
            }
        }
        return false;
    }

    private string[] ReadHeader(string line)
    {
        // A semicolon- or tab-separated file reads as one column whose name holds the separators: say so at once,
        // rather than as a baffling "'1;2;3' is not a number" on the next line.
        if (_fields.Count == 1 && _separator == ',' && (line.Contains(';') || line.Contains('\t')))
            throw new DataFormatException(Path, RealLine(_lineNumber), 1,
                $"the header has one column, with {(line.Contains(';') ? "';'" : "tabs")} in its name: columns are separated by commas " +
                "here (--separator ','); use --separator ';' or --separator tab");
        if (_fields.Count > 1 && _fields[0].Text(line).Length == 0)
        {
            _rowNames = true;
            _fields.RemoveAt(0);
        }
        var names = new string[_fields.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < _fields.Count; c++)
        {
            string name = _fields[c].Text(line);
            if (name.Length == 0) throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, "empty column name in the header");
            if (seen.TryGetValue(name, out int first))
                throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, $"duplicate column name '{Shown(name)}' (also column {first + 1 + Skipped})");
            seen.Add(name, c);
            names[c] = name;
        }
        return names;
    }

    /// <summary>Fields of the file left out before <see cref="Columns"/>' first: 1 with R's row names, else 0. Messages count
    /// columns as the file has them.</summary>
    private int Skipped => _rowNames ? 1 : 0;

    private double ParseCell(int c, ReadOnlySpan<char> line, Field field)
    {
        ReadOnlySpan<char> cell = line.Slice(field.Start, field.Length).Trim();
        string columnName = Columns[c];
        if (MissingAsNaN && (cell.IsEmpty || MissingValues.IsMarker(cell))) return double.NaN;
        if (_textCoders?[c] is { } code && !cell.IsEmpty)
        {
            string text = cell.ToString();
            try
            {
                return code(field.HasDoubledQuotes ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text);
            }
            catch (UnseenCategoryException e)
            {
                // The coder knows the file, this reader where in it.
                throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, e.Problem);
            }
        }
        if (_separator == ';' && cell.Contains(',') && !cell.Contains('.') && cell.ContainsAnyInRange('0', '9'))
        {
            // R's write.csv2 (and a European spreadsheet) writes 2,5 for 2.5, with ';' between fields: read it as such.
            Span<char> copy = cell.Length <= 128 ? stackalloc char[cell.Length] : new char[cell.Length];
            cell.CopyTo(copy);
            copy.Replace(',', '.');
            if (copy.Count('.') == 1 && double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out double decimalComma)
                && double.IsFinite(decimalComma))
            {
                SawDecimalComma = true;
                return decimalComma;
            }
        }
        if (cell.IsEmpty) throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, $"column '{Shown(columnName)}': empty cell{MissingHint}");

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value)) return value;
            // NaN, Infinity, or a literal such as 1e999 that overflows.
            throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, $"column '{Shown(columnName)}': '{Quote(cell)}' is not a finite number");
        }
        // Spellings from other tools ("nan", "inf", "-Inf" from R) are not numbers to .NET, but are the same mistake.
        if (LooksNonFinite(cell))
            throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, $"column '{Shown(columnName)}': '{Quote(cell)}' is not a finite number");
        throw new DataFormatException(Path, RealLine(_lineNumber), c + 1 + Skipped, $"column '{Shown(columnName)}': '{Quote(cell)}' is not a number{Hint(cell, c)}");
    }

    /// <summary>Missing values are the commonest reason a real file is refused; say what to do, since ntk will not guess a value.</summary>
    private const string MissingHint = " (a missing value: --missing drop|mean|median drops or fills the rows that have one)";

    /// <summary>
    /// Why a cell that is not a number probably is not, for the three causes newcomers meet: a missing-value marker
    /// (R's NA, pandas' empty/None, SQL NULL, '?'), a decimal comma, and a text column (a name, a category).
    /// </summary>
    private string Hint(ReadOnlySpan<char> cell, int c)
    {
        foreach (var marker in MissingMarkers)
            if (cell.Equals(marker, StringComparison.OrdinalIgnoreCase)) return MissingHint;
        if (cell.Contains(',') && cell.ContainsAnyInRange('0', '9') && !cell.ContainsAnyExcept(NumberWithCommas))
            return " (a decimal comma? numbers are written with a point, as 2.5)";
        if (!ContainsLetter(cell)) return "";
        // A text feature is categorical when its text shows early (or always, in a file read whole); a streamed file
        // checks only its first rows, so a later text column must be named.
        if (_categoricalFeature?[c] == true)
            return $" (a text feature column? name it with --categorical {Shown(Columns[c])} to one-hot encode its categories)";
        if (_target?[c] == true)
            return " (a text target? if it holds the class labels to predict, use --task classify)";
        return " (a text column? if it holds the class labels to predict, use --task classify; if it is a feature, " +
               "leave it out by listing the columns to use with --columns A,B,...)";
    }

    private static bool ContainsLetter(ReadOnlySpan<char> cell)
    {
        foreach (char ch in cell)
            if (char.IsLetter(ch)) return true;
        return false;
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
        cell.Length <= MaxQuotedCell
            ? TextForDisplay.Name(cell.ToString(), int.MaxValue)
            : TextForDisplay.Name(cell[..MaxQuotedCell].ToString(), int.MaxValue) + "...";

    /// <summary>A column name as messages show it: control characters escaped, a long one cut.</summary>
    private static string Shown(string name) => TextForDisplay.Name(name, 80);

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
        // Blanks around a field are skipped, but never the separator itself (a tab is white space too).
        bool IsBlank(char ch) => ch != _separator && char.IsWhiteSpace(ch);
        _fields.Clear();
        ReadOnlySpan<char> text = line.AsSpan();
        int pos = 0;
        while (true)
        {
            int column = _fields.Count + 1;
            int contentStart = pos;
            while (contentStart < text.Length && IsBlank(text[contentStart])) contentStart++;

            if (contentStart < text.Length && text[contentStart] == '"')
            {
                int start = contentStart + 1;
                int i = start;
                bool doubled = false;
                while (true)
                {
                    int quote = text[i..].IndexOf('"');
                    if (quote < 0) throw new DataFormatException(Path, RealLine(_lineNumber), column, "quoted field has no closing quote");
                    i += quote;
                    if (i + 1 < text.Length && text[i + 1] == '"') { doubled = true; i += 2; continue; }
                    break;
                }
                _fields.Add(new Field(start, i - start, doubled));
                int after = i + 1;
                while (after < text.Length && IsBlank(text[after])) after++;
                if (after == text.Length) return;
                if (text[after] != _separator) throw new DataFormatException(Path, RealLine(_lineNumber), column, "unexpected text after a closing quote");
                pos = after + 1;
            }
            else
            {
                int comma = text[pos..].IndexOf(_separator);
                int end = comma < 0 ? text.Length : pos + comma;
                if (text[pos..end].Contains('"'))
                    throw new DataFormatException(Path, RealLine(_lineNumber), column, "stray double quote inside an unquoted field");
                _fields.Add(new Field(pos, end - pos, false));
                if (comma < 0) return;
                pos = end + 1;
            }
        }
    }
}

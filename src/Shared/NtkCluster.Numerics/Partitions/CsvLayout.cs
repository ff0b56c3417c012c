using System.Buffers;
using System.Text;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The byte-level facts about a CSV file that cutting it into ranges needs, found without parsing numbers: where
/// its lines start, and how many lines and non-blank lines a range holds. Lines end as
/// <see cref="TextReader.ReadLine"/> ends them (line feed, carriage return, or both), and a line is blank when it is
/// all white space as <see cref="char.IsWhiteSpace(char)"/> says — the rules of the parser, so that counts made
/// here agree with what it reads.
/// </summary>
internal static class CsvLayout
{
    private const int BufferBytes = 1 << 16;

    /// <summary>ASCII white space other than the line ends: what a blank line may hold (besides non-ASCII spaces).</summary>
    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t\v\f"u8);

    /// <summary>
    /// Whether the file may be cut at line feeds: its text is UTF-8 (or ASCII), where a line feed is always the byte
    /// 0x0A. A file that starts with a UTF-16 or UTF-32 byte order mark is read whole, as one range.
    /// </summary>
    public static bool CanSplit(FileStream file)
    {
        Span<byte> head = stackalloc byte[4];
        file.Seek(0, SeekOrigin.Begin);
        int n = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return !(n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            && !(n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF);
    }

    /// <summary>
    /// Where the ranges of a file start, in order: 0, then for each multiple k·<paramref name="splitSize"/> inside the
    /// file the first line start at or after it, moved past blank lines (so that no later range starts with one) —
    /// the Hadoop rule that a range owns the lines that start in it. A start that would leave the previous range
    /// without a data row (the first range must hold the header and a row after it) or that reaches the end of the
    /// file is dropped, so every range has at least one non-blank line of data.
    /// </summary>
    /// <param name="firstDataLine">The offset of the first non-blank line after the header (<see cref="FirstDataLine"/>).</param>
    public static List<long> RangeStarts(FileStream file, long splitSize, long firstDataLine)
    {
        long size = file.Length;
        var starts = new List<long> { 0 };
        if (!CanSplit(file)) return starts;
        var bytes = new Cursor(file);
        for (long cut = splitSize; cut < size; cut += splitSize)
        {
            long start = SkipBlankLines(bytes, LineStartAtOrAfter(bytes, cut));
            if (start >= size) break;
            if (start > starts[^1] && start > firstDataLine) starts.Add(start);
        }
        return starts;
    }

    /// <summary>
    /// The offset of the first non-blank line after the first line (the header), or the file's size if there is none:
    /// a file whose header is followed by blank lines at most has no data.
    /// </summary>
    public static long FirstDataLine(FileStream file) => SkipBlankLines(new Cursor(file), LineStartAtOrAfter(new Cursor(file), 1));

    /// <summary>The offset just past the first line (the header) and its line end: what a shipped range is prefixed with.</summary>
    public static long HeaderEnd(FileStream file) => LineStartAtOrAfter(new Cursor(file), 1);

    /// <summary>
    /// Lines, and non-blank lines, that start in bytes [start, end) of a file (a line that runs past the end counts;
    /// a last line without a line end counts). For the first range, the non-blank lines include the header.
    /// </summary>
    public static (long Lines, long NonBlank) Count(string path, long start, long end)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            return Count(file, start, end);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static (long Lines, long NonBlank) Count(FileStream file, long start, long end)
    {
        if (!CanSplit(file)) return CountDecoded(file); // UTF-16 or UTF-32: never split, so the range is the whole file
        file.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[BufferBytes];
        long lines = 0, nonBlank = 0, position = start;
        bool afterCarriageReturn = false; // a line feed right after a carriage return ends no further line
        bool inLine = false, lineNonBlank = false;
        var unicode = new List<byte>(); // non-ASCII bytes of a line that is otherwise blank: decoded at its end
        bool skipBom = start == 0;

        void EndLine()
        {
            lines++;
            if (lineNonBlank || (unicode.Count > 0 && !Encoding.UTF8.GetString(unicode.ToArray()).AsSpan().IsWhiteSpace())) nonBlank++;
            inLine = lineNonBlank = false;
            unicode.Clear();
        }

        // Bytes after the end are read only to finish the last line (its length does not matter, only that it ends).
        while (true)
        {
            int n = file.Read(buffer);
            if (n == 0) break;
            var chunk = buffer.AsSpan(0, n);
            if (skipBom)
            {
                skipBom = false;
                if (chunk.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { chunk = chunk[3..]; position += 3; }
            }
            while (!chunk.IsEmpty)
            {
                if (position >= end && !inLine) return (lines, nonBlank);
                int stop = chunk.IndexOfAny((byte)'\n', (byte)'\r');
                var text = stop < 0 ? chunk : chunk[..stop];
                if (!text.IsEmpty)
                {
                    afterCarriageReturn = false;
                    inLine = true;
                    if (!lineNonBlank)
                    {
                        int other = text.IndexOfAnyExcept(Blank);
                        // Non-ASCII bytes may be white space (U+00A0, U+3000, …): kept to decode; ASCII text is not.
                        while (other >= 0 && text[other] >= 0x80)
                        {
                            unicode.Add(text[other]);
                            int next = text[(other + 1)..].IndexOfAnyExcept(Blank);
                            other = next < 0 ? -1 : other + 1 + next;
                        }
                        if (other >= 0) lineNonBlank = true;
                    }
                }
                if (stop < 0)
                {
                    position += chunk.Length;
                    break;
                }
                byte terminator = chunk[stop];
                position += stop + 1;
                chunk = chunk[(stop + 1)..];
                if (terminator == '\n' && afterCarriageReturn && !inLine)
                {
                    afterCarriageReturn = false; // the second byte of \r\n
                    continue;
                }
                inLine = true;
                EndLine();
                afterCarriageReturn = terminator == '\r';
            }
        }
        if (inLine) EndLine();
        return (lines, nonBlank);
    }

    /// <summary>Lines and non-blank lines of a whole file in an encoding with a byte order mark, decoded as the parser decodes it.</summary>
    private static (long Lines, long NonBlank) CountDecoded(FileStream file)
    {
        file.Seek(0, SeekOrigin.Begin);
        // Bounded as the parser's lines are: a file with no line breaks must not fill memory here either.
        using var reader = new Data.BoundedLineReader(
            new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferBytes, leaveOpen: true));
        long lines = 0, nonBlank = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lines++;
                if (!line.AsSpan().IsWhiteSpace()) nonBlank++;
            }
        }
        catch (Data.LineTooLongException e)
        {
            throw new DataFormatException(file.Name, lines + 1, 0, $"line {lines + 1} is longer than {e.Limit >> 20} MiB: no line break, or a field far too large (not a CSV file of rows?)");
        }
        return (lines, nonBlank);
    }

    /// <summary>The first offset at or after <paramref name="offset"/> where a line starts, or the file's size.</summary>
    private static long LineStartAtOrAfter(Cursor bytes, long offset)
    {
        if (offset <= 0) return 0;
        for (long p = offset - 1; ; p++)
        {
            int b = bytes.At(p);
            if (b < 0) return bytes.Size;
            if (b == '\n') return p + 1;
            // A lone carriage return ends a line too; the one of a \r\n pair does not.
            if (b == '\r' && bytes.At(p + 1) != '\n') return p + 1;
        }
    }

    /// <summary>The start of the first line at or after <paramref name="start"/> (a line start) that is not all ASCII white space.</summary>
    private static long SkipBlankLines(Cursor bytes, long start)
    {
        long p = start;
        while (true)
        {
            int b = bytes.At(p);
            if (b < 0) return bytes.Size;
            if (b is (byte)' ' or (byte)'\t' or 0x0B or 0x0C) { p++; continue; }
            if (b is (byte)'\n' or (byte)'\r')
            {
                start = LineStartAtOrAfter(bytes, p + 1);
                p = start;
                continue;
            }
            return start;
        }
    }

    /// <summary>Random access to a file's bytes through a 64 KiB window: boundaries are found by short forward scans.</summary>
    private sealed class Cursor(FileStream file)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private long _bufferStart = -1;
        private int _bufferLength;

        public long Size { get; } = file.Length;

        /// <summary>The byte at <paramref name="position"/>, or -1 past the end.</summary>
        public int At(long position)
        {
            if (position >= Size || position < 0) return -1;
            if (position < _bufferStart || position >= _bufferStart + _bufferLength)
            {
                file.Seek(position, SeekOrigin.Begin);
                _bufferLength = file.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
                _bufferStart = position;
                if (_bufferLength == 0) return -1;
            }
            return _buffer[position - _bufferStart];
        }
    }
}

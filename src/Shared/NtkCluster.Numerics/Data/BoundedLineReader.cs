using System.Text;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Reads lines as <see cref="TextReader.ReadLine"/> does (a line ends at <c>\n</c>, <c>\r\n</c> or <c>\r</c>; the last
/// one may have no ending), but refuses a line longer than a limit instead of growing without bound: a file with no
/// line breaks (<c>--train /dev/zero</c>) took 8 GB in 18 s before (issue 15, item 9).
/// </summary>
internal sealed class BoundedLineReader : IDisposable
{
    /// <summary>The longest line read: 64 Mi characters (64 MiB of ASCII text), far past any real row.</summary>
    public const int DefaultMaxLineChars = 64 << 20;

    private readonly TextReader _inner;
    private readonly int _maxLineChars;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _partial = new();
    private int _position, _length;
    private bool _ended;

    public BoundedLineReader(TextReader inner, int maxLineChars = DefaultMaxLineChars)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineChars, 1);
        _inner = inner;
        _maxLineChars = maxLineChars;
    }

    /// <summary>The next line without its ending, or null at the end of the text.</summary>
    /// <exception cref="LineTooLongException">The line is longer than the limit; nothing more can be read.</exception>
    public string? ReadLine()
    {
        _partial.Clear();
        bool any = false;
        while (true)
        {
            if (_position == _length && !Fill()) return any ? _partial.ToString() : null;
            any = true;
            var span = _buffer.AsSpan(_position, _length - _position);
            int end = span.IndexOfAny('\n', '\r');
            if (end < 0)
            {
                Append(span);
                _position = _length;
                continue;
            }
            string line;
            if (_partial.Length == 0)
            {
                if (end > _maxLineChars) throw new LineTooLongException(_maxLineChars);
                line = new string(span[..end]);
            }
            else
            {
                Append(span[..end]);
                line = _partial.ToString();
            }
            bool carriageReturn = span[end] == '\r';
            _position += end + 1;
            if (carriageReturn && (_position < _length || Fill()) && _buffer[_position] == '\n') _position++;
            return line;
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if ((long)_partial.Length + text.Length > _maxLineChars) throw new LineTooLongException(_maxLineChars);
        _partial.Append(text);
    }

    private bool Fill()
    {
        if (_ended) return false;
        _length = _inner.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (_length == 0) _ended = true;
        return _length > 0;
    }

    public void Dispose() => _inner.Dispose();
}

/// <summary>A line longer than <see cref="BoundedLineReader"/>'s limit.</summary>
internal sealed class LineTooLongException(int limit) : Exception($"a line is longer than {limit} characters")
{
    public int Limit { get; } = limit;
}

using System.Globalization;
using System.Text;

namespace NtkCluster.Numerics.Errors;

/// <summary>
/// Makes text from the user's files (column names, cells, paths) safe to echo in a one-line error message: control
/// characters, escape sequences among them, are shown as <c>\xHH</c> / <c>\uHHHH</c> escapes rather than reaching the
/// terminal, and a long text is cut with a note of its length (issue 15, item 11: a 1 MB column name made a 1 MB
/// error line, and escape bytes in a header changed the terminal).
/// </summary>
public static class TextForDisplay
{
    /// <summary>How many characters of a name an error message shows at most.</summary>
    public const int MaxNameLength = 200;

    /// <summary><paramref name="text"/> escaped and cut to <paramref name="maxLength"/> characters.</summary>
    public static string Name(string? text, int maxLength = MaxNameLength)
    {
        if (text is null) return "";
        bool clean = text.Length <= maxLength;
        for (int i = 0; clean && i < text.Length; i++) clean = !NeedsEscape(text[i]);
        if (clean) return text;

        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 32);
        int shown = 0;
        for (; shown < text.Length && sb.Length < maxLength; shown++)
        {
            char c = text[shown];
            if (!NeedsEscape(c)) sb.Append(c);
            else if (c <= 0xFF) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        if (shown < text.Length)
            sb.Append("… (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        return sb.ToString();
    }

    /// <summary>C0 and C1 control characters, DEL, lone surrogates and the bidirectional overrides that can reorder
    /// what a terminal shows.</summary>
    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E'
            or '\u2066' or '\u2067' or '\u2068' or '\u2069';
}

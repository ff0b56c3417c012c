using System.Text;
using System.Text.RegularExpressions;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// File-name patterns as a shell writes them, for a dataset given as a quoted glob: <c>*</c> is any run of
/// characters within one path segment, <c>?</c> one character, and a segment <c>**</c> any number of directories
/// (none included). Matching is case-sensitive (ordinal), whatever the file system.
/// </summary>
/// <remarks>
/// The leading segments without wildcards are the directory searched; they are kept as written, so the paths found
/// read as the user typed them (<c>data/part-*.csv</c> finds <c>data/part-00000.csv</c>). Files and directories
/// whose names start with <c>_</c> or <c>.</c> are never matched nor searched (Spark's <c>_SUCCESS</c> and
/// <c>_temporary/</c>, checksums <c>.part-00000.crc</c>), unless a segment of the pattern names them literally.
/// </remarks>
internal static class PathGlob
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Whether <paramref name="text"/> is a pattern rather than a path.</summary>
    public static bool IsPattern(string text) => text.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The files matching <paramref name="pattern"/>, in ordinal order of their paths below the searched directory.</summary>
    public static List<string> Match(string pattern)
    {
        string[] segments = pattern.Split(Separators);
        int firstWild = Array.FindIndex(segments, IsPattern);
        // The root: the literal leading segments as written (an absolute path keeps its leading separator).
        int rootLength = 0;
        for (int i = 0; i < firstWild; i++) rootLength += segments[i].Length + 1;
        string root = pattern[..rootLength];
        string searched = root.Length == 0 ? "." : root;
        string[] rest = segments[firstWild..];
        if (!Directory.Exists(searched)) return [];

        var regex = new Regex("^" + string.Join("", rest.Select((s, i) => Segment(s, last: i == rest.Length - 1))) + "$",
            RegexOptions.CultureInvariant);
        bool recursive = rest.Contains("**");
        int depth = rest.Length - 1; // directories below the root that a pattern without ** descends
        var found = new List<(string Relative, string Path)>();
        Walk(searched, "", 0);
        found.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return found.Select(f => f.Path).ToList();

        void Walk(string directory, string relative, int level)
        {
            IEnumerable<string> files, directories;
            try
            {
                files = Directory.EnumerateFiles(directory).ToList();
                directories = recursive || level < depth ? Directory.EnumerateDirectories(directory).ToList() : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // an unreadable directory holds no matches, as for a shell
            }
            foreach (string file in files)
            {
                string name = System.IO.Path.GetFileName(file);
                string candidate = relative + name;
                if (regex.IsMatch(candidate) && (!Hidden(name) || LiteralLast(rest))) found.Add((candidate, root + candidate));
            }
            foreach (string sub in directories)
            {
                string name = System.IO.Path.GetFileName(sub);
                if (Hidden(name) && !rest.Contains(name)) continue;
                Walk(sub, relative + name + "/", level + 1);
            }
        }
    }

    private static bool Hidden(string name) => name.StartsWith('_') || name.StartsWith('.');

    private static bool LiteralLast(string[] rest) => !IsPattern(rest[^1]);

    /// <summary>One segment as a regular expression, followed by its separator unless it is the last.</summary>
    private static string Segment(string segment, bool last)
    {
        if (segment == "**") return last ? ".*" : "(?:[^/]*/)*";
        var text = new StringBuilder();
        foreach (char c in segment)
        {
            text.Append(c switch
            {
                '*' => "[^/]*",
                '?' => "[^/]",
                _ => Regex.Escape(c.ToString()),
            });
        }
        if (!last) text.Append('/');
        return text.ToString();
    }
}

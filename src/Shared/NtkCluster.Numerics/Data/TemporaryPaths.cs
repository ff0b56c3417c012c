using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The temporary files and staging directories this process has open beside its outputs: their names, their removal
/// when the process is interrupted, and the removal of stale ones that an earlier, killed process left behind.
/// </summary>
/// <remarks>
/// <para>
/// A temporary path is <c>.{name}.{random}-{pid}.tmp</c> beside the output <c>name</c>: hidden on Unix, recognisably
/// ours, unique per writer, and carrying the id of the process that made it. That id is what makes stale ones safe
/// to remove: one whose process is no longer running can belong to no writer in progress (a reused id only keeps a
/// stale file a little longer, never removes a live one). Removal is limited to names of exactly that form for the
/// output being written, so nothing the user made can match.
/// </para>
/// <para>
/// Ctrl-C and SIGTERM end the process without unwinding its threads, so <c>finally</c> blocks do not run: the program's
/// signal handler calls <see cref="RemoveAll"/> instead (issue 15, item 12). <c>kill -9</c> cannot be caught; its
/// leftovers are removed by <see cref="RemoveStale"/> the next time the same output is written.
/// </para>
/// </remarks>
public static partial class TemporaryPaths
{
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^\.(?<name>.+)\.[0-9a-f]{12}-(?<pid>[0-9]{1,10})\.(tmp|old)$", RegexOptions.CultureInvariant)]
    private static partial Regex OurName();

    /// <summary>A fresh temporary path beside <paramref name="fullPath"/> with the given extension (<c>tmp</c> or <c>old</c>).</summary>
    public static string Beside(string fullPath, string extension = "tmp")
    {
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{fullPath} has no directory", nameof(fullPath));
        string suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        return Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{suffix}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{extension}");
    }

    /// <summary>
    /// <paramref name="e"/>'s message for a line that names the user's output: without the paths of our temporary files
    /// or staging directories <paramref name="temporaries"/> (or of anything in them), which .NET puts in its messages —
    /// <c>No space left on device : 'PATH'</c>, <c>Access to the path 'PATH' is denied.</c> — because the user named the
    /// output, not them, and they are gone by the time the line is read.
    /// </summary>
    public static string Cause(Exception e, params string[] temporaries)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(temporaries);
        string message = e.Message;
        foreach (string temporary in temporaries.Where(t => t.Length > 0))
        {
            string quoted = $"'{Regex.Escape(temporary)}[^']*'";
            message = Regex.Replace(message, $@"\s*:\s*{quoted}", "", RegexOptions.CultureInvariant); // "CAUSE : 'PATH'"
            message = Regex.Replace(message, $" ?{quoted}", "", RegexOptions.CultureInvariant); // "… the path 'PATH' is …"
            message = message.Replace(temporary, "a temporary path", StringComparison.Ordinal);
        }
        return message;
    }

    /// <summary>Records a temporary file or directory as in use until the returned handle is disposed.</summary>
    public static IDisposable Track(string path)
    {
        Live[path] = 0;
        return new Tracked(path);
    }

    /// <summary>Removes every temporary path in use by this process: for a signal handler, just before the process ends.</summary>
    public static void RemoveAll()
    {
        foreach (string path in Live.Keys)
        {
            TryRemove(path);
            Live.TryRemove(path, out _);
        }
    }

    /// <summary>
    /// Removes the temporary files and directories of our naming for the output <paramref name="fullPath"/> whose
    /// process is no longer running. Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string fullPath)
    {
        string? directory = Path.GetDirectoryName(fullPath);
        string name = Path.GetFileName(fullPath);
        if (directory is null || name.Length == 0 || !Directory.Exists(directory)) return 0;
        int removed = 0;
        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory, $".{name}.*"))
            {
                var match = OurName().Match(Path.GetFileName(entry));
                if (!match.Success || match.Groups["name"].Value != name) continue;
                if (!int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
                if (IsRunning(pid) || Live.ContainsKey(entry)) continue;
                if (TryRemove(entry)) removed++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable directory only means nothing is cleaned; the write itself reports what matters.
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryRemove(string path)
    {
        try
        {
            if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                Directory.Delete(path, recursive: true);
                return true;
            }
            if (File.Exists(path) || File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                File.Delete(path);
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done here.
        }
        return false;
    }

    private sealed class Tracked(string path) : IDisposable
    {
        public void Dispose() => Live.TryRemove(path, out _);
    }
}

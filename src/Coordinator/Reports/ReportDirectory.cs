using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The output directory of <c>ntk report</c>, written as a whole: every file goes to a hidden staging directory beside
/// the target (<c>.NAME.RANDOM.tmp</c>, same file system), which is renamed into place only once the report is
/// complete. A failed or interrupted run leaves the target as it was — absent, or the previous report — never half
/// a report.
/// </summary>
/// <remarks>
/// <para>
/// Replacing a previous report takes two renames (the old one aside, the new one in) and so is not one atomic step,
/// but there is no moment at which the target holds a mixture of the two.
/// </para>
/// <para>
/// Only a directory that ntk itself created is ever replaced (issue 15, item 4: a directory that merely looked like a
/// report lost its other .csv, .md, .svg and .html files, the run's own input among them). Such a directory holds
/// the marker file <see cref="MarkerName"/>, whose lines after the first name every file the report wrote; it is
/// replaced only if it holds nothing else. An existing empty directory receives the report's files, and is not
/// itself replaced (it may be the working directory). Anything else is refused up front, with one line, and
/// nothing is deleted.
/// </para>
/// </remarks>
public sealed class ReportDirectory : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    /// <summary>The marker file of a directory ntk created: its first line <see cref="MarkerHeading"/>, then the name of
    /// every file the report wrote, one per line.</summary>
    public const string MarkerName = ".ntk-report";

    private const string MarkerHeading = "ntk report directory; the files it wrote:";

    private readonly string _given;
    private readonly List<string> _written = [];
    private readonly IDisposable _tracked;
    private bool _published;

    /// <summary>The directory the report ends up in (full path).</summary>
    public string Target { get; }

    /// <summary>Where the files are written until <see cref="Publish"/>.</summary>
    public string Staging { get; }

    private ReportDirectory(string given, string target, string staging)
    {
        _given = given;
        Target = target;
        Staging = staging;
        _tracked = TemporaryPaths.Track(staging);
    }

    /// <summary>Checks that <paramref name="path"/> can take a report and creates the staging directory beside it.</summary>
    /// <exception cref="InvalidInputException">The path cannot take a report (exit code 2); nothing was created.</exception>
    public static ReportDirectory Prepare(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException("--out '': the path is empty");
        string full = Path.GetFullPath(path.TrimEnd('/', '\\') is { Length: > 0 } trimmed ? trimmed : path);
        string? parent = Path.GetDirectoryName(full);
        string name = Path.GetFileName(full);
        if (parent is null || name.Length == 0) throw new InvalidInputException($"--out {Shown(path)}: not a directory path");
        if (!Directory.Exists(parent)) throw new InvalidInputException($"cannot write the report to {Shown(path)}: directory {Shown(parent)} does not exist");
        CheckReplaceable(path, full);
        TemporaryPaths.RemoveStale(full);
        string staging = TemporaryPaths.Beside(full);
        try
        {
            Directory.CreateDirectory(staging);
            // Creating a directory can succeed where writing a file fails (quota, read-only bind mounts): try one.
            File.WriteAllText(Path.Combine(staging, ".probe"), "");
            File.Delete(Path.Combine(staging, ".probe"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw new InvalidInputException($"cannot write the report to {Shown(path)}: {TemporaryPaths.Cause(e, staging)}", e);
        }
        return new ReportDirectory(path, full, staging);
    }

    /// <summary>Writes one file of the report into the staging directory.</summary>
    public void Write(string fileName, string contents)
    {
        if (_published) throw new InvalidOperationException("the report is already published");
        if (fileName.Contains('/') || fileName.Contains('\\') || fileName == MarkerName)
            throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        try
        {
            using var file = new FileStream(Path.Combine(Staging, fileName), FileMode.CreateNew, FileAccess.Write);
            file.Write(Utf8NoBom.GetBytes(contents));
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write the report to {Shown(_given)}: {TemporaryPaths.Cause(e, Staging)}", e);
        }
        _written.Add(fileName);
    }

    /// <summary>Moves the finished report into place, replacing an earlier report there.</summary>
    public void Publish()
    {
        if (_published) return;
        var existing = CheckReplaceable(_given, Target); // it may have changed while the jobs ran
        string aside = TemporaryPaths.Beside(Target, "old");
        try
        {
            File.WriteAllText(Path.Combine(Staging, MarkerName), MarkerHeading + "\n" + string.Concat(_written.Select(n => n + "\n")), Utf8NoBom);
            if (existing == Existing.None)
            {
                Directory.Move(Staging, Target);
            }
            else if (existing == Existing.Empty)
            {
                // Filled rather than replaced: an empty directory may be the working directory, or carry permissions.
                foreach (string name in _written.Append(MarkerName)) File.Move(Path.Combine(Staging, name), Path.Combine(Target, name));
                TryDelete(Staging);
            }
            else
            {
                Directory.Move(Target, aside);
                try
                {
                    Directory.Move(Staging, Target);
                }
                catch
                {
                    Directory.Move(aside, Target);
                    throw;
                }
                TryDelete(aside);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot move the report into {Shown(_given)}: {TemporaryPaths.Cause(e, Staging, aside)}", e);
        }
        _published = true;
        _tracked.Dispose();
    }

    /// <summary>Removes the staging directory unless the report was published.</summary>
    public void Dispose()
    {
        if (!_published) TryDelete(Staging);
        _tracked.Dispose();
    }

    /// <summary>What <c>--out</c> holds now, when it may take the report.</summary>
    private enum Existing
    {
        None,
        Empty,
        EarlierReport,
    }

    private static Existing CheckReplaceable(string given, string full)
    {
        if (File.Exists(full) || Directory.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReparsePoint))
            throw new InvalidInputException($"cannot write the report to {Shown(given)}: it is a {(Directory.Exists(full) ? "symbolic link" : "file")}");
        if (!Directory.Exists(full)) return Existing.None;
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(full).Select(e => Path.GetFileName(e)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write the report to {Shown(given)}: {e.Message}", e);
        }
        if (entries.Length == 0) return Existing.Empty;
        var written = ManifestOf(Path.Combine(full, MarkerName));
        if (written is null)
            throw new InvalidInputException($"cannot write the report to {Shown(given)}: the directory was not created by ntk report " +
                                            $"(no {MarkerName} file) and is not empty; give a new or empty directory");
        var foreign = entries.Where(e => e != MarkerName && !written.Contains(e)).Order(StringComparer.Ordinal).ToArray();
        if (foreign.Length > 0 || entries.Any(e => e != MarkerName && !File.Exists(Path.Combine(full, e))))
            throw new InvalidInputException($"cannot write the report to {Shown(given)}: it holds files the earlier report did not write " +
                                            $"({string.Join(", ", foreign.Take(3).Select(f => TextForDisplay.Name(f, 60)))}" +
                                            $"{(foreign.Length > 3 ? $" and {foreign.Length - 3} more" : "")}); move them or give another directory");
        return Existing.EarlierReport;
    }

    /// <summary>The files a report's marker lists, or null if <paramref name="marker"/> is not a report's marker.</summary>
    private static HashSet<string>? ManifestOf(string marker)
    {
        if (!File.Exists(marker) || new FileInfo(marker).Length > 1 << 20) return null;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(marker);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (lines.Length == 0 || lines[0] != MarkerHeading) return null;
        return lines.Skip(1).Where(l => l.Length > 0 && !l.Contains('/') && !l.Contains('\\')).ToHashSet(StringComparer.Ordinal);
    }

    private static string Shown(string path) => TextForDisplay.Name(path);

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the error worth reporting is the one that brought us here.
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The output directory of <c>ntk report</c>, written as a whole: every file goes to a hidden staging directory beside
/// the target (<c>.NAME.RANDOM.tmp</c>, same file system), which is renamed into place only once the report is
/// complete. A failed or interrupted run leaves the target as it was — absent, or the previous report — never half
/// a report.
/// </summary>
/// <remarks>
/// Replacing a previous report takes two renames (the old one aside, the new one in) and so is not one atomic step,
/// but there is no moment at which the target holds a mixture of the two. Only a directory that is empty or holds
/// nothing but an earlier report's kind of files (<c>report.html</c> among them) is replaced: <c>--out</c> pointed at
/// a directory of other files is refused up front rather than deleted.
/// </remarks>
public sealed class ReportDirectory : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] ReportExtensions = [".svg", ".csv", ".html", ".md"];

    private readonly string _given;
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
    }

    /// <summary>Checks that <paramref name="path"/> can take a report and creates the staging directory beside it.</summary>
    /// <exception cref="InvalidInputException">The path cannot take a report (exit code 2); nothing was created.</exception>
    public static ReportDirectory Prepare(string path)
    {
        string full = Path.GetFullPath(path.TrimEnd('/', '\\') is { Length: > 0 } trimmed ? trimmed : path);
        string? parent = Path.GetDirectoryName(full);
        string name = Path.GetFileName(full);
        if (parent is null || name.Length == 0) throw new InvalidInputException($"--out {path}: not a directory path");
        if (!Directory.Exists(parent)) throw new InvalidInputException($"cannot write the report to {path}: directory {parent} does not exist");
        CheckReplaceable(path, full);
        string staging = Path.Combine(parent, $".{name}.{Suffix()}.tmp");
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
            throw new InvalidInputException($"cannot write the report to {path}: {e.Message}", e);
        }
        return new ReportDirectory(path, full, staging);
    }

    /// <summary>Writes one file of the report into the staging directory.</summary>
    public void Write(string fileName, string contents)
    {
        if (_published) throw new InvalidOperationException("the report is already published");
        if (fileName.Contains('/') || fileName.Contains('\\')) throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        try
        {
            using var file = new FileStream(Path.Combine(Staging, fileName), FileMode.CreateNew, FileAccess.Write);
            file.Write(Utf8NoBom.GetBytes(contents));
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write the report to {_given}: {e.Message}", e);
        }
    }

    /// <summary>Moves the finished report into place, replacing an earlier report there.</summary>
    public void Publish()
    {
        if (_published) return;
        CheckReplaceable(_given, Target); // it may have changed while the jobs ran
        try
        {
            if (!Directory.Exists(Target))
            {
                Directory.Move(Staging, Target);
            }
            else
            {
                string aside = Path.Combine(Path.GetDirectoryName(Target)!, $".{Path.GetFileName(Target)}.{Suffix()}.old");
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
            throw new InvalidInputException($"cannot move the report into {_given}: {e.Message}", e);
        }
        _published = true;
    }

    /// <summary>Removes the staging directory unless the report was published.</summary>
    public void Dispose()
    {
        if (!_published) TryDelete(Staging);
    }

    private static void CheckReplaceable(string given, string full)
    {
        if (File.Exists(full)) throw new InvalidInputException($"cannot write the report to {given}: it is a file");
        if (!Directory.Exists(full)) return;
        var entries = Directory.GetFileSystemEntries(full);
        if (entries.Length == 0) return;
        bool earlierReport = entries.Any(e => Path.GetFileName(e) == "report.html")
                             && entries.All(e => File.Exists(e) && ReportExtensions.Contains(Path.GetExtension(e), StringComparer.OrdinalIgnoreCase));
        if (!earlierReport)
            throw new InvalidInputException($"cannot write the report to {given}: the directory holds files that are not an ntk report; give a new or empty directory");
    }

    private static string Suffix() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

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

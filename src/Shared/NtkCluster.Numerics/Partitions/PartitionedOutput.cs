using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The output directory of a partitioned prediction: one part per input partition, named so that sorting the names
/// gives partition order (<see cref="PartName"/>), and a <see cref="SuccessMarker"/> file written last. Nobody ever
/// sees a half-written directory or part: parts are written into a staging directory (each one to a temporary file
/// renamed into place, <see cref="Data.AtomicFile"/>), and the staging directory becomes the output at the end.
/// </summary>
/// <remarks>
/// <para>
/// An output directory that does not exist yet is staged in a hidden sibling (<c>.NAME.RANDOM.partial</c>, same file
/// system) that is renamed to it at the end: the directory appears complete or not at all. One that exists and is
/// empty (a mount point, a directory made beforehand) is staged in a hidden directory inside it, whose parts are
/// renamed into it one by one, the marker last. One that exists and holds anything is refused: old and new parts
/// would mix, and nothing the user did not name as output is ever deleted.
/// </para>
/// <para>
/// The staging directory is where the workers write (the shared-path mode): on a cluster it must be on a file system
/// the client and every worker share. When it is not, the parts stream back and the client writes them there
/// (<c>ntk predict --out-delivery</c>). <see cref="Commit"/> checks that the client sees every part the workers
/// reported, with the size they reported, before anything becomes visible.
/// </para>
/// </remarks>
public sealed class PartitionedOutput
{
    /// <summary>The file written last, when every part is in place (as Spark and Hadoop do): a reader that finds it
    /// knows the directory is complete. It lists the parts: name, rows, bytes and checksum, tab-separated.</summary>
    public const string SuccessMarker = "_SUCCESS";

    /// <summary>The fewest digits of a part's number: <c>part-00000.csv</c>, as Spark names its parts.</summary>
    public const int PartDigits = 5;

    private readonly bool _renameWhole;

    /// <summary>The output directory, as a full path.</summary>
    public string Directory { get; }

    /// <summary>Where the parts are written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    private PartitionedOutput(string directory, string staging, bool renameWhole)
    {
        Directory = directory;
        Staging = staging;
        _renameWhole = renameWhole;
    }

    /// <summary>
    /// The name of partition <paramref name="index"/>'s part among <paramref name="count"/>: <c>part-00000.csv</c>,
    /// numbered from 0 with at least <see cref="PartDigits"/> digits and as many as the last number needs, so that all
    /// parts of one output have names of one length and sorting them by name gives partition order.
    /// </summary>
    public static string PartName(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(count, index);
        int digits = Math.Max(PartDigits, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        return "part-" + index.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".csv";
    }

    /// <summary>Rows in a dataset of counted partitions (all of them, in order): where the last one ends.</summary>
    /// <exception cref="InvalidOperationException">The partitions are not counted.</exception>
    public static long DatasetRows(IReadOnlyList<DataPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0) return 0;
        var last = partitions[^1];
        return last.FirstRow is long first && last.RowCount is long count
            ? first + count
            : throw new InvalidOperationException("the partitions are not counted yet");
    }

    /// <summary>Checks that <paramref name="directory"/> may be written (it does not exist, or is empty), without writing anything.</summary>
    /// <exception cref="InvalidInputException">It is a file, holds anything, or its parent directory does not exist.</exception>
    public static string Check(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string full = Path.GetFullPath(directory);
        if (File.Exists(full)) throw new InvalidInputException($"--out {directory} is a file: a partitioned dataset's predictions go to a directory, one part per partition");
        if (System.IO.Directory.Exists(full))
        {
            if (System.IO.Directory.EnumerateFileSystemEntries(full).Any())
                throw new InvalidInputException($"--out {directory} already exists and is not empty: name a new or empty directory (old and new parts are never mixed)");
            return full;
        }
        string? parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (parent is null || !System.IO.Directory.Exists(parent))
            throw new InvalidInputException($"cannot write {directory}: directory {parent} does not exist");
        return full;
    }

    /// <summary>Checks the directory (<see cref="Check"/>) and makes its staging directory.</summary>
    /// <exception cref="InvalidInputException">The directory cannot be written.</exception>
    public static PartitionedOutput Begin(string directory)
    {
        string full = Check(directory).TrimEnd(Path.DirectorySeparatorChar);
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        bool exists = System.IO.Directory.Exists(full);
        string staging = exists
            ? Path.Combine(full, $".ntk-partial-{token}")
            : Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{token}.partial");
        try
        {
            System.IO.Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write {directory}: {Data.TemporaryPaths.Cause(e, staging)}", e);
        }
        return new PartitionedOutput(full, staging, renameWhole: !exists);
    }

    /// <summary>
    /// Makes the output visible: checks that every part is in the staging directory with the reported size, removes
    /// anything else there (a temporary file of a worker that died mid-part), writes <see cref="SuccessMarker"/>, and
    /// moves the staging directory (or its files, the marker last) into place.
    /// </summary>
    /// <exception cref="InvalidInputException">A part is missing or has another size here: the workers wrote somewhere
    /// this machine does not see.</exception>
    public void Commit(IReadOnlyList<PredictionPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var manifest = new StringBuilder();
        foreach (var part in parts)
        {
            var file = new FileInfo(Path.Combine(Staging, part.Name));
            if (!file.Exists || file.Length != part.Bytes)
                throw new InvalidInputException($"{part.Name} was written by a worker, but this machine sees {(file.Exists ? $"{file.Length} bytes, not {part.Bytes}," : "no such file")} " +
                                                $"in {Staging}: --out must be on a file system this client and every worker share " +
                                                "(or let the parts stream back to this client: ntk predict --out-delivery auto|streamed)");
            names.Add(part.Name);
            manifest.Append(CultureInfo.InvariantCulture, $"{part.Name}\t{part.Rows}\t{part.Bytes}\t{part.Checksum}\n");
        }
        foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(Staging).ToArray())
        {
            if (names.Contains(Path.GetFileName(entry))) continue;
            if (System.IO.Directory.Exists(entry)) System.IO.Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
        Data.AtomicFile.WriteAllText(Path.Combine(Staging, SuccessMarker), manifest.ToString());
        if (_renameWhole)
        {
            System.IO.Directory.Move(Staging, Directory);
            return;
        }
        foreach (var part in parts) File.Move(Path.Combine(Staging, part.Name), Path.Combine(Directory, part.Name));
        File.Move(Path.Combine(Staging, SuccessMarker), Path.Combine(Directory, SuccessMarker));
        System.IO.Directory.Delete(Staging);
    }

    /// <summary>Removes the staging directory and everything in it (the job failed): the output is left as it was.</summary>
    public void Abandon()
    {
        try
        {
            if (System.IO.Directory.Exists(Staging)) System.IO.Directory.Delete(Staging, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden staging directory left behind is harmless and named as ours.
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

/// <summary>
/// What <see cref="AtomicFile"/> replaces and what it writes in place (issue 15, items 1, 12 and 13): a symbolic link's
/// target is replaced and the link kept, FIFOs and device nodes are written directly and stay what they were, an
/// existing file's mode is kept, and stale temporary files of our naming are removed, no others.
/// </summary>
public sealed class AtomicFileTargetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {error}");
    }

    [Fact]
    public void A_symbolic_link_is_followed_and_its_target_replaced()
    {
        Directory.CreateDirectory(_dir.PathOf("real"));
        string target = _dir.Write("real/model.json", "old");
        string link = _dir.PathOf("link.json");
        File.CreateSymbolicLink(link, "real/model.json");

        AtomicFile.WriteAllText(link, "new");

        Assert.Equal("real/model.json", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["model.json"], Directory.GetFileSystemEntries(_dir.PathOf("real")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_dangling_symbolic_link_creates_its_target()
    {
        string link = _dir.PathOf("link.json");
        File.CreateSymbolicLink(link, "made.json");
        AtomicFile.WriteAllText(link, "new");
        Assert.Equal("made.json", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(_dir.PathOf("made.json")));
    }

    [Fact]
    public async Task A_fifo_is_written_directly_and_stays_a_fifo()
    {
        if (!OperatingSystem.IsLinux()) return;
        string fifo = _dir.PathOf("pipe");
        Run("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo)); // opening waits for the writer

        AtomicFile.CheckWritable(fifo); // must not wait for a reader, nor write anything
        AtomicFile.WriteAllText(fifo, "through the pipe\n");

        Assert.Equal("through the pipe\n", await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(PathKind.Pipe, FileKind.Of(fifo));
        Assert.Equal(["pipe"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_device_node_is_written_directly_and_stays_a_device()
    {
        // A null device made here (root only: mknod), so a regression replaces it, not the machine's /dev/null.
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return;
        string device = _dir.PathOf("null");
        Run("mknod", device, "c", "1", "3");

        AtomicFile.CheckWritable(device);
        AtomicFile.WriteAllText(device, "discarded");

        Assert.Equal(PathKind.Device, FileKind.Of(device));
        Assert.Equal(["null"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_full_device_fails_with_an_input_error_naming_the_path()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full")) return;
        var error = Assert.Throws<InvalidInputException>(() => AtomicFile.WriteAllText("/dev/full", new string('x', 100_000)));
        Assert.Contains("/dev/full", error.Message);
        Assert.Contains("space", error.Message);
        Assert.Equal(PathKind.Device, FileKind.Of("/dev/full"));
    }

    [Fact]
    public void A_replaced_file_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = _dir.Write("secret.json", "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Stale_temporaries_of_a_dead_process_are_removed_and_nothing_else()
    {
        string path = _dir.PathOf("model.json");
        // Process ids on Linux stay below 2^22: this one cannot be running.
        string stale = _dir.Write(".model.json.0123456789ab-99999999.tmp", "left by kill -9");
        string live = _dir.Write($".model.json.0123456789ab-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp", "in progress");
        string users = _dir.Write(".model.json.backup.tmp", "the user's own");
        string other = _dir.Write(".other.json.0123456789ab-99999999.tmp", "another output's");

        AtomicFile.WriteAllText(path, "new");

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(users));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void Remove_all_deletes_the_temporaries_in_use()
    {
        string path = _dir.PathOf("model.json");
        string? seen = null;
        // What the Ctrl-C handler does mid-write; the write then cannot complete, and leaves nothing.
        Assert.Throws<InvalidInputException>(() => AtomicFile.Write(path, stream =>
        {
            seen = Directory.GetFiles(_dir.Path, ".model.json.*.tmp").Single();
            TemporaryPaths.RemoveAll();
            stream.Write("x"u8);
        }));
        Assert.NotNull(seen);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void An_empty_path_or_a_directory_is_refused_before_any_work()
    {
        Assert.Contains("empty", Assert.Throws<InvalidInputException>(() => AtomicFile.CheckWritable("")).Message);
        Assert.Contains("directory", Assert.Throws<InvalidInputException>(() => AtomicFile.CheckWritable(_dir.Path)).Message);
        Assert.Contains("does not exist", Assert.Throws<InvalidInputException>(() => AtomicFile.CheckWritable(_dir.PathOf("no/such.json"))).Message);
        AtomicFile.CheckWritable(_dir.PathOf("fine.json"));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}

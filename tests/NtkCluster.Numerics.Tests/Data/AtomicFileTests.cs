using System.Text;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Entries() => Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void Writes_new_file_and_leaves_no_temporary()
    {
        string path = _dir.PathOf("model.json");
        AtomicFile.WriteAllText(path, "{\"a\": 1}\n");

        Assert.Equal("{\"a\": 1}\n", File.ReadAllText(path));
        Assert.Equal(["model.json"], Entries());
    }

    [Fact]
    public void Writes_Utf8_without_byte_order_mark()
    {
        string path = _dir.PathOf("out.txt");
        AtomicFile.WriteAllText(path, "é");
        Assert.Equal(new byte[] { 0xC3, 0xA9 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void Replaces_existing_file()
    {
        string path = _dir.Write("model.json", "old content that is longer");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["model.json"], Entries());
    }

    [Fact]
    public void Throwing_writer_leaves_no_file()
    {
        string path = _dir.PathOf("model.json");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Entries());
    }

    [Fact]
    public void Throwing_writer_leaves_old_content_intact()
    {
        string path = _dir.Write("model.json", "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["model.json"], Entries());
    }

    [Fact]
    public void Writer_may_dispose_the_stream()
    {
        string path = _dir.PathOf("predictions.csv");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            writer.Write("y\n1.5\n");
        });
        Assert.Equal("y\n1.5\n", File.ReadAllText(path));
        Assert.Equal(["predictions.csv"], Entries());
    }

    [Fact]
    public void Missing_directory_is_invalid_input()
    {
        string path = Path.Combine(_dir.Path, "no-such-dir", "model.json");
        var error = Assert.Throws<InvalidInputException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"cannot write {path}: directory does not exist", error.Message);
    }

    [Fact]
    public void Directory_as_target_is_invalid_input()
    {
        string path = _dir.PathOf("sub");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<InvalidInputException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"cannot write {path}: it is a directory", error.Message);
        Assert.Equal(["sub"], Entries());
    }

    [Fact]
    public void A_failed_write_names_the_given_path_and_the_cause_but_not_the_temporary_file()
    {
        string path = _dir.Write("model.json", "old");
        string? temporary = null;
        // The I/O error as .NET words a full disk while a FileStream writes: the cause, then the file it was writing.
        var error = Assert.Throws<InvalidInputException>(() => AtomicFile.Write(path, _ =>
        {
            temporary = Directory.GetFiles(_dir.Path, ".model.json.*.tmp").Single();
            throw new IOException($"No space left on device : '{temporary}'");
        }));

        Assert.Equal($"cannot write {path}: No space left on device", error.Message);
        Assert.DoesNotContain(Path.GetFileName(temporary!), error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["model.json"], Entries());
    }

    [Fact]
    public void A_cause_drops_our_temporary_paths_and_anything_in_them_but_keeps_other_paths()
    {
        string temporary = _dir.PathOf(".report.0123456789ab-42.tmp");
        string aside = _dir.PathOf(".report.ba9876543210-42.old");
        Assert.Equal("No space left on device",
            TemporaryPaths.Cause(new IOException($"No space left on device : '{temporary}/index.html'"), temporary));
        Assert.Equal("Access to the path is denied.",
            TemporaryPaths.Cause(new UnauthorizedAccessException($"Access to the path '{aside}' is denied."), temporary, aside));
        Assert.Equal("Read-only file system : '/elsewhere/model.json'",
            TemporaryPaths.Cause(new IOException("Read-only file system : '/elsewhere/model.json'"), temporary));
    }
}

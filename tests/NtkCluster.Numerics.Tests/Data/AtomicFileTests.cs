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
}

using System.Security.Cryptography;
using System.Text;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a partial file.
/// </summary>
/// <remarks>
/// <para>
/// A model or prediction file that is half written (the job crashed, the disk filled, the user pressed Ctrl-C) is
/// worse than none: it may still parse, or it may overwrite a good model with garbage. So the content goes to a
/// temporary file in the same directory (same file system, so the final rename cannot turn into a copy), is
/// flushed to disk, and is then renamed over the destination, which the operating system does atomically. If
/// anything fails before the rename, the temporary file is deleted and the destination is untouched.
/// </para>
/// <para>
/// The temporary name is <c>.{name}.{random}.tmp</c>: hidden on Unix, recognisably ours, and unique so that two
/// writers to the same path do not share a temporary file. Its randomness comes from the system RNG, not from a
/// <see cref="Random.DrawStream"/>, because it must differ between runs and never affects results.
/// </para>
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="contents"/> in UTF-8 without a byte-order mark.</summary>
    /// <exception cref="InvalidInputException">The directory does not exist, the path is a directory, or it is not writable.</exception>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        Write(path, stream => stream.Write(Utf8NoBom.GetBytes(contents)));
    }

    /// <summary>
    /// Atomically replaces <paramref name="path"/> with whatever <paramref name="write"/> writes to the stream it is
    /// given. The callback may dispose the stream (for example through a <see cref="StreamWriter"/>): that only
    /// flushes it, the file itself stays open until it has been synced to disk.
    /// </summary>
    /// <exception cref="InvalidInputException">The directory does not exist, the path is a directory, or it is not writable.</exception>
    /// <remarks>Exceptions thrown by <paramref name="write"/> propagate unchanged, after the temporary file is removed.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new InvalidInputException($"cannot write {path}: not a file path");
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0) throw new InvalidInputException($"cannot write {path}: not a file path");
        if (!Directory.Exists(directory)) throw new InvalidInputException($"cannot write {path}: directory does not exist");
        if (Directory.Exists(fullPath)) throw new InvalidInputException($"cannot write {path}: it is a directory");

        string suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        string tempPath = Path.Combine(directory, $".{fileName}.{suffix}.tmp");

        FileStream file;
        try
        {
            file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write {path}: {e.Message}", e);
        }

        try
        {
            using (file)
            {
                write(new KeepOpenStream(file));
                file.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the original exception is the one worth reporting.
        }
    }

    /// <summary>
    /// Passes writes through to the temporary file but does not forward Dispose (Stream's own Dispose does nothing
    /// here), so a callback that disposes its writer cannot close the file before <see cref="Write"/> has synced it
    /// to disk. Nor does disposing flush: <see cref="Write"/> does that, and a flush during unwinding of a failed
    /// write could replace the callback's exception with a second one.
    /// </summary>
    private sealed class KeepOpenStream(FileStream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override void WriteByte(byte value) => inner.WriteByte(value);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

    }
}

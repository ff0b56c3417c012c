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
/// The temporary name is <see cref="TemporaryPaths.Beside"/>'s <c>.{name}.{random}-{pid}.tmp</c>: hidden on Unix,
/// recognisably ours, unique so that two writers to the same path do not share a temporary file, and removed on
/// Ctrl-C or SIGTERM, or, after a <c>kill -9</c>, by the next write of the same output. Its randomness comes from the
/// system RNG, not from a <see cref="Random.DrawStream"/>, because it must differ between runs and never affects
/// results.
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
    /// <remarks>
    /// <para>
    /// What is replaced depends on what <paramref name="path"/> names (issue 15, items 1 and 13): a regular file or
    /// nothing is replaced atomically, keeping an existing file's permission bits; a symbolic link is followed and its
    /// final target replaced atomically, the link itself kept; a special file (a device such as <c>/dev/null</c>, a
    /// FIFO, a socket), <c>/dev/stdout</c>, <c>/dev/stderr</c> and <c>-</c> (standard output) are written directly,
    /// since renaming over them would replace the device or the pipe rather than write to it.
    /// </para>
    /// <para>Exceptions thrown by <paramref name="write"/> propagate unchanged, after the temporary file is removed,
    /// except I/O errors (a full disk, a closed pipe), which become an <see cref="InvalidInputException"/> naming the
    /// path — the one given, never the temporary file's (<see cref="TemporaryPaths.Cause"/>).</para>
    /// </remarks>
    /// <exception cref="InvalidInputException">The path is empty, its directory does not exist, it is a directory,
    /// it is not writable, or writing failed (disk full).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);

        var target = Resolve(path);
        if (target.Direct is { } direct)
        {
            WriteDirectly(path, direct, write);
            return;
        }
        string fullPath = target.FullPath;
        string directory = Path.GetDirectoryName(fullPath)!;

        TemporaryPaths.RemoveStale(fullPath);
        string tempPath = TemporaryPaths.Beside(fullPath);
        UnixFileMode? keptMode = null;
        if (!OperatingSystem.IsWindows() && File.Exists(fullPath))
        {
            try
            {
                keptMode = File.GetUnixFileMode(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable attributes: the new file gets the default mode, as before.
            }
        }

        using var tracked = TemporaryPaths.Track(tempPath);
        FileStream file;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16,
            };
            // Created with the kept mode from the start, so a 0600 file's new content is never readable by others,
            // not even while it is being written.
            if (keptMode is { } created && !OperatingSystem.IsWindows()) options.UnixCreateMode = created;
            file = new FileStream(tempPath, options);
            // The creation mode passes through the umask: set it exactly.
            if (keptMode is { } exact && !OperatingSystem.IsWindows()) File.SetUnixFileMode(tempPath, exact);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tempPath);
            throw new InvalidInputException($"cannot write {Shown(path)}: {TemporaryPaths.Cause(e, tempPath)}", e);
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
        catch (IOException e)
        {
            TryDelete(tempPath);
            throw new InvalidInputException($"cannot write {Shown(path)}: {TemporaryPaths.Cause(e, tempPath)}", e);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Checks, before a job starts, that <paramref name="path"/> can be written as <see cref="Write"/> would write it,
    /// so that a bad output path fails at once rather than after the whole job (issue 15, item 1). Writes nothing
    /// the user can see: a probe file of our temporary naming is created and removed for a regular file.
    /// </summary>
    /// <exception cref="InvalidInputException">The path cannot be written; the message says why.</exception>
    public static void CheckWritable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = Resolve(path);
        if (target.Direct is { } direct)
        {
            // A FIFO's open would wait for its reader, and the standard streams are open already: nothing to probe.
            if (direct.Stream is null && direct.Kind == PathKind.Device)
            {
                try
                {
                    using var probe = new FileStream(direct.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidInputException($"cannot write {Shown(path)}: {e.Message}", e);
                }
            }
            return;
        }
        string tempPath = TemporaryPaths.Beside(target.FullPath);
        try
        {
            using (TemporaryPaths.Track(tempPath))
            using (new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tempPath);
            throw new InvalidInputException($"cannot write {Shown(path)}: {TemporaryPaths.Cause(e, tempPath)}", e);
        }
    }

    /// <summary>An output path as error messages show it: control characters escaped, a long one cut.</summary>
    private static string Shown(string path) => TextForDisplay.Name(path);

    /// <summary>Where a write to <paramref name="path"/> goes: a file replaced atomically, or a stream written directly.</summary>
    private readonly record struct Target(string FullPath, DirectTarget? Direct);

    /// <summary>A special file or a standard stream, written in place.</summary>
    private sealed record DirectTarget(string Path, PathKind Kind, Func<Stream>? Stream);

    private static Target Resolve(string path)
    {
        if (path.Length == 0) throw new InvalidInputException("cannot write '': the path is empty");
        if (path.Contains('\0')) throw new InvalidInputException($"cannot write {Shown(path)}: the path contains a NUL character");
        if (path == "-" || path is "/dev/stdout" or "/proc/self/fd/1" or "/dev/fd/1")
            return new Target(path, new DirectTarget(path, PathKind.Pipe, Console.OpenStandardOutput));
        if (path is "/dev/stderr" or "/proc/self/fd/2" or "/dev/fd/2")
            return new Target(path, new DirectTarget(path, PathKind.Pipe, Console.OpenStandardError));

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
            // A symbolic link is followed to its final target, which is what gets replaced; the link stays.
            if (new FileInfo(fullPath).LinkTarget is not null && File.ResolveLinkTarget(fullPath, returnFinalTarget: true) is { } final)
                fullPath = final.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException($"cannot write {Shown(path)}: {e.Message}", e);
        }
        string? directory = Path.GetDirectoryName(fullPath);
        string fileName = Path.GetFileName(fullPath);
        if (directory is null || fileName.Length == 0) throw new InvalidInputException($"cannot write {Shown(path)}: not a file path");
        var kind = FileKind.Of(fullPath);
        if (kind == PathKind.Directory) throw new InvalidInputException($"cannot write {Shown(path)}: it is a directory");
        if (kind is PathKind.Device or PathKind.Pipe) return new Target(fullPath, new DirectTarget(fullPath, kind, null));
        if (!Directory.Exists(directory))
            throw new InvalidInputException(fullPath == Path.GetFullPath(path)
                ? $"cannot write {Shown(path)}: directory does not exist"
                : $"cannot write {Shown(path)}: it links to {Shown(fullPath)}, whose directory does not exist");
        return new Target(fullPath, null);
    }

    private static void WriteDirectly(string given, DirectTarget target, Action<Stream> write)
    {
        try
        {
            using var stream = target.Stream is { } open
                ? open()
                : new FileStream(target.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1 << 16);
            write(new KeepOpenStream(stream));
            stream.Flush(); // no fsync: devices and pipes do not support it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write {Shown(given)}: {e.Message}", e);
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
    private sealed class KeepOpenStream(Stream inner) : Stream
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

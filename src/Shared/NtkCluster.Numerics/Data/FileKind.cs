using System.Runtime.InteropServices;

namespace NtkCluster.Numerics.Data;

/// <summary>What a path names, following symbolic links.</summary>
public enum PathKind
{
    Missing,
    Directory,
    RegularFile,

    /// <summary>A character or block device, such as <c>/dev/null</c>.</summary>
    Device,

    /// <summary>A FIFO or a socket: opening one for writing may wait for its reader.</summary>
    Pipe,
}

/// <summary>
/// Tells a regular file from a special one, which .NET's file API cannot: <c>File.Exists</c> is true for
/// <c>/dev/null</c> and a FIFO alike. An output that is a special file must be written directly, never replaced by
/// a rename (issue 15: <c>--out /dev/null</c> run as root replaced the device with a regular file).
/// </summary>
/// <remarks>
/// Linux's <c>statx</c> is used because its result layout is the same on every architecture (<c>struct stat</c>'s is
/// not). Where it is missing (not Linux, or glibc before 2.28) every existing non-directory counts as a regular file,
/// which is the behaviour before this check existed.
/// </remarks>
public static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int TypeMask = 0xF000, Regular = 0x8000, DirectoryType = 0x4000, Fifo = 0x1000, Socket = 0xC000;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>What <paramref name="path"/> names, its symbolic links followed.</summary>
    public static PathKind Of(string path)
    {
        if (Directory.Exists(path)) return PathKind.Directory;
        if (!File.Exists(path)) return PathKind.Missing;
        if (!OperatingSystem.IsLinux()) return PathKind.RegularFile;
        var buffer = new byte[256]; // struct statx is 256 bytes
        try
        {
            if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return PathKind.RegularFile;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return PathKind.RegularFile;
        }
        int mode = BitConverter.ToUInt16(buffer, 28) & TypeMask; // stx_mode
        return mode switch
        {
            Regular => PathKind.RegularFile,
            DirectoryType => PathKind.Directory,
            Fifo or Socket => PathKind.Pipe,
            _ => PathKind.Device,
        };
    }
}

using System.Diagnostics;
using System.Globalization;

namespace NtkCluster.Coordinator.Cli;

/// <summary>The process's peak resident memory so far, reported as <c>peak_mb</c> by <c>--json</c>.</summary>
public static class PeakMemory
{
    /// <summary>
    /// Peak resident set size in MiB: on Linux the kernel's high-water mark <c>VmHWM</c> from /proc/self/status (what
    /// <c>/usr/bin/time -v</c> reports as maximum resident set size), elsewhere <see cref="Process.PeakWorkingSet64"/>.
    /// Resident memory, not the managed heap: it counts native buffers (BLAS) and the runtime itself, which is what a
    /// machine's memory limit counts too.
    /// </summary>
    public static double Megabytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                // "VmHWM:	  123456 kB"
                var parts = line["VmHWM:".Length..].Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                    return Round(kb / 1024.0);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not Linux, or /proc is not mounted: fall back below
        }
        using var process = Process.GetCurrentProcess();
        return Round(process.PeakWorkingSet64 / (1024.0 * 1024.0));
    }

    private static double Round(double mb) => Math.Round(mb, 1);
}

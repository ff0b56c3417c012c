using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Solvers;

/// <summary>
/// Refuses work whose dense matrices would not fit in memory before any of it starts, with the estimate and what
/// to use instead: better one clear line now than an out-of-memory crash an hour in.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Environment variable that caps the budget in MiB (tests use it to exercise the refusal cheaply).</summary>
    public const string LimitVariable = "NTK_MEMORY_LIMIT_MB";

    /// <summary>Bytes the process may use for one job's dense matrices: 80% of what the runtime can have.</summary>
    public static long AvailableBytes
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(LimitVariable);
            if (env != null && long.TryParse(env, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) && mb > 0)
                return mb >= long.MaxValue / (1024L * 1024L) ? long.MaxValue : mb * 1024L * 1024L;
            return (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8);
        }
    }

    /// <summary>Bytes of <paramref name="copies"/> dense rows×cols matrices of doubles.</summary>
    /// <remarks>Saturates at <see cref="long.MaxValue"/>: an astronomical size must be refused, not wrap around.</remarks>
    public static long DenseBytes(long rows, long cols, int copies = 1)
    {
        double bytes = (double)rows * cols * 8.0 * copies;
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    public static void EnsureFits(long bytes, string what, string alternative)
    {
        long available = AvailableBytes;
        if (bytes > available)
            throw new ResourceLimitException(
                $"{what} needs about {Describe(bytes)} of memory, more than the {Describe(available)} available; {alternative}");
    }

    public static string Describe(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}

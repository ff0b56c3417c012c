using System.Diagnostics;
using System.Globalization;

namespace NtkCluster.Numerics.Diagnostics;

/// <summary>
/// Where a command's time goes, stage by stage, when <c>NTK_TIMING=1</c>: each <see cref="Mark"/> writes one line to
/// stderr with the seconds since the previous mark and since the process started (the runtime's own start-up, before
/// <c>Main</c>, is the first mark's share). Off by default; a disabled mark costs one static field read. Used to
/// profile the fit path (issue 18) without a profiler attached, which would change what it measures.
/// </summary>
public static class StageTimer
{
    /// <summary>Whether <c>NTK_TIMING=1</c> is set.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("NTK_TIMING") == "1";

    private static readonly object Gate = new();
    private static double _last = double.NaN;
    private static double _lastCpu;

    /// <summary>
    /// Writes "ntk: timing: STAGE +Δ s wall, +Δ s CPU (at T s)" when enabled: Δ since the previous mark, CPU of all
    /// this process's threads (steadier than wall time on a shared machine).
    /// </summary>
    public static void Mark(string stage)
    {
        if (!Enabled) return;
        using var self = Process.GetCurrentProcess();
        double now = (DateTime.Now - self.StartTime).TotalSeconds, cpu = self.TotalProcessorTime.TotalSeconds;
        lock (Gate)
        {
            double delta = double.IsNaN(_last) ? now : now - _last, deltaCpu = cpu - _lastCpu;
            (_last, _lastCpu) = (now, cpu);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ntk: timing: {stage} +{delta:0.000} s wall, +{deltaCpu:0.000} s CPU (at {now:0.000} s)"));
        }
    }
}

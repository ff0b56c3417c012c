using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Networks;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// What <c>ntk report</c> runs: the plain-against-leverage sweep over <see cref="FeatureCounts"/> with
/// <see cref="Sweep"/>'s kernel and λ, and both networks at each of <see cref="Widths"/> with <see cref="Network"/>'s
/// settings (its width and init are set per run).
/// </summary>
public sealed record ReportSettings(FitSettings Sweep, int[] FeatureCounts, int Repeats, int ExactRowLimit, NetworkSettings Network, int[] Widths);

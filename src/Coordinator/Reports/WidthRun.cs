using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;

namespace NtkCluster.Coordinator.Reports;

/// <summary>The two networks trained at one width: Gaussian (Def 3.5) and leverage (Def 3.8) initialization.</summary>
public sealed record WidthRun(int Width, NetworkOutcome Gaussian, NetworkOutcome Leverage);

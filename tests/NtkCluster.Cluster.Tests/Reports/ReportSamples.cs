using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Reports;
using NtkCluster.Networks;
using NtkCluster.Numerics.Models;
using NtkCluster.Spectral;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// Outcomes with numbers no figure code could produce by accident — irregular, with long mantissas and with values
/// a series must leave out (NaN, a missing gap) — to check that builders copy numbers rather than compute them.
/// </summary>
internal static class ReportSamples
{
    public static SweepOutcome Sweep(bool withExact = true) => new(
    [
        new SweepPoint(40, "plain", 0.87123456789, 2667.25, 1700.5, 0.5),
        new SweepPoint(10, "plain", 14.27, 3916.125, 3000.0, 0.125),
        new SweepPoint(10, "leverage", 8.4500000001, 4374.0625, 2000.0, 0.75),
        new SweepPoint(20, "plain", 6.03, 3035.5, 2500.0, 0.25),
        new SweepPoint(20, "leverage", double.NaN, 3423.0, 2300.0, 0.3),
        new SweepPoint(40, "leverage", 0.8201, 2625.875, 1650.25, 0.6),
    ], withExact ? 2583.0009765625 : null, true, true, 68.7, 354, 5, 12.5, 1.7, 10000);

    public static WidthRun Run(int width, double gapG, double? gapL, int seed)
    {
        var trajectoryG = new List<TrainingPoint>();
        var trajectoryL = new List<TrainingPoint>();
        for (int i = 0; i <= 4; i++)
        {
            trajectoryG.Add(new TrainingPoint(i * 25, 261.2 / (i + 1) + seed, 1.02 / (i + 1.5), i == 0 ? 0 : 0.01 * i + seed * 1e-3));
            trajectoryL.Add(new TrainingPoint(i * 25, 250.9 / (i + 1) + seed, i == 2 ? null : 1.1 / (i + 1.25), i == 0 ? 0 : 0.013 * i));
        }
        return new WidthRun(width, Outcome(width, gapG, trajectoryG, seed), Outcome(width, gapL, trajectoryL, seed + 1));
    }

    private static NetworkOutcome Outcome(int width, double? gap, List<TrainingPoint> trajectory, int seed) =>
        new(MessageSamples.Network(Math.Min(width, 8), 3, seed), 0.04, 0.5, 0.75, gap is null ? null : gap * 0.9, gap, 0.3, 0.4,
            1.5 + seed, 0.06 + seed * 0.001, 0.0986 + seed * 0.01, 7.5, [$"warning {seed}"], trajectory,
            MessageSamples.Random(30, 1, 3), MessageSamples.Random(10, 1, 4), 1.03);
}

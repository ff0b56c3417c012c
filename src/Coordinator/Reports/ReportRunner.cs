using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// Runs a report's jobs — the same <see cref="SubmitSweep"/> and <see cref="SubmitTrainNetwork"/> jobs as
/// <c>ntk sweep</c> and <c>ntk width-sweep</c> — through a job runner, in this process or on a cluster.
/// </summary>
public static class ReportRunner
{
    public static async Task<(SweepOutcome Sweep, IReadOnlyList<WidthRun> Networks)> RunAsync(IJobRunner runner, Dataset train, Dataset? test,
        ReportSettings settings, Action<string> progress)
    {
        progress($"sweep: plain and leverage features at M = {string.Join(",", settings.FeatureCounts)}, {settings.Repeats} seed(s)");
        var sweep = await runner.RunAsync<SweepOutcome>(new SubmitSweep(train, test, settings.Sweep, settings.FeatureCounts, settings.Repeats,
            settings.ExactRowLimit));
        var runs = new List<WidthRun>();
        foreach (int width in settings.Widths)
        {
            progress($"networks: width {width}, Gaussian and leverage initialization, " +
                     (settings.Network.AutoSteps ? $"steps chosen for convergence (at most {settings.Network.Steps})" : $"{settings.Network.Steps} steps"));
            // The drift curve costs two n×n kernels per block and trajectory point: cheap at a report's sizes.
            var network = settings.Network with { Width = width, Reference = true, TrackKernelDrift = true };
            var gaussian = await runner.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, network with { Init = NetworkInitialization.Gaussian }));
            var leverage = await runner.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, network with { Init = NetworkInitialization.Leverage }));
            runs.Add(new WidthRun(width, gaussian, leverage));
        }
        return (sweep, runs);
    }
}

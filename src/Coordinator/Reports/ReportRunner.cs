using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
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

    /// <summary>
    /// A report on a partitioned dataset: first the jobs that read every row per partition (where the partitions are
    /// read: this process, or the workers of a cluster) — the spectral report at the largest M with plain and with
    /// leverage sampling, and a plain random-feature fit at that M — then the sweep and the networks, which hold n×n
    /// matrices, on the hashed samples <paramref name="train"/> and <paramref name="test"/> (<see cref="ReportSample"/>).
    /// </summary>
    public static async Task<(SweepOutcome Sweep, IReadOnlyList<WidthRun> Networks, PartitionedRun Partitioned)> RunPartitionedAsync(IJobRunner runner,
        Cli.PartitionedData data, Dataset train, Dataset? test, ReportSettings settings, Action<string> progress)
    {
        int m = settings.FeatureCounts.Max();
        var s = settings.Sweep with { Features = m };
        progress($"all {PartitionedData(data)}: spectral report at M = {m}, plain and leverage sampling (ε on a hashed sample of at most {settings.ExactRowLimit} rows)");
        var plain = await runner.RunAsync<SpectralOutcome>(data.SpectralSubmission(s with { Sampling = FeatureSampling.Plain }, 0.25, 0.1, settings.ExactRowLimit));
        var leverage = await runner.RunAsync<SpectralOutcome>(data.SpectralSubmission(s with { Sampling = FeatureSampling.Leverage }, 0.25, 0.1,
            settings.ExactRowLimit));
        long columns = (long)m * NtkCluster.Numerics.Kernels.KernelSpec.Parse(s.KernelSpec).FeatureDimension(data.Columns.FeatureNames.Length);
        FitOutcome? fit = null;
        string? skipped = null;
        if (columns <= plain.Rows)
        {
            progress($"all {PartitionedData(data)}: plain random features at M = {m}, fitted per partition");
            fit = await runner.RunAsync<FitOutcome>(data.Submission(s with { Sampling = FeatureSampling.Plain, Exact = false }));
        }
        else
            skipped = $"{columns} feature columns at M = {m} exceed the {plain.Rows} training rows, so a fit would take the dual form, which needs all rows in one place";
        var (sweep, runs) = await RunAsync(runner, train, test, settings, progress);
        return (sweep, runs, new PartitionedRun(data.Train.Source, data.Train.Partitions.Count, train.Rows, test?.Rows, m, plain, leverage, fit, skipped));
    }

    private static string PartitionedData(Cli.PartitionedData data) => Cli.PartitionedData.Describe(data.Train);
}

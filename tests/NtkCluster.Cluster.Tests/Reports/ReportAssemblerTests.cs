using NtkCluster.Coordinator.Jobs;
using NtkCluster.Coordinator.Reports;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Models;
using Xunit;

namespace NtkCluster.Cluster.Tests.Reports;

/// <summary>
/// The findings about training: whether every network converged (the trainer's exponent against
/// <see cref="NetworkTrainer.ConvergedExponent"/>), which did not, and when a network came closer to u* than where it
/// ended — so the reader can tell unfinished training from what width leaves.
/// </summary>
public sealed class ReportAssemblerTests
{
    private static readonly ReportContext Context = new("data.csv", "none", 30, null, 3, "y", "none", "here", "managed", "0", DateTimeOffset.UnixEpoch, 1, "ntk report");

    private static ReportSettings Settings(bool auto) => new(new FitSettings { KernelSpec = "rbf:gamma=1", Lambda = 0.1 }, [10, 20, 40], 1, 3000,
        new NetworkSettings { Width = 100, Lambda = 0.01, Steps = 500, AutoSteps = auto }, [100, 400]);

    private static WidthRun WithExponents(WidthRun run, double gaussian, double leverage) =>
        run with { Gaussian = run.Gaussian with { ConvergenceExponent = gaussian }, Leverage = run.Leverage with { ConvergenceExponent = leverage } };

    [Fact]
    public void Says_every_network_converged_only_when_each_exponent_reaches_the_target()
    {
        var runs = new[] { WithExponents(ReportSamples.Run(100, 0.3, 0.4, 1), 5.0, 5.2), WithExponents(ReportSamples.Run(400, 0.2, 0.25, 2), 6.1, 5.0) };
        var doc = ReportAssembler.Build(Context, Settings(auto: true), ReportSamples.Sweep(), runs);
        Assert.Contains(doc.Findings, f => f.StartsWith("Every network trained to convergence (η·T·(κ²λₘᵢₙ(H)+λ) from 5 to 6.1", StringComparison.Ordinal));

        runs[1] = WithExponents(runs[1], 6.1, 4.99);
        doc = ReportAssembler.Build(Context, Settings(auto: true), ReportSamples.Sweep(), runs);
        Assert.Contains(doc.Findings, f => f.StartsWith("1 of 4 networks did not train to convergence", StringComparison.Ordinal) && f.Contains("not converged: width 400 leverage"));
        Assert.DoesNotContain(doc.Findings, f => f.StartsWith("Every network", StringComparison.Ordinal));
        // The settings name the rule and every network's steps.
        Assert.Contains(doc.Facts, f => f.Key == "networks" && f.Value.Contains("--steps auto") && f.Value.Contains("at most 500") && f.Value.Contains("width 400:"));
        Assert.Contains(ReportAssembler.Build(Context, Settings(auto: false), ReportSamples.Sweep(), runs).Facts,
            f => f.Key == "networks" && f.Value.Contains(", 500 steps,"));
    }

    [Fact]
    public void Names_a_training_gap_that_rose_after_its_smallest_value()
    {
        var run = ReportSamples.Run(400, 0.2, 0.25, 2);
        // Falling to the end (the samples' Gaussian gaps): no finding. Smallest at step 50, then up by 20%: a finding.
        var rising = new List<TrainingPoint> { new(0, 9, 1.0), new(25, 8, 0.5), new(50, 7, 0.25), new(75, 6, 0.28), new(100, 5, 0.3) };
        var doc = ReportAssembler.Build(Context, Settings(auto: true), ReportSamples.Sweep(), [ReportSamples.Run(100, 0.3, 0.4, 1), run]);
        Assert.DoesNotContain(doc.Findings, f => f.Contains("did not fall to the end"));

        run = run with { Leverage = run.Leverage with { Trajectory = rising } };
        doc = ReportAssembler.Build(Context, Settings(auto: true), ReportSamples.Sweep(), [ReportSamples.Run(100, 0.3, 0.4, 1), run]);
        var finding = Assert.Single(doc.Findings, f => f.Contains("did not fall to the end"));
        Assert.Contains("At width 400", finding);
        Assert.Contains("the leverage network's was smallest (0.25) at step 50 and 0.3 at its last step 100", finding);
        Assert.DoesNotContain("Gaussian network's", finding);
    }
}

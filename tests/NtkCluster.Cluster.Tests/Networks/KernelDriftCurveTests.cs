using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Networks;

/// <summary>
/// <see cref="NetworkSettings.TrackKernelDrift"/>: the kernel drift recorded at step t during a run is exactly the
/// final drift of a run stopped at step t, and watching it does not change the training.
/// </summary>
public sealed class KernelDriftCurveTests
{
    [Fact]
    public async Task The_drift_at_each_recorded_step_is_the_drift_of_a_run_stopped_there()
    {
        var data = TestData.Regression(80, 3, 11);
        // Two neuron blocks (1024 + 476), so each point sums two blocks' kernels.
        var settings = new NetworkSettings { Width = 1500, Lambda = 0.01, Steps = 20, Seed = 3, Standardize = true, Normalize = true };
        await using var cluster = await LocalCluster.StartAsync(2);
        var tracked = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(data, null, settings with { TrackKernelDrift = true }));
        var plain = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(data, null, settings));
        var stopped = await cluster.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(data, null, settings with { Steps = 10 }));

        Assert.Equal(Enumerable.Range(0, 21), tracked.Trajectory.Select(p => p.Step)); // T/20 = 1: every step
        Assert.Equal(0.0, tracked.Trajectory[0].KernelDrift);
        Assert.True(tracked.PatternFlips > 0 && tracked.KernelDrift > 0, $"patterns flipped {tracked.PatternFlips}, drift {tracked.KernelDrift}: the test needs a moving kernel");
        Assert.Equal(stopped.KernelDrift, tracked.Trajectory[10].KernelDrift);
        Assert.Equal(tracked.KernelDrift, tracked.Trajectory[^1].KernelDrift);
        Assert.Contains(tracked.Trajectory, p => p.KernelDrift > 0 && p.KernelDrift < tracked.KernelDrift);

        // Watching the kernel does not change the training, and is off by default.
        Assert.Equal(plain.Trajectory.Select(p => (p.Step, p.Loss, p.TrainGap)), tracked.Trajectory.Select(p => (p.Step, p.Loss, p.TrainGap)));
        Assert.Equal(plain.Model.Weights.ToColumnMajorArray(), tracked.Model.Weights.ToColumnMajorArray());
        Assert.All(plain.Trajectory, p => Assert.Null(p.KernelDrift));
    }
}

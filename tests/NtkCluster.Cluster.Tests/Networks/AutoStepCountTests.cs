using NtkCluster.Coordinator.Jobs;
using NtkCluster.Networks;
using Xunit;

namespace NtkCluster.Cluster.Tests.Networks;

/// <summary>
/// <see cref="NetworkTrainer.AutoStepCount"/>: the fewest steps whose convergence exponent rate·T reaches
/// <see cref="NetworkTrainer.ConvergedExponent"/> — so one step fewer would not — and never more than the cap.
/// </summary>
public sealed class AutoStepCountTests
{
    [Theory]
    [InlineData(1.08e-3)]   // diabetes at λ = 0.01: about 4600 steps
    [InlineData(0.1)]       // exactly 50 steps in real numbers; floating point must not leave rate·50 just below 5
    [InlineData(0.3)]
    [InlineData(7.0)]       // a rate above the target: one step
    [InlineData(1.0 / 3)]
    public void Picks_the_fewest_steps_that_reach_the_target(double rate)
    {
        int steps = NetworkTrainer.AutoStepCount(rate, 1_000_000);
        Assert.True(rate * steps >= NetworkTrainer.ConvergedExponent, $"rate {rate}: {steps} steps give {rate * steps}");
        if (steps > 1) Assert.True(rate * (steps - 1) < NetworkTrainer.ConvergedExponent, $"rate {rate}: {steps - 1} steps would already do");
    }

    [Theory]
    [InlineData(1e-6, 20000)]
    [InlineData(0.0, 300)]            // λ_min = 0 and λ → 0: no number of steps converges
    [InlineData(double.NaN, 300)]
    [InlineData(-1.0, 5)]
    public void Stops_at_the_cap_when_the_rate_needs_more_or_is_not_positive(double rate, int cap) =>
        Assert.Equal(cap, NetworkTrainer.AutoStepCount(rate, cap));

    [Fact]
    public void Reaches_the_target_exactly_at_the_cap() => Assert.Equal(50, NetworkTrainer.AutoStepCount(0.1, 50));

    [Fact]
    public void A_cap_below_one_step_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkTrainer.AutoStepCount(0.1, 0));
}

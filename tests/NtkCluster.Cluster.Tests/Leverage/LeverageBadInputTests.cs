using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>
/// Bad options of <c>ntk spectral</c> and <c>ntk sweep</c> (and the leverage options they share with fit): exit
/// code 2, exactly one line on stderr naming the problem, no stack trace, nothing on stdout.
/// </summary>
public sealed class LeverageBadInputTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();
    private readonly string _train;

    public LeverageBadInputTests() => _train = _dir.Write("train.csv", TestData.Csv(30, seed: 3));

    public void Dispose() => _dir.Dispose();

    private Task<CliRun> Spectral(params string[] extra) =>
        Ntk.RunAsync(["spectral", "--train", _train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", .. extra]);

    private Task<CliRun> Sweep(params string[] extra) =>
        Ntk.RunAsync(["sweep", "--train", _train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--workers", "1", .. extra]);

    private static void AssertBadInput(CliRun run, params string[] mustContain)
    {
        Assert.True(run.ExitCode == 2, $"expected exit code 2\n{run}");
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.True(run.StderrLines.Length == 1, $"expected exactly one line on stderr\n{run}");
        Assert.True(run.Stdout.Length == 0, $"expected nothing on stdout\n{run}");
        foreach (var text in mustContain) Assert.Contains(text, run.StderrLines[0]);
    }

    [Fact]
    public async Task Spectral_without_features() => AssertBadInput(await Spectral(), "--features");

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    public async Task Spectral_with_a_non_positive_eps(string eps) =>
        AssertBadInput(await Spectral("--features", "10", "--eps", eps), "--eps");

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("1")]
    public async Task Spectral_with_delta_outside_the_unit_interval(string delta) =>
        AssertBadInput(await Spectral("--features", "10", "--delta", delta), "--delta", delta);

    [Fact]
    public async Task Spectral_with_an_unknown_sampling() =>
        AssertBadInput(await Spectral("--features", "10", "--sampling", "magic"), "--sampling", "magic");

    [Fact]
    public async Task Spectral_with_an_unknown_leverage_mode() =>
        AssertBadInput(await Spectral("--features", "10", "--sampling", "leverage", "--leverage", "fast"), "--leverage", "fast");

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Spectral_with_a_pool_that_is_not_positive(string pool) =>
        AssertBadInput(await Spectral("--features", "10", "--sampling", "leverage", "--pool", pool), "--pool");

    [Fact]
    public async Task Spectral_with_a_zero_first_stage() =>
        AssertBadInput(await Spectral("--features", "10", "--sampling", "leverage", "--first-stage", "0"), "--first-stage");

    [Fact]
    public async Task Sweep_with_a_feature_count_that_is_not_a_number() =>
        AssertBadInput(await Sweep("--features", "10,abc"), "--features", "abc");

    [Fact]
    public async Task Sweep_with_a_solver() =>
        AssertBadInput(await Sweep("--features", "10", "--solver", "exact"), "--solver");

    [Fact]
    public async Task Sweep_with_a_sampling() =>
        AssertBadInput(await Sweep("--features", "10", "--sampling", "leverage"), "--sampling");
}

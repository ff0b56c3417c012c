using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>
/// The paper's claim (Theorem 3.3 against plain sampling's bound), as a regression test on real data: at the same M,
/// features drawn from the ridge leverage distribution approximate K+λI much better than features drawn from p.
/// Diabetes (442 × 10, the dataset embedded in the program for <c>ntk demo</c>, loaded through
/// <see cref="DemoCommand.LoadEmbedded"/> so no file path is involved), standardized, rbf γ = 0.1, λ = 1e-3,
/// M = 400, ε exact on all rows, through the actors (SpectralAnalyzer on a local cluster).
/// </summary>
public sealed class PaperClaimTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Leverage_sampling_halves_the_median_spectral_error_on_diabetes()
    {
        var data = DemoCommand.LoadEmbedded();
        Assert.Equal(442, data.Rows);
        Assert.Equal(10, data.FeatureNames.Length);

        await using var cluster = await LocalCluster.StartAsync(2);
        var epsilons = new Dictionary<string, List<double>> { ["plain"] = new(), ["leverage"] = new() };
        foreach (ulong seed in new ulong[] { 0, 1, 2 })
        {
            foreach (var sampling in new[] { "plain", "leverage" })
            {
                var settings = new FitSettings
                {
                    KernelSpec = "rbf:gamma=0.1", Lambda = 1e-3, Features = 400, Sampling = OptionNames.ParseSampling(sampling), Seed = seed, Standardize = true,
                };
                var r = await cluster.RunAsync<SpectralOutcome>(new SubmitSpectral(data, settings, 0.25, 0.1, 3000));
                Assert.True(r.EpsilonIsExact);
                Assert.Equal(442, r.RowsUsed);
                Assert.Equal(sampling, r.Sampling);
                Assert.True(double.IsFinite(r.Epsilon) && r.Epsilon > 0, $"ε = {r.Epsilon}");
                output.WriteLine($"seed {seed} {sampling,-8}: ε = {r.Epsilon:G4}, s_λ = {r.SLambda:G5}, s_q = {r.SQ:G5}, m_bound = {r.MBound:G4}, {r.Seconds:F2} s");
                epsilons[sampling].Add(r.Epsilon);
            }
        }
        double plain = epsilons["plain"].Order().ElementAt(1), leverage = epsilons["leverage"].Order().ElementAt(1); // medians of three
        output.WriteLine($"median ε: plain {plain:G4}, leverage {leverage:G4}, ratio {leverage / plain:G3}");
        Assert.True(leverage <= 0.5 * plain, $"median ε with leverage sampling {leverage:G4} is not ≤ half of plain sampling's {plain:G4}");
    }
}

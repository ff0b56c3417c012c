using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Spectral;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>
/// <c>ntk spectral</c> in-process on the 300-row letters sample of the numpy spectral fixture: s_λ against numpy,
/// Theorem 3.3's m_bound recomputed from the report's own s_q and s_λ, s_q chosen per sampling as the theorem
/// requires, and ε against the same measurement done here from independently standardized data.
/// </summary>
public sealed class SpectralCliTests(ITestOutputHelper output) : IDisposable
{
    private const double Gamma = 0.05, Lambda = 0.1;
    private const int Features = 100;
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<JsonElement> Spectral(string train, params string[] extra)
    {
        var run = await Ntk.RunAsync(["spectral", "--train", train, "--kernel", "rbf:gamma=0.05", "--lambda", "0.1",
            "--features", "100", "--standardize", "--json", .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        output.WriteLine(run.Stdout);
        return LeverageFixtures.LastLineJson(run);
    }

    private static double Number(JsonElement json, string name)
    {
        Assert.True(json.TryGetProperty(name, out var v), $"JSON has no \"{name}\"");
        Assert.Equal(JsonValueKind.Number, v.ValueKind);
        return v.GetDouble();
    }

    /// <summary>Theorem 3.3: m ≥ 3ε⁻²·s_q·ln(16·s_q·s_λ/δ).</summary>
    private static double TheoremM(double eps, double delta, double sq, double sLambda) =>
        3.0 / (eps * eps) * sq * Math.Log(16.0 * sq * sLambda / delta);

    [Fact]
    public async Task Plain_and_exact_leverage_reports_match_numpy_and_the_theorem()
    {
        string train = _dir.Write("letters-300.csv", LeverageFixtures.LettersHead(300));
        double reference = LeverageFixtures.FixtureStatisticalDimension("rbf", Lambda);

        var plain = await Spectral(train);
        var leverage = await Spectral(train, "--sampling", "leverage");

        foreach (var (json, sampling) in new[] { (plain, "plain"), (leverage, "leverage") })
        {
            Assert.Equal("spectral", json.GetProperty("command").GetString());
            Assert.Equal(sampling, json.GetProperty("sampling").GetString());
            Assert.Equal("exact", json.GetProperty("score_mode").GetString()); // auto: 300 rows ≤ 4000
            Assert.Equal(300, json.GetProperty("rows").GetInt32());
            Assert.True(json.GetProperty("epsilon_exact").GetBoolean());
            Assert.True(json.GetProperty("s_lambda_exact").GetBoolean());
            double epsilon = Number(json, "epsilon"), sLambda = Number(json, "s_lambda"), mBound = Number(json, "m_bound");
            double sq = Number(json, "s_q"), eps = Number(json, "eps"), delta = Number(json, "delta");
            Assert.True(double.IsFinite(epsilon) && epsilon > 0, $"epsilon {epsilon}");
            Assert.Equal(0.25, eps);
            Assert.Equal(0.1, delta);
            LeverageFixtures.AssertRelative(reference, sLambda, 1e-6, $"{sampling}: s_lambda against numpy");
            LeverageFixtures.AssertRelative(TheoremM(eps, delta, sq, sLambda), mBound, 1e-12, $"{sampling}: m_bound from the JSON's s_q and s_lambda");
            Assert.True(sq >= sLambda * (1 - 1e-12), $"{sampling}: s_q {sq} below s_lambda {sLambda}");
        }

        // Plain sampling: q̃ = p·sup τ, estimated by the pool's max τ. Exact leverage sampling: q̃ = q_λ, s_q = s_λ.
        Assert.Equal(Number(plain, "tau_max"), Number(plain, "s_q"));
        Assert.Equal(Number(leverage, "s_lambda"), Number(leverage, "s_q"));
        // The pool's mean τ estimates s_λ (eq. 4): 10 000 candidates, loosely.
        LeverageFixtures.AssertRelative(Number(plain, "s_lambda"), Number(plain, "tau_mean"), 0.05, "mean τ over the pool against s_lambda");
        // Leverage sampling needs fewer features by the theorem, since s_q drops from max τ to s_λ.
        Assert.True(Number(leverage, "m_bound") < Number(plain, "m_bound"));
        // A clear statement of the caveat the theorem needs (ε = 0.25 < 1/2, λ < ‖K‖ = 88): none.
        Assert.Equal("", plain.GetProperty("caveats").GetString());

        // ε of the plain draw, measured here from data standardized without project code (population std).
        var x = ReadStandardized(train);
        var kernel = new RbfKernel(Gamma);
        var psi = FeatureMap.Build(PlainSampler.Sample(kernel, 16, Features, seed: 0), x);
        double expectedEpsilon = SpectralApproximation.Measure(kernel.Evaluate(x, x), psi, Lambda).Epsilon;
        LeverageFixtures.AssertRelative(expectedEpsilon, Number(plain, "epsilon"), 1e-8, "plain epsilon against the library on independently standardized data");
        output.WriteLine($"ε plain {Number(plain, "epsilon"):G5}, ε leverage {Number(leverage, "epsilon"):G5}");
    }

    /// <summary>The 16 feature columns (all but the last), z-scored with the population standard deviation.</summary>
    private static Matrix<double> ReadStandardized(string path)
    {
        var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Take(16).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        for (int j = 0; j < x.ColumnCount; j++)
        {
            double mean = x.Column(j).Average();
            double sd = Math.Sqrt(x.Column(j).Select(v => (v - mean) * (v - mean)).Average());
            for (int i = 0; i < x.RowCount; i++) x[i, j] = (x[i, j] - mean) / sd;
        }
        return x;
    }
}

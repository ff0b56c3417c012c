using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Tools;

/// <summary>
/// <c>ntk features</c>: Ψ(X) against scikit-learn's RBFSampler.transform and a numpy NTK feature map
/// (Fixtures/features/make_features_fixture.py), Ψ·β against <c>ntk predict</c>, ΨΨᵀ against the rbf kernel, and
/// the refusals.
/// </summary>
public sealed class FeaturesCommandTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "features", name);

    private async Task<double[][]> Features(string model, string data, params string[] extra)
    {
        string output = _dir.PathOf("features-" + Guid.NewGuid().ToString("N") + ".csv");
        var run = await Ntk.RunAsync(["features", "--model", model, "--data", data, "--out", output, .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(_dir.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        var (header, rows) = TestData.Parse(output);
        Assert.Equal(Enumerable.Range(0, header.Length).Select(j => $"f{j}"), header);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        return rows;
    }

    [Theory]
    [InlineData("rbf", 6)]
    [InlineData("ntk", 12)]
    public async Task Features_match_the_independent_reference_after_the_models_preprocessing(string kernel, int columns)
    {
        var actual = await Features(Fixture($"{kernel}-model.json"), Fixture("data.csv"));
        var (_, expected) = TestData.Parse(Fixture($"expected-{kernel}.csv"));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(columns, actual[i].Length);
            for (int j = 0; j < columns; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-12, $"row {i} column {j}: expected {expected[i][j]:R}, got {actual[i][j]:R}");
        }
    }

    [Fact]
    public async Task Without_out_the_matrix_goes_to_stdout()
    {
        var run = await Ntk.RunAsync("features", "--model", Fixture("rbf-model.json"), "--data", Fixture("data.csv"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var file = _dir.Write("stdout.csv", run.Stdout);
        var (header, rows) = TestData.Parse(file);
        Assert.Equal(["f0", "f1", "f2", "f3", "f4", "f5"], header);
        var (_, expected) = TestData.Parse(Fixture("expected-rbf.csv"));
        Assert.Equal(expected.Length, rows.Length);
        Assert.Equal(expected[0][3], rows[0][3], 12);
    }

    /// <summary>The model file's β and target scaling, read from its JSON directly (docs/model-format.md).</summary>
    private static (double[,] Beta, double Mean, double Scale) Coefficients(string model)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var root = doc.RootElement;
        var c = root.GetProperty("coefficients");
        int rows = c.GetProperty("rows").GetInt32(), cols = c.GetProperty("cols").GetInt32();
        var values = c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var beta = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) beta[i, j] = values[i * cols + j];
        var pre = root.GetProperty("preprocessing");
        return (beta, pre.GetProperty("target_means")[0].GetDouble(), pre.GetProperty("target_scales")[0].GetDouble());
    }

    [Theory]
    [InlineData("rbf:gamma=0.4", "leverage")]
    [InlineData("ntk", "plain")]
    [InlineData("laplace:gamma=0.3", "plain")]
    public async Task Psi_times_beta_is_what_predict_outputs(string kernel, string sampling)
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 1)), data = _dir.Write("new.csv", TestData.Csv(23, seed: 2));
        string model = _dir.PathOf("model.json"), predictions = _dir.PathOf("predictions.csv");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", kernel, "--lambda", "0.05", "--features", "80", "--sampling", sampling,
            "--standardize", "--scale-target", "--normalize", "--model", model, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", data, "--out", predictions, "--quiet");
        Assert.True(predict.ExitCode == 0, predict.ToString());

        var psi = await Features(model, data);
        var (beta, mean, scale) = Coefficients(model);
        var (_, predicted) = TestData.Parse(predictions);
        Assert.Equal(predicted.Length, psi.Length);
        Assert.Equal(beta.GetLength(0), psi[0].Length);
        // Relative to the sums' own size Σ|ψ_j·β_j| (at least the prediction's): predict adds the same products in
        // another order (BLAS blocks), and rounding scales with the terms, not with a result that may cancel.
        for (int i = 0; i < psi.Length; i++)
        {
            double f = 0, magnitude = 0;
            for (int j = 0; j < psi[i].Length; j++) { f += psi[i][j] * beta[j, 0]; magnitude += Math.Abs(psi[i][j] * beta[j, 0]); }
            double y = f * scale + mean;
            double size = Math.Max(Math.Abs(predicted[i][0]), magnitude * scale);
            Assert.True(Math.Abs(y - predicted[i][0]) <= 1e-12 * size, $"row {i}: Ψβ gives {y:R}, predict {predicted[i][0]:R}");
        }
    }

    [Fact]
    public async Task Psi_psi_transpose_approximates_the_rbf_kernel_within_the_monte_carlo_error()
    {
        const int m = 4000;
        const double gamma = 0.3;
        string train = _dir.Write("train.csv", TestData.Csv(30, seed: 3)), data = _dir.Write("new.csv", TestData.Csv(15, seed: 4));
        string model = _dir.PathOf("rbf.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", $"rbf:gamma={gamma}", "--lambda", "0.1", "--features", $"{m}",
            "--model", model, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var psi = await Features(model, data);
        var (_, rows) = TestData.Parse(data);
        // Each entry of ΨΨᵀ is a mean of M independent terms 2cos(wᵀx+b)cos(wᵀz+b) with variance at most 2.
        double sigma = Math.Sqrt(2.0 / m), worst = 0, worstWrongGamma = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            for (int k = 0; k < rows.Length; k++)
            {
                double approx = 0, distance = 0;
                for (int j = 0; j < psi[i].Length; j++) approx += psi[i][j] * psi[k][j];
                for (int c = 0; c < 3; c++) distance += (rows[i][c] - rows[k][c]) * (rows[i][c] - rows[k][c]);
                worst = Math.Max(worst, Math.Abs(approx - Math.Exp(-gamma * distance)));
                worstWrongGamma = Math.Max(worstWrongGamma, Math.Abs(approx - Math.Exp(-2 * gamma * distance)));
            }
        }
        Assert.True(worst <= 5 * sigma, $"max |ΨΨᵀ − K| = {worst:G4}, 5σ = {5 * sigma:G4}");
        // The check can tell kernels apart: the same features are far from the kernel with twice the gamma.
        Assert.True(worstWrongGamma > 5 * sigma, $"max |ΨΨᵀ − K(2γ)| = {worstWrongGamma:G4}");
    }

    [Fact]
    public async Task Exact_and_network_models_are_refused_with_one_line()
    {
        string train = _dir.Write("train.csv", TestData.Csv(25, seed: 5));
        string exact = _dir.PathOf("exact.json"), network = _dir.PathOf("network.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--kernel", "rbf:gamma=0.5", "--lambda", "0.1", "--solver", "exact", "--model", exact, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var nn = await Ntk.RunAsync("train-nn", "--train", train, "--width", "8", "--lambda", "0.1", "--steps", "2", "--no-reference", "--model", network, "--quiet");
        Assert.True(nn.ExitCode == 0, nn.ToString());
        foreach (var (model, expected) in new[] { (exact, "exact KRR model has no finite feature map"), (network, "network model has no fixed feature map") })
        {
            string output = _dir.PathOf("out.csv");
            var run = await Ntk.RunAsync("features", "--model", model, "--data", train, "--out", output);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Single(run.StderrLines);
            Assert.Contains(expected, run.Stderr);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public async Task Data_without_a_model_column_is_refused_with_one_line()
    {
        string data = _dir.Write("bad.csv", "x1,x3,y\n1,2,3\n");
        var run = await Ntk.RunAsync("features", "--model", Fixture("rbf-model.json"), "--data", data);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("x2", run.Stderr);
        Assert.Empty(run.Stdout);
    }
}

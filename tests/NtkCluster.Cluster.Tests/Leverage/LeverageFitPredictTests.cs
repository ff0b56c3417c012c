using System.Text.Json;
using NtkCluster.Cluster.Tests.Cli;
using Xunit;

namespace NtkCluster.Cluster.Tests.Leverage;

/// <summary>
/// <c>ntk fit --sampling leverage --model M</c> then <c>ntk predict</c>: the leverage weights p/q (Def 3.2) are part
/// of the feature map, so the predictions reproduce the fit's test error only if they survive the model file.
/// </summary>
public sealed class LeverageFitPredictTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("40", "primal")]   // 40 columns ≤ 60 rows
    [InlineData("150", "dual")]    // 150 columns > 60 rows
    public async Task Predict_reproduces_the_leverage_fit_test_error(string features, string formulation)
    {
        string train = _dir.Write("train.csv", TestData.Csv(60, seed: 1));
        string test = _dir.Write("test.csv", TestData.Csv(25, seed: 2));
        string model = _dir.PathOf("model.json");
        var fit = await Ntk.RunAsync("fit", "--train", train, "--test", test, "--kernel", "rbf:gamma=0.5", "--lambda", "0.01",
            "--features", features, "--sampling", "leverage", "--standardize", "--model", model, "--json");
        Assert.True(fit.ExitCode == 0, fit.ToString());

        var json = LeverageFixtures.LastLineJson(fit);
        Assert.Equal("leverage", json.GetProperty("sampling").GetString());
        Assert.Equal("exact", json.GetProperty("leverage_mode").GetString());
        Assert.Equal(formulation, json.GetProperty("formulation").GetString());
        double testMse = json.GetProperty("test_mse").GetDouble();
        Assert.True(double.IsFinite(testMse) && testMse > 0, $"test_mse {testMse}");

        // The model file carries the weights, and they are not all 1 (else this test could not see them dropped).
        using (var doc = JsonDocument.Parse(File.ReadAllText(model)))
        {
            Assert.Equal("leverage", doc.RootElement.GetProperty("sampling").GetString());
            var weights = doc.RootElement.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToArray();
            Assert.Equal(int.Parse(features), weights.Length);
            Assert.All(weights, w => Assert.True(double.IsFinite(w) && w > 0));
            Assert.True(weights.Distinct().Count() > 1, "all weights equal");
        }

        string predictions = _dir.PathOf("predictions.csv");
        var predict = await Ntk.RunAsync("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var (header, rows) = TestData.Parse(predictions);
        Assert.Equal(new[] { "prediction" }, header);
        var (_, truth) = TestData.Parse(test);
        Assert.Equal(truth.Length, rows.Length);
        double mse = truth.Zip(rows, (t, p) => (t[^1] - p[0]) * (t[^1] - p[0])).Average();
        LeverageFixtures.AssertRelative(testMse, mse, 1e-9, "test MSE recomputed from predict's output");
    }
}

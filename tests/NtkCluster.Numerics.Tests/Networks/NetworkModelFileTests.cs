using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Tests.Data;
using Xunit;
using static NtkCluster.Numerics.Tests.Networks.NetworkTestSupport;

namespace NtkCluster.Numerics.Tests.Networks;

/// <summary>A trained network through the model file: <see cref="ModelFile.Save(NetworkModel, string)"/> and back.</summary>
public sealed class NetworkModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (NetworkModel Model, Matrix<double> RawX) Model(int width, bool leverage)
    {
        var rng = new System.Random(31);
        // Raw rows in non-unit scales, so preprocessing matters, and awkward doubles in the weights.
        var rawX = Matrix<double>.Build.Dense(25, 3, (_, j) => (j + 1) * 7 * rng.NextDouble() - j);
        var rawY = Matrix<double>.Build.Dense(25, 1, (i, _) => 50 + Math.Sin(rawX[i, 0]) * rawX[i, 1]);
        var pre = Preprocessor.Fit(rawX, rawY, standardize: true, scaleTarget: true, normalize: true);
        var w = GaussianMatrix(width, 3, rng);
        w[0, 0] = 0.1 + 0.2;
        w[1, 1] = 1e-300;
        w[2, 2] = -double.Epsilon;
        w[3, 0] = 1.0 / 3.0;
        var factors = leverage ? RandomFactors(width, rng) : Enumerable.Repeat(1.0, width).ToArray();
        if (leverage) factors[0] = Math.PI * 1e-7;
        var model = new NetworkModel
        {
            ProgramVersion = "test", FeatureNames = ["a", "b", "c"], TargetNames = ["y"], Preprocessing = pre,
            Init = leverage ? "leverage" : "gaussian", Leverage = leverage ? new LeverageProvenance("scalable", 31000) : null,
            Seed = 12345678901234567UL,
            Setup = new NetworkSetup(width, 0.37, 0.0123, 0.789), Steps = 4321,
            Weights = w, Signs = RandomSigns(width, rng), Factors = factors,
        };
        return (model, rawX);
    }

    private static Matrix<double> Predict(IPredictiveModel m, Matrix<double> rawX) =>
        m.Preprocessing.InverseTransformTargets(m.PredictTransformed(m.Preprocessing.TransformFeatures(rawX)));

    [Theory]
    [InlineData(40, false)]
    [InlineData(1500, true)] // wider than one neuron block of the trainer
    public void Network_model_round_trips_bitwise(int width, bool leverage)
    {
        var (model, rawX) = Model(width, leverage);
        string path = _dir.PathOf("net.json");
        ModelFile.Save(model, path);
        var loaded = Assert.IsType<NetworkModel>(ModelFile.LoadAny(path));

        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.TargetNames, loaded.TargetNames);
        Assert.Equal(model.Init, loaded.Init);
        Assert.Equal(model.Leverage, loaded.Leverage);
        Assert.Equal(leverage, loaded.Leverage is { Mode: "scalable", Pool: 31000 });
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(model.Steps, loaded.Steps);
        Assert.Equal(model.Setup, loaded.Setup);
        Assert.Equal(Bits(model.Weights), Bits(loaded.Weights));
        Assert.Equal(Bits(model.Signs), Bits(loaded.Signs));
        Assert.Equal(Bits(model.Factors), Bits(loaded.Factors));
        Assert.Equal(Bits(model.Preprocessing.FeatureMeans), Bits(loaded.Preprocessing.FeatureMeans));
        Assert.Equal(Bits(model.Preprocessing.FeatureScales), Bits(loaded.Preprocessing.FeatureScales));
        Assert.Equal(Bits(model.Preprocessing.TargetMeans), Bits(loaded.Preprocessing.TargetMeans));
        Assert.Equal(Bits(model.Preprocessing.TargetScales), Bits(loaded.Preprocessing.TargetScales));
        Assert.Equal(model.Preprocessing.Normalize, loaded.Preprocessing.Normalize);

        var before = Predict(model, rawX);
        var after = Predict(loaded, rawX);
        Assert.Equal(Bits(before), Bits(after));

        // The predictions are κ·f(W,x) of Def 3.5 in the target's units.
        var x = model.Preprocessing.TransformFeatures(rawX);
        var f = F(model.Weights, model.Signs, model.Factors, width, x);
        var expected = model.Preprocessing.InverseTransformTargets(Matrix<double>.Build.Dense(x.RowCount, 1, (i, _) => 0.37 * f[i]));
        double rel = (after - expected).FrobeniusNorm() / expected.FrobeniusNorm();
        Assert.True(rel < 1e-13, $"relative difference to Def 3.5: {rel:E2}");
        Assert.True(Predict(loaded, rawX).Column(0).Distinct().Count() > 20, "predictions are degenerate");
    }

    [Fact]
    public void Kernel_ridge_loader_refuses_a_network_file_saying_so()
    {
        var (model, _) = Model(10, false);
        string path = _dir.PathOf("net.json");
        ModelFile.Save(model, path);
        var e = Assert.Throws<InvalidInputException>(() => ModelFile.Load(path));
        Assert.Contains("network", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_network_file_with_inconsistent_signs_is_refused()
    {
        var (model, _) = Model(10, false);
        string path = _dir.PathOf("net.json");
        ModelFile.Save(model, path);
        string text = File.ReadAllText(path);
        int at = text.IndexOf("\"signs\":[", StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        int value = at + "\"signs\":[".Length;
        int comma = text.IndexOf(',', value);
        File.WriteAllText(path, text[..value] + "0.5" + text[comma..]);
        var e = Assert.Throws<InvalidInputException>(() => ModelFile.LoadAny(path));
        Assert.Contains("signs", e.Message);
    }
}

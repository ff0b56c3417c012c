using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Serialization;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// A network model's categorical encoding travels as a kernel model's does (the same preprocessing codec): in its
/// JSON file and in the binary payload, with the fills; and a network model file written before networks stored an
/// encoding still loads, without one, and predicts what its weights say.
/// </summary>
public sealed class NetworkModelEncodingTests
{
    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void A_network_model_with_an_encoding_makes_the_trip_in_its_file_and_its_payload()
    {
        var sample = MessageSamples.Network(30, 5, 3);
        CategoricalColumn[] encoding =
        [
            new() { Name = "body", Categories = ["Suv", "sedan"], Fill = "sedan" },
            new() { Name = "grade", Codes = true, Categories = ["2", "10"] },
        ];
        var model = new NetworkModel
        {
            ProgramVersion = sample.ProgramVersion, FeatureNames = ["x1", "body=Suv", "body=sedan", "grade=2", "grade=10"], TargetNames = sample.TargetNames,
            Preprocessing = sample.Preprocessing, Init = sample.Init, Leverage = sample.Leverage, Seed = sample.Seed, Setup = sample.Setup, Steps = sample.Steps,
            Weights = sample.Weights, Signs = sample.Signs, Factors = sample.Factors,
        }.WithPreprocessing(sample.Preprocessing.WithMissing(MissingPolicy.Median, [1, 2, 3, 4, 5]).WithCategorical(encoding));
        // A checkpoint keeps its resume state when the encoding is added to it (NetworkCheckpointing.Remember).
        var checkpoint = MessageSamples.CheckpointedNetwork(30, 5, 4);
        Assert.Same(checkpoint.Checkpoint, checkpoint.WithPreprocessing(checkpoint.Preprocessing.WithCategorical(encoding)).Checkpoint);

        var w = new PayloadWriter();
        NumericsPayloads.WriteModel(w, model);
        var r = new PayloadReader(w.ToPayload());
        var fromPayload = NumericsPayloads.ReadModel(ref r);
        var fromJson = ModelCodec.FromRecord(ModelCodec.ParseJson(ModelCodec.ToJson(model))!);
        var x = MessageSamples.Random(7, 5, 11);
        foreach (var back in new[] { fromPayload, fromJson })
        {
            var network = Assert.IsType<NetworkModel>(back);
            var c = network.Preprocessing.Categorical!;
            Assert.Equal(2, c.Length);
            Assert.Equal(("body", false, "sedan"), (c[0].Name, c[0].Codes, c[0].Fill));
            Assert.Equal(["Suv", "sedan"], c[0].Categories);
            Assert.Equal(("grade", true, (string?)null), (c[1].Name, c[1].Codes, c[1].Fill));
            Assert.Equal(["2", "10"], c[1].Categories);
            Assert.Equal("median", network.Preprocessing.Missing);
            Assert.Equal([1.0, 2, 3, 4, 5], network.Preprocessing.FeatureFills!);
            Assert.Equal(model.Setup, network.Setup);
            Assert.Equal(Bits(model.PredictTransformed(x)), Bits(network.PredictTransformed(x)));
        }
        Assert.Contains("\"categorical\":[{\"name\":\"body\",\"codes\":false,\"categories\":[\"Suv\",\"sedan\"],\"fill\":\"sedan\"}", ModelCodec.ToJson(model));
    }

    /// <summary>Written by <c>ntk train-nn --width 2 --steps 1</c> (program 0.1.0) before network models stored an encoding.</summary>
    private const string OldNetworkFile = """
        {"format":"ntk-model","format_version":1,"program_version":"0.1.0","kind":"network","formulation":"network","kernel":"ntk","lambda":0.1,"seed":0,"sampling":"gaussian","feature_names":["x1","x2"],"target_names":["y"],"preprocessing":{"standardize":false,"scale_target":false,"normalize":false,"feature_means":[0,0],"feature_scales":[1,1],"target_means":[0],"target_scales":[1]},"kappa":1,"learning_rate":0.06896328041184882,"steps":1,"network_weights":{"rows":2,"cols":2,"values":[-0.5278100681650906,0.955851995252114,0.056940865718021705,-1.065225158246949]},"signs":[1,-1],"factors":[1,1]}
        """;

    [Fact]
    public void A_network_model_file_without_an_encoding_still_loads_and_predicts_its_weights()
    {
        using var dir = new Cli.CliTempDirectory();
        string path = dir.Write("old.json", OldNetworkFile);
        var model = Assert.IsType<NetworkModel>(ModelFile.LoadAny(path));
        Assert.Null(model.Preprocessing.Categorical);
        Assert.Null(model.Preprocessing.Missing);
        Assert.Equal(["x1", "x2"], model.FeatureNames);
        // κ·(1/√m)·Σ a_r·c_r·relu(w_rᵀx) by hand for x = (1, 2): only the first neuron is active.
        double[,] w = { { -0.5278100681650906, 0.955851995252114 }, { 0.056940865718021705, -1.065225158246949 } };
        double expected = Math.Max(0, w[0, 0] * 1 + w[0, 1] * 2) / Math.Sqrt(2) + -1 * Math.Max(0, w[1, 0] * 1 + w[1, 1] * 2) / Math.Sqrt(2);
        var u = model.PredictTransformed(Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } }));
        Assert.Equal(expected, u[0, 0], 12);
    }
}

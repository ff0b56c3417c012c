using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Messages;
using Xunit;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// Models and leverage scorers that travel inside messages are rebuilt on the other side so that they predict
/// and score bitwise as the originals: a worker that received them computes exactly what the coordinator would.
/// </summary>
[Collection(SerializationCollection.Name)]
public sealed class ModelAndScorerTests(SerializationFixture fixture)
{
    private static long[] Bits(Matrix<double> m) => m.ToColumnMajorArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
    private static long[] Bits(double[] v) => v.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private IPredictiveModel Travel(PredictBlock message)
    {
        var back = Assert.IsType<PredictBlock>(fixture.RoundTrip(message).Back);
        BitwiseEquality.AssertSame(message, back);
        return back.Model;
    }

    public static TheoryData<string, string> KrrKinds => new()
    {
        { "rbf:gamma=0.5", "exact" }, { "laplace:gamma=0.3", "exact" }, { "ntk", "exact" },
        { "rbf:gamma=0.5", "primal" }, { "laplace:gamma=0.3", "primal" }, { "ntk", "primal" },
        { "rbf:gamma=0.5", "dual" }, { "ntk", "dual" },
    };

    [Theory]
    [MemberData(nameof(KrrKinds))]
    public void A_kernel_ridge_model_predicts_bitwise_the_same_after_the_trip(string spec, string kind)
    {
        var kernel = KernelSpec.Parse(spec);
        const int d = 4;
        KrrModel model = kind switch
        {
            "exact" => MessageSamples.ExactModel(kernel, 40, d, 1),
            // A dual fit stores β = Ψᵀα like a primal one; only the formulation it records differs.
            "dual" => WithFormulation(MessageSamples.PrimalModel(kernel, d, 60, 2, new LeverageProvenance("scalable", 40000)), RidgeFormulation.Dual),
            _ => MessageSamples.PrimalModel(kernel, d, 30, 3),
        };
        var x = model.Preprocessing.TransformFeatures(MessageSamples.Random(25, d, 4));
        var back = Assert.IsType<KrrModel>(Travel(new PredictBlock("predict-1", 0, model, x)));
        Assert.Equal(Bits(model.PredictTransformed(x)), Bits(back.PredictTransformed(x)));
        Assert.Equal(Bits(model.Predict(x)), Bits(back.Predict(x)));
        Assert.Equal(model.Kernel.Spec, back.Kernel.Spec);
        Assert.Equal(model.Formulation, back.Formulation);
        Assert.Equal(model.Leverage, back.Leverage);
    }

    [Fact]
    public void A_network_of_several_neuron_blocks_predicts_bitwise_the_same_after_the_trip()
    {
        var model = MessageSamples.Network(1100, 3, 5); // blocks of 1024 and 76
        var x = MessageSamples.Random(30, 3, 6);
        var back = Assert.IsType<NetworkModel>(Travel(new PredictBlock("predict-2", 1, model, x)));
        Assert.Equal(Bits(model.PredictTransformed(x)), Bits(back.PredictTransformed(x)));
        Assert.Equal(model.Setup, back.Setup);
        Assert.Equal(new LeverageProvenance("scalable", 123456), back.Leverage);
    }

    [Fact]
    public void A_classifier_read_from_its_model_file_arrives_as_the_same_model_classes_included()
    {
        var dir = Directory.CreateTempSubdirectory("ntk-codec-");
        try
        {
            var classifier = MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 8, 11).AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [-3, 7]));
            string path = Path.Combine(dir.FullName, "classifier.json");
            ModelFile.Save(classifier, path);
            var loaded = ModelFile.Load(path);
            var back = Assert.IsType<KrrModel>(Travel(new PredictBlock("predict-3", 0, loaded, MessageSamples.Random(5, 3, 12))));
            Assert.Equal([-3L, 7L], back.Classes!.Labels);
            Assert.Equal("label", back.Classes.Column);
            BitwiseEquality.AssertSame(classifier, back, "model");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_model_payload_is_checked_as_a_model_file_is()
    {
        var good = MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 8, 13);
        int m = good.Draws!.ColumnCount;
        var bad = new KrrModel // β with one row too many: a model no fit makes, and no file may hold
        {
            ProgramVersion = good.ProgramVersion, Kernel = good.Kernel, Lambda = good.Lambda, Seed = good.Seed, Sampling = good.Sampling,
            Formulation = good.Formulation, FeatureNames = good.FeatureNames, TargetNames = good.TargetNames, Preprocessing = good.Preprocessing,
            Draws = good.Draws, Coefficients = MessageSamples.Random(m + 1, 2, 14),
        };
        var w = new NtkCluster.Protocol.Serialization.PayloadWriter();
        NtkCluster.Protocol.Serialization.NumericsPayloads.WriteModel(w, bad);
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => ReadModel(w.ToPayload()));
        Assert.Contains($"\"coefficients\" is {m + 1}×2, expected {m}×2", e.Message);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("drop")]
    public void The_missing_value_fills_of_a_model_make_the_trip_and_its_file(string policy)
    {
        var good = MessageSamples.PrimalModel(KernelSpec.Parse("rbf:gamma=0.5"), 3, 8, 21);
        var missing = policy == "mean" ? MissingPolicy.Mean : MissingPolicy.Drop;
        double[]? fills = policy == "mean" ? [0.25, -1.5e-300, 3.0000000000000004] : null;
        var model = good.WithPreprocessing(good.Preprocessing.WithMissing(missing, fills));
        var w = new NtkCluster.Protocol.Serialization.PayloadWriter();
        NtkCluster.Protocol.Serialization.NumericsPayloads.WriteModel(w, model);
        foreach (var back in new[] { ReadModel(w.ToPayload()), ModelCodec.FromRecord(ModelCodec.ParseJson(ModelCodec.ToJson(model))!) })
        {
            Assert.Equal(policy, back.Preprocessing.Missing);
            Assert.Equal(fills is null ? null : Bits(fills), back.Preprocessing.FeatureFills is { } f ? Bits(f) : null);
        }
        // A NaN cell is filled before the shift and scale: the prediction of a filled row is that of the row with the fills.
        if (fills is not null)
        {
            var withGap = Matrix<double>.Build.DenseOfRowArrays([double.NaN, 1.0, 2.0]);
            var filled = Matrix<double>.Build.DenseOfRowArrays([fills[0], 1.0, 2.0]);
            Assert.Equal(Bits(model.Preprocessing.TransformFeatures(filled)), Bits(model.Preprocessing.TransformFeatures(withGap)));
        }
    }

    [Fact]
    public void The_categorical_encoding_of_a_model_makes_the_trip_and_its_file()
    {
        var sample = MessageSamples.PrimalModel(KernelSpec.Parse("rbf:gamma=0.5"), 6, 8, 21);
        var good = new KrrModel
        {
            ProgramVersion = sample.ProgramVersion, Kernel = sample.Kernel, Lambda = sample.Lambda, Seed = sample.Seed, Sampling = sample.Sampling,
            Formulation = sample.Formulation, FeatureNames = ["x", "body=Suv", "body=sedan", "body=van", "grade=2", "grade=10"],
            TargetNames = sample.TargetNames, Preprocessing = sample.Preprocessing, Draws = sample.Draws, Coefficients = sample.Coefficients,
        };
        CategoricalColumn[] encoding =
        [
            new() { Name = "body", Categories = ["Suv", "sedan", "van"], Fill = "sedan" },
            new() { Name = "grade", Codes = true, Categories = ["2", "10"] },
        ];
        var model = good.WithPreprocessing(good.Preprocessing.WithMissing(MissingPolicy.Mean, [1, 2, 3, 4, 5, 6]).WithCategorical(encoding));
        var w = new NtkCluster.Protocol.Serialization.PayloadWriter();
        NtkCluster.Protocol.Serialization.NumericsPayloads.WriteModel(w, model);
        foreach (var back in new[] { ReadModel(w.ToPayload()), ModelCodec.FromRecord(ModelCodec.ParseJson(ModelCodec.ToJson(model))!) })
        {
            var c = back.Preprocessing.Categorical!;
            Assert.Equal(2, c.Length);
            Assert.Equal(("body", false, "sedan"), (c[0].Name, c[0].Codes, c[0].Fill));
            Assert.Equal(["Suv", "sedan", "van"], c[0].Categories);
            Assert.Equal(("grade", true, (string?)null), (c[1].Name, c[1].Codes, c[1].Fill));
            Assert.Equal(["2", "10"], c[1].Categories);
            Assert.Equal("mean", back.Preprocessing.Missing);
        }
        // A model without categorical features has no "categorical" field; one whose encoding names a column it lacks is refused.
        Assert.DoesNotContain("categorical", ModelCodec.ToJson(good));
        var wrong = good.WithPreprocessing(good.Preprocessing.WithCategorical([new() { Name = "body", Categories = ["coupe"] }]));
        var e = Assert.Throws<NtkCluster.Numerics.Errors.InvalidInputException>(() => ModelCodec.FromRecord(ModelCodec.ParseJson(ModelCodec.ToJson(wrong))!));
        Assert.Contains("categorical column 'body' does not match the feature names", e.Message);
    }

    private static IPredictiveModel ReadModel(byte[] payload)
    {
        var r = new NtkCluster.Protocol.Serialization.PayloadReader(payload);
        return NtkCluster.Protocol.Serialization.NumericsPayloads.ReadModel(ref r);
    }

    public static TheoryData<string, string> ScorerKinds => new()
    {
        { "rbf:gamma=0.5", "exact" }, { "laplace:gamma=0.3", "exact" }, { "ntk", "exact" },
        { "rbf:gamma=0.5", "scalable" }, { "laplace:gamma=0.3", "scalable" }, { "ntk", "scalable" },
    };

    [Theory]
    [MemberData(nameof(ScorerKinds))]
    public void A_leverage_scorer_scores_bitwise_the_same_after_the_trip(string spec, string mode)
    {
        var kernel = KernelSpec.Parse(spec);
        const int n = 50, d = 3;
        ILeverageScorer scorer = mode == "exact"
            ? MessageSamples.ExactScorer(kernel, n, d, 7)
            : MessageSamples.FirstStageScorer(kernel, n, d, 8);
        var candidates = NtkCluster.Numerics.Features.PlainSampler.Sample(kernel, d, 40, 9).Draws;
        var message = new ScoreCandidateBlock("spectral-1", 3, "spectral-1", scorer, candidates);
        var back = Assert.IsType<ScoreCandidateBlock>(fixture.RoundTrip(message).Back);
        BitwiseEquality.AssertSame(message, back);
        Assert.Equal(mode, back.Scorer!.Mode);
        var expected = scorer.Score(candidates);
        Assert.Contains(expected, t => t > 0); // not vacuous
        Assert.Equal(Bits(expected), Bits(back.Scorer.Score(back.Candidates)));
        if (scorer is ExactLeverageScorer exact)
            Assert.Equal(exact.StatisticalDimension, ((ExactLeverageScorer)back.Scorer).StatisticalDimension);
    }

    private static KrrModel WithFormulation(KrrModel m, RidgeFormulation formulation) => new()
    {
        ProgramVersion = m.ProgramVersion, Kernel = m.Kernel, Lambda = m.Lambda, Seed = m.Seed, Sampling = m.Sampling, Leverage = m.Leverage,
        Formulation = formulation, FeatureNames = m.FeatureNames, TargetNames = m.TargetNames, Preprocessing = m.Preprocessing,
        Draws = m.Draws, Coefficients = m.Coefficients,
    };
}

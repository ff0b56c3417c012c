using System.Runtime.Serialization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The wire format of the math objects that messages carry — kernels, feature draws, network setups, leverage
/// scorers and fitted models (through <see cref="ModelCodec"/>) — as write/read pairs over <see cref="PayloadWriter"/> and
/// <see cref="PayloadReader"/>. Interfaces (kernel, scorer, model) are written as a one-byte tag of the
/// implementation and its fields.
/// </summary>
/// <remarks>
/// Everything is written as the numbers the object holds, never recomputed on arrival: a kernel's γ as raw bits
/// (not its spec text), a scorer's already-factored operator (not the kernel matrix to factor again). That is what
/// makes a block computed on another node bitwise the same as one computed locally, whatever BLAS that node has.
/// An implementation without a tag fails to serialize with its type name: adding one is a protocol change.
/// </remarks>
public static class NumericsPayloads
{
    // Tags are part of the protocol: never reuse one for something else.
    private const byte RbfTag = 1, LaplaceTag = 2, NtkTag = 3;
    private const byte ExactScorerTag = 1, FirstStageScorerTag = 2;

    // ------------------------------------------------------------------------------------------------ kernels

    public static void WriteKernel(this PayloadWriter w, IFeatureKernel kernel)
    {
        switch (kernel)
        {
            case RbfKernel rbf:
                w.WriteByte(RbfTag);
                w.WriteDouble(rbf.Gamma);
                break;
            case LaplaceKernel laplace:
                w.WriteByte(LaplaceTag);
                w.WriteDouble(laplace.Gamma);
                break;
            case NtkKernel:
                w.WriteByte(NtkTag);
                break;
            default:
                throw Unsupported("kernel", kernel);
        }
    }

    public static IFeatureKernel ReadKernel(this ref PayloadReader r)
    {
        int at = r.Position;
        return r.ReadByte("a kernel tag") switch
        {
            RbfTag => new RbfKernel(r.ReadDouble("rbf gamma")),
            LaplaceTag => new LaplaceKernel(r.ReadDouble("laplace gamma")),
            NtkTag => new NtkKernel(),
            var tag => throw UnknownTag("kernel", tag, at),
        };
    }

    // ------------------------------------------------------------------------------------------------ features

    public static void WriteFeatureDraws(this PayloadWriter w, FeatureDraws draws)
    {
        w.WriteKernel(draws.Kernel);
        w.WriteInt32(draws.InputDimension);
        w.WriteMatrix(draws.Draws);
        w.WriteDoubles(draws.Weights);
    }

    /// <summary>Rebuilt through the constructor, so a corrupt payload meets the same checks as a bad fit.</summary>
    public static FeatureDraws ReadFeatureDraws(this ref PayloadReader r)
    {
        var kernel = r.ReadKernel();
        int inputDimension = r.ReadInt32("the input dimension of feature draws");
        var draws = r.ReadMatrix("the draws");
        var weights = r.ReadDoubles("the draw weights");
        return new FeatureDraws(kernel, inputDimension, draws, weights);
    }

    // ------------------------------------------------------------------------------------------------ networks

    public static void WriteNetworkSetup(this PayloadWriter w, NetworkSetup setup)
    {
        w.WriteInt32(setup.Width);
        w.WriteDouble(setup.Kappa);
        w.WriteDouble(setup.Lambda);
        w.WriteDouble(setup.LearningRate);
    }

    public static NetworkSetup ReadNetworkSetup(this ref PayloadReader r) =>
        new(r.ReadInt32("the network width"), r.ReadDouble("κ"), r.ReadDouble("λ"), r.ReadDouble("η"));

    public static void WriteNeuronBlockSetup(this PayloadWriter w, NeuronBlockSetup setup)
    {
        w.WriteNetworkSetup(setup.Network);
        w.WriteMatrix(setup.InitialWeights);
        w.WriteDoubles(setup.Signs);
        w.WriteDoubles(setup.Factors);
        w.WriteMatrix(setup.X);
    }

    public static NeuronBlockSetup ReadNeuronBlockSetup(this ref PayloadReader r) =>
        new(r.ReadNetworkSetup(), r.ReadMatrix("the initial weights"), r.ReadDoubles("the signs"), r.ReadDoubles("the factors"),
            r.ReadMatrix("the training rows"));

    // ------------------------------------------------------------------------------------------------ scorers

    public static void WriteScorer(this PayloadWriter w, ILeverageScorer scorer)
    {
        switch (scorer)
        {
            case ExactLeverageScorer exact:
                w.WriteByte(ExactScorerTag);
                w.WriteKernel(exact.Kernel);
                w.WriteMatrix(exact.Inputs);
                w.WriteMatrix(exact.Operator);
                w.WriteDouble(exact.StatisticalDimension);
                break;
            case FirstStageLeverageScorer firstStage:
                w.WriteByte(FirstStageScorerTag);
                w.WriteKernel(firstStage.Kernel);
                w.WriteMatrix(firstStage.Inputs);
                w.WriteFeatureDraws(firstStage.FirstStage);
                w.WriteMatrix(firstStage.Inverse);
                w.WriteDouble(firstStage.Lambda);
                w.WriteDouble(firstStage.FirstStageEpsilon);
                break;
            default:
                throw Unsupported("leverage scorer", scorer);
        }
    }

    public static ILeverageScorer ReadScorer(this ref PayloadReader r)
    {
        int at = r.Position;
        switch (r.ReadByte("a scorer tag"))
        {
            case ExactScorerTag:
            {
                var kernel = r.ReadKernel();
                var x = r.ReadMatrix("the scorer's rows");
                var op = r.ReadMatrix("the scorer's operator");
                return ExactLeverageScorer.FromParts(kernel, x, op, r.ReadDouble("s_λ"));
            }
            case FirstStageScorerTag:
            {
                var kernel = r.ReadKernel();
                var x = r.ReadMatrix("the scorer's rows");
                var firstStage = r.ReadFeatureDraws();
                var inverse = r.ReadMatrix("the first stage's inverse");
                double lambda = r.ReadDouble("λ");
                return FirstStageLeverageScorer.FromParts(kernel, x, firstStage, inverse, lambda, r.ReadDouble("ε₁"));
            }
            case var tag:
                throw UnknownTag("leverage scorer", tag, at);
        }
    }

    // ------------------------------------------------------------------------------------------------ models

    /// <summary>A fitted model in <see cref="ModelCodec"/>'s binary encoding: the model file's schema, field for field,
    /// with every double as its raw bits.</summary>
    public static void WriteModel(this PayloadWriter w, IPredictiveModel model)
    {
        if (model is not (KrrModel or NetworkModel)) throw Unsupported("model", model);
        ModelCodec.WriteBinary(w, model);
    }

    /// <summary>A model written by <see cref="WriteModel"/>, checked as a model file is.</summary>
    public static IPredictiveModel ReadModel(this ref PayloadReader r)
    {
        int at = r.Position;
        try
        {
            return ModelCodec.ReadBinary(ref r);
        }
        catch (InvalidInputException e)
        {
            throw new SerializationException($"corrupt payload: the model at offset {at}: {e.Message}", e);
        }
    }

    private static SerializationException Unsupported(string kind, object? value) => value is null
        ? new($"the {kind} is missing (null)")
        : new($"a {kind} of type {value.GetType().FullName} has no wire format; give it a tag in {nameof(NumericsPayloads)}");

    private static SerializationException UnknownTag(string kind, byte tag, int at) =>
        new($"corrupt payload: unknown {kind} tag {tag} at offset {at}");
}

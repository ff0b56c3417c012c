using System.Runtime.Serialization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The wire format of the math objects that messages carry — kernels, feature draws, network setups, leverage
/// scorers, fitted models, preprocessing — as write/read pairs over <see cref="PayloadWriter"/> and
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
    private const byte KrrModelTag = 1, NetworkModelTag = 2;

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

    public static void WritePreprocessor(this PayloadWriter w, Preprocessor p)
    {
        w.WriteBool(p.Standardize);
        w.WriteBool(p.ScaleTarget);
        w.WriteBool(p.Normalize);
        w.WriteDoubles(p.FeatureMeans);
        w.WriteDoubles(p.FeatureScales);
        w.WriteDoubles(p.TargetMeans);
        w.WriteDoubles(p.TargetScales);
    }

    public static Preprocessor ReadPreprocessor(this ref PayloadReader r) => new()
    {
        Standardize = r.ReadBool("standardize"),
        ScaleTarget = r.ReadBool("scale-target"),
        Normalize = r.ReadBool("normalize"),
        FeatureMeans = r.ReadDoubles("the feature means"),
        FeatureScales = r.ReadDoubles("the feature scales"),
        TargetMeans = r.ReadDoubles("the target means"),
        TargetScales = r.ReadDoubles("the target scales"),
    };

    public static void WriteModel(this PayloadWriter w, IPredictiveModel model)
    {
        switch (model)
        {
            case KrrModel krr:
                w.WriteByte(KrrModelTag);
                w.WriteString(krr.ProgramVersion);
                w.WriteKernel(krr.Kernel);
                w.WriteDouble(krr.Lambda);
                w.WriteUInt64(krr.Seed);
                w.WriteString(krr.Sampling);
                w.WriteByte((byte)krr.Formulation);
                w.WriteStrings(krr.FeatureNames);
                w.WriteStrings(krr.TargetNames);
                w.WritePreprocessor(krr.Preprocessing);
                if (w.WritePresence(krr.Draws)) w.WriteFeatureDraws(krr.Draws!);
                if (w.WritePresence(krr.Coefficients)) w.WriteMatrix(krr.Coefficients!);
                if (w.WritePresence(krr.TrainingInputs)) w.WriteMatrix(krr.TrainingInputs!);
                if (w.WritePresence(krr.DualCoefficients)) w.WriteMatrix(krr.DualCoefficients!);
                w.WriteLeverage(krr.Leverage);
                break;
            case NetworkModel network:
                w.WriteByte(NetworkModelTag);
                w.WriteString(network.ProgramVersion);
                w.WriteStrings(network.FeatureNames);
                w.WriteStrings(network.TargetNames);
                w.WritePreprocessor(network.Preprocessing);
                w.WriteString(network.Init);
                w.WriteUInt64(network.Seed);
                w.WriteNetworkSetup(network.Setup);
                w.WriteInt32(network.Steps);
                w.WriteMatrix(network.Weights);
                w.WriteDoubles(network.Signs);
                w.WriteDoubles(network.Factors);
                w.WriteLeverage(network.Leverage);
                if (w.WritePresence(network.Checkpoint)) w.WriteNetworkCheckpoint(network.Checkpoint!);
                break;
            default:
                throw Unsupported("model", model);
        }
    }

    public static IPredictiveModel ReadModel(this ref PayloadReader r)
    {
        int at = r.Position;
        switch (r.ReadByte("a model tag"))
        {
            case KrrModelTag:
                return new KrrModel
                {
                    ProgramVersion = r.ReadString("the program version"),
                    Kernel = r.ReadKernel(),
                    Lambda = r.ReadDouble("λ"),
                    Seed = r.ReadUInt64("the seed"),
                    Sampling = r.ReadString("the sampling"),
                    Formulation = ReadFormulation(ref r),
                    FeatureNames = r.ReadStrings("the feature names"),
                    TargetNames = r.ReadStrings("the target names"),
                    Preprocessing = r.ReadPreprocessor(),
                    Draws = r.ReadPresence("the draws") ? r.ReadFeatureDraws() : null,
                    Coefficients = r.ReadPresence("β") ? r.ReadMatrix("β") : null,
                    TrainingInputs = r.ReadPresence("the training inputs") ? r.ReadMatrix("the training inputs") : null,
                    DualCoefficients = r.ReadPresence("α") ? r.ReadMatrix("α") : null,
                    Leverage = r.ReadLeverage(),
                };
            case NetworkModelTag:
                return new NetworkModel
                {
                    ProgramVersion = r.ReadString("the program version"),
                    FeatureNames = r.ReadStrings("the feature names"),
                    TargetNames = r.ReadStrings("the target names"),
                    Preprocessing = r.ReadPreprocessor(),
                    Init = r.ReadString("the initialisation"),
                    Seed = r.ReadUInt64("the seed"),
                    Setup = r.ReadNetworkSetup(),
                    Steps = r.ReadInt32("the steps"),
                    Weights = r.ReadMatrix("the weights"),
                    Signs = r.ReadDoubles("the signs"),
                    Factors = r.ReadDoubles("the factors"),
                    Leverage = r.ReadLeverage(),
                    Checkpoint = r.ReadPresence("the checkpoint") ? r.ReadNetworkCheckpoint() : null,
                };
            case var tag:
                throw UnknownTag("model", tag, at);
        }
    }

    /// <summary>A <c>train-nn --checkpoint</c> file's resume state: it crosses between client and coordinator when a
    /// cluster run checkpoints (to the client, which writes the file) or resumes (from the client, which read it).</summary>
    public static void WriteNetworkCheckpoint(this PayloadWriter w, NetworkCheckpoint checkpoint)
    {
        w.WriteMatrix(checkpoint.InitialWeights);
        w.WriteString(checkpoint.Settings);
        w.WriteString(checkpoint.DataFingerprint);
        w.WriteInt32(checkpoint.Trajectory.Count);
        foreach (var p in checkpoint.Trajectory)
        {
            w.WriteInt32(p.Step); w.WriteDouble(p.Loss); w.WriteOptionalDouble(p.TrainGap); w.WriteOptionalDouble(p.KernelDrift);
        }
    }

    public static NetworkCheckpoint ReadNetworkCheckpoint(this ref PayloadReader r)
    {
        var initial = r.ReadMatrix("the initial weights");
        string settings = r.ReadString("the checkpoint's settings"), fingerprint = r.ReadString("the data fingerprint");
        var trajectory = new CheckpointPoint[r.ReadCount("the checkpoint's trajectory", 14)];
        for (int i = 0; i < trajectory.Length; i++)
            trajectory[i] = new CheckpointPoint(r.ReadInt32("a step"), r.ReadDouble("a loss"), r.ReadOptionalDouble("a gap"), r.ReadOptionalDouble("a kernel drift"));
        return new NetworkCheckpoint { InitialWeights = initial, Settings = settings, DataFingerprint = fingerprint, Trajectory = trajectory };
    }

    /// <summary>A model's leverage provenance, if any: a fit on the cluster returns it to the client that saves the model.</summary>
    private static void WriteLeverage(this PayloadWriter w, LeverageProvenance? leverage)
    {
        if (!w.WritePresence(leverage)) return;
        w.WriteString(leverage!.Mode);
        w.WriteInt32(leverage.Pool);
    }

    private static LeverageProvenance? ReadLeverage(this ref PayloadReader r) =>
        r.ReadPresence("the leverage provenance") ? new LeverageProvenance(r.ReadString("the leverage mode"), r.ReadInt32("the pool size")) : null;

    private static RidgeFormulation ReadFormulation(ref PayloadReader r)
    {
        int at = r.Position;
        var value = (RidgeFormulation)r.ReadByte("the formulation");
        return Enum.IsDefined(value) ? value : throw UnknownTag("ridge formulation", (byte)value, at);
    }

    private static SerializationException Unsupported(string kind, object? value) => value is null
        ? new($"the {kind} is missing (null)")
        : new($"a {kind} of type {value.GetType().FullName} has no wire format; give it a tag in {nameof(NumericsPayloads)}");

    private static SerializationException UnknownTag(string kind, byte tag, int at) =>
        new($"corrupt payload: unknown {kind} tag {tag} at offset {at}");
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;

namespace NtkCluster;

/// <summary>
/// A fitted model: a ridge model (exact or random-feature), a classifier, or a trained two-layer network. It is the
/// same model file <c>ntk predict</c>, <c>ntk inspect</c> and <c>ntk features</c> read (docs/model-format.md), so a
/// model fitted in C# can be served by the command line and the other way round.
/// </summary>
public abstract class Model
{
    private protected Model(IPredictiveModel inner) => Inner = inner;

    /// <summary>The math project's model, for code that works with the lower-level types.</summary>
    public IPredictiveModel Inner { get; }

    /// <summary>The feature columns the model expects, in order (the names a CSV given to <c>ntk predict</c> must have).</summary>
    public IReadOnlyList<string> FeatureNames => Inner.FeatureNames;

    /// <summary>The target columns the model predicts.</summary>
    public IReadOnlyList<string> TargetNames => Inner.TargetNames;

    /// <summary>Writes the model file atomically: a crash never leaves a half-written file at <paramref name="path"/>.</summary>
    public abstract void Save(string path);

    /// <summary>Reads a model file written by <see cref="Save"/> or by <c>ntk fit|train-nn --model</c>.</summary>
    /// <returns>A <see cref="RidgeModel"/>, <see cref="RidgeClassifierModel"/> or <see cref="TwoLayerNetworkModel"/>.</returns>
    /// <exception cref="Numerics.Errors.InvalidInputException">Not a readable model file (the message names the file and the problem).</exception>
    public static Model Load(string path) => ModelFile.LoadAny(path) switch
    {
        KrrModel { IsClassifier: true } classifier => new RidgeClassifierModel(classifier),
        KrrModel ridge => new RidgeModel(ridge),
        NetworkModel network => new TwoLayerNetworkModel(network, outcome: null),
        var other => throw new NotSupportedException($"{path}: a {other.GetType().Name} has no library type"),
    };

    /// <summary>Predictions in the targets' own units, one column per target, computed block by block in this process
    /// exactly as <c>ntk predict</c> computes them (bitwise the same).</summary>
    private protected Matrix<double> PredictMatrix(double[,] x)
    {
        var rows = TableData.Matrix(x, nameof(x));
        if (rows.ColumnCount != Inner.FeatureNames.Length)
            throw new ArgumentException($"x has {rows.ColumnCount} columns, the model expects {Inner.FeatureNames.Length} ({string.Join(", ", Inner.FeatureNames)})", nameof(x));
        return InProcess.Run(cancel => InProcessExecutor.Default.PredictAsync(Inner, rows, null, cancel));
    }
}

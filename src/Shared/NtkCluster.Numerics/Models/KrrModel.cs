using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Models;

/// <summary>
/// A fitted kernel ridge model: either exact KRR (training inputs and dual coefficients α, f(z) = K(z,X)α) or a
/// random-feature model (draws, weights and primal coefficients β, f(z) = ϕ(z)ᵀβ — a dual fit stores β = Ψᵀα too,
/// so prediction never needs the training rows). Everything <c>predict</c> needs is here, preprocessing included.
/// </summary>
public sealed class KrrModel : IPredictiveModel
{
    public required string ProgramVersion { get; init; }
    public required IFeatureKernel Kernel { get; init; }
    public required double Lambda { get; init; }
    public required ulong Seed { get; init; }
    public required string Sampling { get; init; }
    public required RidgeFormulation Formulation { get; init; }
    public required string[] FeatureNames { get; init; }
    public required string[] TargetNames { get; init; }
    public required Preprocessor Preprocessing { get; init; }

    /// <summary>Random-feature models: the draws and their weights.</summary>
    public FeatureDraws? Draws { get; init; }

    /// <summary>Random-feature models: β, m × t.</summary>
    public Matrix<double>? Coefficients { get; init; }

    /// <summary>Exact models: the preprocessed training inputs, n × d.</summary>
    public Matrix<double>? TrainingInputs { get; init; }

    /// <summary>Exact models: α, n × t.</summary>
    public Matrix<double>? DualCoefficients { get; init; }

    /// <summary>
    /// A classifier's classes (null for regression): then <see cref="TargetNames"/> are the score columns, one per
    /// class (<c>label=c</c>), fitted on one-vs-rest ±1 targets, and the prediction is the class of the largest score.
    /// Saved in the model file, and carried on the wire as part of the same schema (<see cref="ModelCodec"/>); workers
    /// and the coordinator only compute the scores (a regression with one column per class), and the client decodes them.
    /// </summary>
    public ClassLabels? Classes { get; init; }

    /// <summary>Leverage-sampled random-feature models: the leverage mode that ran and the pool size. Null for plain and
    /// exact models, and for leverage models loaded from files written before it was recorded.</summary>
    public LeverageProvenance? Leverage { get; init; }

    public bool IsExact => Formulation == RidgeFormulation.Exact;

    public bool IsClassifier => Classes is not null;

    /// <summary>The same fitted scores as a classifier over <paramref name="classes"/> (one target column per class).</summary>
    /// <exception cref="ArgumentException">The model does not have one target column per class.</exception>
    public KrrModel AsClassifier(ClassLabels classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (TargetNames.Length != classes.Count)
            throw new ArgumentException($"{TargetNames.Length} score columns for {classes.Count} classes", nameof(classes));
        return new KrrModel
        {
            ProgramVersion = ProgramVersion, Kernel = Kernel, Lambda = Lambda, Seed = Seed, Sampling = Sampling, Formulation = Formulation,
            FeatureNames = FeatureNames, TargetNames = TargetNames, Preprocessing = Preprocessing, Draws = Draws, Coefficients = Coefficients,
            TrainingInputs = TrainingInputs, DualCoefficients = DualCoefficients, Classes = classes, Leverage = Leverage,
        };
    }

    /// <summary>The same model with other preprocessing: how missing values were handled in training is attached this way
    /// (<see cref="Preprocessor.WithMissing"/>), after a fit that ran on rows already filled.</summary>
    public KrrModel WithPreprocessing(Preprocessor preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        return new KrrModel
        {
            ProgramVersion = ProgramVersion, Kernel = Kernel, Lambda = Lambda, Seed = Seed, Sampling = Sampling, Formulation = Formulation,
            FeatureNames = FeatureNames, TargetNames = TargetNames, Preprocessing = preprocessing, Draws = Draws, Coefficients = Coefficients,
            TrainingInputs = TrainingInputs, DualCoefficients = DualCoefficients, Classes = Classes, Leverage = Leverage,
        };
    }

    /// <summary>The number of random features M (0 for exact models).</summary>
    public int FeatureCount => Draws?.Count ?? 0;

    /// <summary>Predictions for already-preprocessed rows, in the model's (possibly scaled) target space.</summary>
    public Matrix<double> PredictTransformed(Matrix<double> x)
    {
        if (IsExact) return PredictExact(x);
        // Fourier features of narrow data: Ψβ column by column, no Ψ (see FourierPrediction).
        if (FourierPrediction.Applies(Draws!, x)) return FourierPrediction.Predict(Draws!, x, Coefficients!);
        return LinearAlgebra.DenseBackend.Current.Multiply(FeatureMap.Build(Draws!, x), Coefficients!);
    }

    /// <summary>
    /// K(x, X)·α, evaluated in slices of <see cref="BlockPlan.KernelRowBlock"/> rows so that a prediction block holds a
    /// few MB of kernel values rather than rows × n (41 MB for 1024 rows against 5000). The slices depend on the
    /// number of rows and of training rows alone, so the predictions do not depend on where they are computed.
    /// </summary>
    private Matrix<double> PredictExact(Matrix<double> x)
    {
        var train = TrainingInputs!;
        var backend = LinearAlgebra.DenseBackend.Current;
        int rows = x.RowCount, slice = BlockPlan.KernelRowBlock(train.RowCount);
        if (rows <= slice) return backend.Multiply(Kernel.Evaluate(x, train), DualCoefficients!);
        var predictions = Matrix<double>.Build.Dense(rows, DualCoefficients!.ColumnCount);
        for (int start = 0; start < rows; start += slice)
        {
            int length = Math.Min(slice, rows - start);
            var part = x.SubMatrix(start, length, 0, x.ColumnCount);
            predictions.SetSubMatrix(start, 0, backend.Multiply(Kernel.Evaluate(part, train), DualCoefficients));
        }
        return predictions;
    }

    /// <summary>Predictions for raw rows (columns in <see cref="FeatureNames"/> order), in the target's own units.</summary>
    public Matrix<double> Predict(Matrix<double> rawX) =>
        Preprocessing.InverseTransformTargets(PredictTransformed(Preprocessing.TransformFeatures(rawX)));
}

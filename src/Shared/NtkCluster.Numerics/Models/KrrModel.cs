using MathNet.Numerics.LinearAlgebra;
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

    public bool IsExact => Formulation == RidgeFormulation.Exact;

    /// <summary>The number of random features M (0 for exact models).</summary>
    public int FeatureCount => Draws?.Count ?? 0;

    /// <summary>Predictions for already-preprocessed rows, in the model's (possibly scaled) target space.</summary>
    public Matrix<double> PredictTransformed(Matrix<double> x)
    {
        if (IsExact)
            return LinearAlgebra.DenseBackend.Current.Multiply(Kernel.Evaluate(x, TrainingInputs!), DualCoefficients!);
        return LinearAlgebra.DenseBackend.Current.Multiply(FeatureMap.Build(Draws!, x), Coefficients!);
    }

    /// <summary>Predictions for raw rows (columns in <see cref="FeatureNames"/> order), in the target's own units.</summary>
    public Matrix<double> Predict(Matrix<double> rawX) =>
        Preprocessing.InverseTransformTargets(PredictTransformed(Preprocessing.TransformFeatures(rawX)));
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The random-feature models of a cross-validation on partitions, for one kernel: one preprocessing and one set of
/// draws shared by every fold, and per fold the coefficients of every λ side by side — what a partition needs to score
/// its held-out rows against the model of their fold for each λ in one pass.
/// </summary>
/// <param name="Coefficients">Per fold f, an M×(λs·targets) matrix: the columns of λ l are l·targets … (l+1)·targets−1,
/// each the β of the model fitted without fold f, in the scaled target units of <paramref name="Preprocessing"/>.</param>
/// <param name="Lambdas">How many λ each fold's coefficients hold.</param>
public sealed record FoldModels(Preprocessor Preprocessing, FeatureDraws Draws, Matrix<double>[] Coefficients, int Lambdas)
{
    /// <summary>Target columns of one model.</summary>
    public int Targets => Coefficients.Length == 0 ? 0 : Coefficients[0].ColumnCount / Lambdas;
}

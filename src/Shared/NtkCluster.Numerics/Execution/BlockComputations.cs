using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Sampling;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The work of one block of a round, as plain functions of the block's inputs: what a worker's block entity runs
/// and what in-process rounds run. Both call these and nothing else, so a block gives bitwise the same partial
/// wherever it is computed.
/// </summary>
public static class BlockComputations
{
    /// <summary>This thread's Ψ_b of the last Gram block shape it built.</summary>
    [ThreadStatic] private static Matrix<double>? _gramBlock;

    /// <summary>Ψ_bᵀΨ_b and Ψ_bᵀY_b of one row block (a primal fit's partial sums).</summary>
    public static (Matrix<double> Gram, Matrix<double> Cross) GramBlock(FeatureDraws draws, Matrix<double> x, Matrix<double> y)
    {
        var psi = GramBlockBuffer(x.RowCount, draws.ColumnCount);
        FeatureMap.BuildInto(draws, x, psi);
        var backend = DenseBackend.Current;
        return (backend.Gram(psi), backend.TransposeAndMultiply(psi, y));
    }

    /// <summary>Ψ_fΨ_fᵀ over the draws firstDraw … firstDraw+drawCount−1, on all rows (a dual fit's partial sum).</summary>
    public static Matrix<double> OuterBlock(FeatureDraws draws, Matrix<double> x, int firstDraw, int drawCount) =>
        FeatureMap.OuterGram(draws, x, firstDraw, drawCount);

    /// <summary>Ψ_fᵀα: the coefficients β of one feature block, from the dual solution α.</summary>
    public static Matrix<double> ProjectBlock(FeatureDraws draws, Matrix<double> x, int firstDraw, int drawCount, Matrix<double> alpha) =>
        DenseBackend.Current.TransposeAndMultiply(FeatureMap.Build(draws, x, firstDraw, drawCount), alpha);

    /// <summary>K(X_b, X): one row block of the closed-form kernel matrix.</summary>
    public static Matrix<double> KernelRows(IFeatureKernel kernel, Matrix<double> xBlock, Matrix<double> x) => kernel.Evaluate(xBlock, x);

    /// <summary>τ of each candidate of a block.</summary>
    public static double[] Score(ILeverageScorer scorer, Matrix<double> candidates) => scorer.Score(candidates);

    /// <summary>A model's predictions for preprocessed rows, in the scaled target units the model was solved in.</summary>
    public static Matrix<double> Predict(IPredictiveModel model, Matrix<double> x) => model.PredictTransformed(x);

    /// <summary>
    /// A rows×columns matrix for a Gram block's Ψ_b, reused by the blocks a thread computes: Ψ_b (up to 128 MiB) is
    /// dropped as soon as ΨᵀΨ is taken, and allocating it afresh per block left the large-object heap holding several
    /// dead ones between full collections — the largest part of a fit's peak memory. Only full-size blocks are kept.
    /// </summary>
    private static Matrix<double> GramBlockBuffer(int rows, int columns)
    {
        if (_gramBlock is { } kept && kept.RowCount == rows && kept.ColumnCount == columns) return kept;
        var fresh = Matrix<double>.Build.Dense(rows, columns);
        if (_gramBlock is null || rows >= _gramBlock.RowCount) _gramBlock = fresh;
        return fresh;
    }
}

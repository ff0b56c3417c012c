using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Fit;

/// <summary>Predictions of a model for many rows, computed block by block (in this process or on a cluster's workers).</summary>
public sealed class ModelPredictor
{
    private readonly IBlockRounds _rounds;

    public ModelPredictor(IBlockRounds rounds) => _rounds = rounds;

    /// <summary>Predictions for raw rows (the model's feature columns, in order), in the target's own units.</summary>
    /// <param name="stage">The round's name in progress reports.</param>
    public async Task<Matrix<double>> PredictAsync(string jobId, IPredictiveModel model, Matrix<double> rawX, string stage = "prediction blocks")
    {
        var x = model.Preprocessing.TransformFeatures(rawX);
        return model.Preprocessing.InverseTransformTargets(await _rounds.PredictTransformedAsync(jobId, model, x, stage));
    }

    /// <summary>
    /// The squared errors of a model over raw row blocks (the model's feature columns and the targets, in the
    /// target's own units) that are produced as the round goes — a file streamed block by block — predicted block by
    /// block and summed in block order. Only the round's window of blocks is in memory at once.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress, when known.</param>
    /// <param name="stage">The round's name in progress reports.</param>
    public Task<SquaredErrorSum> SquaredErrorsAsync(string jobId, IPredictiveModel model, IEnumerable<RowBlock> rawBlocks,
        int? blockCount = null, string stage = "prediction blocks") =>
        _rounds.SquaredErrorsAsync(jobId, model, rawBlocks, blockCount, stage);
}

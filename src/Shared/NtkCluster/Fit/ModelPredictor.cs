using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;

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
    /// Predictions for the raw rows of a partitioned dataset, one CSV part per partition written into
    /// <paramref name="directory"/> where the partition is read (in this process, or by the workers of a cluster, which
    /// must share the directory), in the columns of <c>ntk predict</c>: the receipts, in partition order. Each part is
    /// written atomically; the directory as a whole is not — <see cref="WritePartitionedAsync"/> does that. The parts
    /// put end to end are byte for byte <see cref="PredictAsync"/>'s predictions of the whole dataset, written as CSV.
    /// </summary>
    /// <param name="columns">The <c>--columns</c> choice, or null for all of the files' columns.</param>
    /// <param name="stage">The round's name in progress reports.</param>
    /// <param name="keep">The <c>--keep</c> columns, copied from each partition in front of its predictions, or null.</param>
    public async Task<PredictionPart[]> PredictPartitionsAsync(string jobId, IPredictiveModel model, IReadOnlyList<DataPartition> partitions,
        IReadOnlyList<string>? columns, string directory, string stage = "prediction partitions", IReadOnlyList<string>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        // Every row is predicted on the whole dataset's grid of blocks (bitwise the predictions of one file), which
        // needs each partition's first row: a counting round first, unless the descriptors already have them.
        partitions = await _rounds.CountedAsync(jobId, partitions, source: null);
        return await _rounds.PartitionPredictionsAsync(jobId, partitions, model, columns, directory, stage, keep);
    }

    /// <summary>
    /// <see cref="PredictPartitionsAsync"/> into a new output directory, all or nothing (<see cref="PartitionedOutput"/>):
    /// <paramref name="directory"/> must not exist or be empty; the parts are staged and the directory appears with
    /// all of them and its <see cref="PartitionedOutput.SuccessMarker"/>, or, if anything fails, is left as it was.
    /// </summary>
    /// <exception cref="Numerics.Errors.InvalidInputException">The directory holds something already, or the data cannot be read.</exception>
    /// <param name="keep">The <c>--keep</c> columns, copied from each partition in front of its predictions, or null.</param>
    public async Task<PredictionPart[]> WritePartitionedAsync(string jobId, IPredictiveModel model, PartitionedDataset data,
        IReadOnlyList<string>? columns, string directory, IReadOnlyList<string>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var output = PartitionedOutput.Begin(directory);
        try
        {
            var parts = await PredictPartitionsAsync(jobId, model, data.Partitions, columns, output.Staging, keep: keep);
            output.Commit(parts);
            return parts;
        }
        catch
        {
            output.Abandon();
            throw;
        }
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

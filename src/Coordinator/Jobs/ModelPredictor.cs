using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Messages;
using NtkCluster.Protocol.Progress;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>Predictions of a model for many rows, computed block by block on the workers.</summary>
public sealed class ModelPredictor
{
    private readonly IActorRef _region;
    private readonly RoundOptions _options;
    private readonly Action<ProgressUpdate> _progress;

    public ModelPredictor(IActorRef region, RoundOptions options, Action<ProgressUpdate>? progress = null)
    {
        _region = region;
        _options = options;
        _progress = progress ?? (_ => { });
    }

    public ModelPredictor(BlockRounds rounds) : this(rounds.Region, rounds.Options, rounds.Progress) { }

    /// <summary>Predictions for raw rows (the model's feature columns, in order), in the target's own units.</summary>
    /// <param name="stage">The round's name in progress reports.</param>
    public async Task<Matrix<double>> PredictAsync(string jobId, IPredictiveModel model, Matrix<double> rawX, string stage = "prediction blocks")
    {
        var x = model.Preprocessing.TransformFeatures(rawX);
        var rows = new BlockPlan(x.RowCount, BlockPlan.DefaultRowBlock);
        var scaled = await BlockRound.RunAsync<BlockPredicted, Matrix<double>>(_region, rows.Count,
            b => new PredictBlock(jobId, b, model, x.SubMatrix(rows.Start(b), rows.Length(b), 0, x.ColumnCount)),
            Matrix<double>.Build.Dense(x.RowCount, model.TargetNames.Length),
            (acc, r) => { acc.SetSubMatrix(rows.Start(r.BlockIndex), 0, r.Predictions); return acc; },
            _options, BlockRounds.Counter(_progress, stage, rows.Count));
        return model.Preprocessing.InverseTransformTargets(scaled);
    }

    /// <summary>
    /// The squared errors of a model over raw row blocks (the model's feature columns and the targets, in the
    /// target's own units) that are produced as the round goes — a file streamed block by block — predicted on the
    /// workers and summed in block order. Only the round's window of blocks is in memory at once.
    /// </summary>
    /// <param name="blockCount">How many blocks there will be, for progress, when known.</param>
    /// <param name="stage">The round's name in progress reports.</param>
    public async Task<SquaredErrorSum> SquaredErrorsAsync(string jobId, IPredictiveModel model, IEnumerable<RowBlock> rawBlocks,
        int? blockCount = null, string stage = "prediction blocks")
    {
        var pre = model.Preprocessing;
        var truth = new Dictionary<int, Matrix<double>>(); // the targets of the blocks in flight, until their answer is folded
        var requests = rawBlocks.Select(b =>
        {
            truth.Add(b.Index, b.Y);
            return (IBlockCommand)new PredictBlock(jobId, b.Index, model, pre.TransformFeatures(b.X));
        });
        return await BlockRound.RunAsync<BlockPredicted, SquaredErrorSum>(_region, requests, new SquaredErrorSum(model.TargetNames.Length),
            (acc, r) =>
            {
                acc.Add(truth[r.BlockIndex], pre.InverseTransformTargets(r.Predictions));
                truth.Remove(r.BlockIndex);
                return acc;
            },
            _options, BlockRounds.Counter(_progress, stage, blockCount));
    }
}

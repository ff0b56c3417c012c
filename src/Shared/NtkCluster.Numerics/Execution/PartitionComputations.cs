using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Execution;

/// <summary>
/// The work of one partition of a partition round, as plain functions of the partition's descriptor: the partition
/// reads its own rows (checking the file's fingerprint first), reduces its row blocks in block order with
/// <see cref="BlockComputations"/>, and gives one partial. What a worker's block entity runs for a partition command
/// and what in-process rounds run, so a partition gives bitwise the same partial wherever it is read.
/// </summary>
public static class PartitionComputations
{
    /// <summary>The partition's rows and (CSV) lines, from a scan of its bytes (<see cref="PartitionReader.Count"/>).</summary>
    public static PartitionCount Count(DataPartition partition) => PartitionReader.Count(partition);

    /// <summary>
    /// The column moments of the partition's rows (on one side of <paramref name="split"/>, if given), block by block
    /// in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows — exactly <see cref="PartitionMoments.Of"/> without a split.
    /// </summary>
    public static PartitionMoments Moments(DataPartition partition, PartitionColumns columns, RowSplit? split)
    {
        var features = new ColumnMoments(columns.FeatureNames.Length);
        var targets = new ColumnMoments(columns.TargetNames.Length);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock))
        {
            features.Add(block.X);
            targets.Add(block.Y);
        }
        return new PartitionMoments(features, targets);
    }

    /// <summary>
    /// ΨᵀΨ, ΨᵀY and Σy² of the partition's (preprocessed) rows, read in blocks of <see cref="BlockPlan.GramRowBlock"/>
    /// rows and summed in block order: the blocks and additions of a streamed fit of the same rows.
    /// </summary>
    public static PartitionGram Gram(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre, FeatureDraws draws)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(draws);
        var acc = PartitionGram.Zero(draws.ColumnCount, columns.TargetNames.Length);
        long rows = 0;
        foreach (var block in Blocks(partition, columns, split, BlockPlan.GramRowBlock(draws.ColumnCount)))
        {
            var y = pre.TransformTargets(block.Y);
            RidgeResidual.AddSquares(acc.Squares, y);
            var (gram, cross) = BlockComputations.GramBlock(draws, pre.TransformFeatures(block.X), y);
            acc.Gram.Add(gram, acc.Gram);
            acc.Cross.Add(cross, acc.Cross);
            rows += block.Rows;
        }
        return acc with { Rows = rows };
    }

    /// <summary>
    /// The squared errors of a model over the partition's rows (raw: the model's own preprocessing is applied), predicted
    /// in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows and summed in block order, in the targets' own units.
    /// </summary>
    public static SquaredErrorSum SquaredErrors(DataPartition partition, PartitionColumns columns, RowSplit? split, IPredictiveModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var pre = model.Preprocessing;
        var sum = new SquaredErrorSum(model.TargetNames.Length);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock))
            sum.Add(block.Y, pre.InverseTransformTargets(BlockComputations.Predict(model, pre.TransformFeatures(block.X))));
        return sum;
    }

    /// <summary>
    /// A data-parallel network round's partial (<see cref="NetworkPoint"/>): the partition's preprocessed rows, read in
    /// blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows and added in block order by <see cref="NetworkGradients"/>.
    /// </summary>
    public static NetworkRoundPartial Network(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre, NetworkPoint point)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(point);
        if (columns.TargetNames.Length != 1) throw new ArgumentException("a network fits one target column", nameof(columns));
        var acc = NetworkRoundPartial.Zero(point.Weights.RowCount, point.Weights.ColumnCount);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock))
            acc = NetworkGradients.Accumulate(point, pre.TransformFeatures(block.X), pre.TransformTargets(block.Y).Column(0).ToArray(), acc);
        return acc;
    }

    /// <summary>
    /// The gap between two models' predictions over the partition's rows (<see cref="PredictionGap"/>), in the preprocessed
    /// target units they share (both models must carry the same preprocessing), predicted in blocks of
    /// <see cref="BlockPlan.DefaultRowBlock"/> rows and added in block order: a trained network against NTK ridge regression.
    /// </summary>
    public static PredictionGap Gap(DataPartition partition, PartitionColumns columns, RowSplit? split, IPredictiveModel model, IPredictiveModel reference)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        var gap = PredictionGap.Zero;
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock))
        {
            var x = model.Preprocessing.TransformFeatures(block.X);
            gap = gap.Add(PredictionGap.Of(BlockComputations.Predict(model, x), BlockComputations.Predict(reference, x)));
        }
        return gap;
    }

    /// <summary>The partition's blocks on the split's side (all of them without a split); the file is open while they are enumerated.</summary>
    private static IEnumerable<RowBlock> Blocks(DataPartition partition, PartitionColumns columns, RowSplit? split, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        using var reader = columns.Open(partition, blockSize);
        while (reader.ReadBlock() is { } block)
        {
            if (split is null) yield return block;
            else if (split.Filter(partition, block) is { } kept) yield return kept;
        }
    }
}

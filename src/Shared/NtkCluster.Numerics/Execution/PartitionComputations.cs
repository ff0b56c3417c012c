using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
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
    /// ΨᵀΨ, ΨᵀY and Σy² of the partition's (preprocessed) rows of each cross-validation fold: entry f sums the rows of
    /// fold f, read in blocks of <see cref="BlockPlan.GramRowBlock"/> rows, each block cut by fold and its pieces summed
    /// in block order — one pass over the partition for all k folds.
    /// </summary>
    public static PartitionGram[] FoldGrams(DataPartition partition, PartitionColumns columns, RowSplit? split, RowFolds folds, Preprocessor pre,
        FeatureDraws draws)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(draws);
        var acc = new PartitionGram[folds.Count];
        for (int f = 0; f < acc.Length; f++) acc[f] = PartitionGram.Zero(draws.ColumnCount, columns.TargetNames.Length);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.GramRowBlock(draws.ColumnCount)))
        {
            var pieces = folds.Split(partition, block);
            for (int f = 0; f < pieces.Length; f++)
            {
                if (pieces[f] is not { } piece) continue;
                var y = pre.TransformTargets(piece.Y);
                RidgeResidual.AddSquares(acc[f].Squares, y);
                var (gram, cross) = BlockComputations.GramBlock(draws, pre.TransformFeatures(piece.X), y);
                acc[f].Gram.Add(gram, acc[f].Gram);
                acc[f].Cross.Add(cross, acc[f].Cross);
                acc[f] = acc[f] with { Rows = acc[f].Rows + piece.Rows };
            }
        }
        return acc;
    }

    /// <summary>
    /// The squared errors (target units) of the partition's held-out rows: each row of fold f is predicted by fold f's
    /// model — fitted without it — for every λ of <paramref name="models"/>. Entry f·λs + l sums fold f's rows under
    /// λ l, predicted in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows and summed in block order.
    /// </summary>
    public static SquaredErrorSum[] FoldSquaredErrors(DataPartition partition, PartitionColumns columns, RowSplit? split, RowFolds folds,
        FoldModels models)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Coefficients.Length != folds.Count)
            throw new ArgumentException($"{models.Coefficients.Length} fold models for {folds.Count} folds", nameof(models));
        int lambdas = models.Lambdas, t = columns.TargetNames.Length;
        var pre = models.Preprocessing;
        var sums = new SquaredErrorSum[folds.Count * lambdas];
        for (int i = 0; i < sums.Length; i++) sums[i] = new SquaredErrorSum(t);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock))
        {
            var pieces = folds.Split(partition, block);
            for (int f = 0; f < pieces.Length; f++)
            {
                if (pieces[f] is not { } piece) continue;
                // Ψ once per piece, then every λ's predictions in one product: Ψ·[β_1 … β_L].
                var all = DenseBackend.Current.Multiply(FeatureMap.Build(models.Draws, pre.TransformFeatures(piece.X)), models.Coefficients[f]);
                for (int l = 0; l < lambdas; l++)
                    sums[f * lambdas + l].Add(piece.Y, pre.InverseTransformTargets(all.SubMatrix(0, piece.Rows, l * t, t)));
            }
        }
        return sums;
    }

    /// <summary>
    /// The partition's rows (on one side of a split) in <paramref name="sample"/>'s bottom-k: at most
    /// <see cref="RowSample.Count"/> of them, raw, in row order — one block of them in memory at a time.
    /// </summary>
    public static SampledRows Sample(DataPartition partition, PartitionColumns columns, RowSplit? split, RowSample sample)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(sample);
        long first = partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before sampling them");
        var kept = SampledRows.Empty(columns.FeatureNames.Length, columns.TargetNames.Length);
        using var reader = columns.Open(partition, BlockPlan.DefaultRowBlock);
        while (reader.ReadBlock() is { } block)
        {
            var rows = new long[block.Rows];
            for (int i = 0; i < rows.Length; i++) rows[i] = first + block.FirstRow + i;
            var candidates = new SampledRows(rows, block.X, block.Y);
            if (split is not null)
            {
                var picks = Enumerable.Range(0, rows.Length).Where(i => split.Keeps(rows[i])).Select(i => (candidates, i)).ToArray();
                candidates = SampledRows.Pick(picks, block.X.ColumnCount, block.Y.ColumnCount);
            }
            kept = kept.Merge(candidates, sample);
        }
        return kept;
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

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
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
    /// The partition's share of a hashed row sample's first pass (<see cref="RowSample.SmallestKeys"/>): its
    /// <paramref name="count"/> smallest keys with a hash at most <paramref name="maxHash"/>, from its row range alone.
    /// </summary>
    public static RowSampleKey[] SampleKeys(DataPartition partition, RowSplit? split, ulong seed, int count, ulong maxHash) =>
        RowSample.SmallestKeys(partition, split, seed, count, maxHash);

    /// <summary>
    /// The raw rows of the partition with the given global indices (ascending, all in this partition), read in blocks
    /// of <see cref="BlockPlan.DefaultRowBlock"/> rows; reading stops after the last one.
    /// </summary>
    /// <exception cref="ArgumentException">A row is outside the partition, or the rows are not ascending.</exception>
    /// <exception cref="Errors.InvalidInputException">The partition holds fewer rows than counted (the file changed), or
    /// cannot be read.</exception>
    public static SampledRows SampleRows(DataPartition partition, PartitionColumns columns, long[] rows)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        long first = partition.FirstRow ?? throw new InvalidOperationException($"partition {partition.Index} ({partition.Name}) has no first row yet");
        var x = Matrix<double>.Build.Dense(rows.Length, columns.FeatureNames.Length);
        var y = Matrix<double>.Build.Dense(rows.Length, columns.TargetNames.Length);
        int next = 0;
        if (rows.Length > 0)
        {
            if (rows[0] < first) throw new ArgumentException($"row {rows[0]} is before partition {partition.Index}, which starts at row {first}", nameof(rows));
            using var reader = columns.Open(partition, BlockPlan.DefaultRowBlock);
            while (next < rows.Length && reader.ReadBlock() is { } block)
            {
                long blockStart = first + block.FirstRow, blockEnd = blockStart + block.Rows;
                for (; next < rows.Length && rows[next] < blockEnd; next++)
                {
                    if (next > 0 && rows[next] <= rows[next - 1]) throw new ArgumentException("rows must be strictly ascending", nameof(rows));
                    int local = (int)(rows[next] - blockStart);
                    for (int c = 0; c < x.ColumnCount; c++) x[next, c] = block.X[local, c];
                    for (int c = 0; c < y.ColumnCount; c++) y[next, c] = block.Y[local, c];
                }
            }
        }
        if (next < rows.Length)
            throw new Errors.InvalidInputException($"{partition.Name}: row {rows[next]} was counted but is not there: the file changed while the job read it");
        return new SampledRows(rows, x, y);
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

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;
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
        var targets = new ColumnMoments(columns.TargetCount);
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
        var acc = PartitionGram.Zero(draws.ColumnCount, columns.TargetCount);
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
    /// The partition's raw rows on the split's side with their global indices: all of them in order, or with a
    /// <paramref name="sample"/> only its <see cref="RowSample.Size"/> smallest-keyed ones (so a partition answers at
    /// most that many rows, whatever its size). Needs the partition's <see cref="DataPartition.FirstRow"/>.
    /// </summary>
    public static PartitionRowSet Rows(DataPartition partition, PartitionColumns columns, RowSplit? split, RowSample? sample)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        long first = partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before reading them");
        var kept = new List<(long Row, double[] X, double[] Y)>();
        // With a sample: the Size smallest (key, row) so far, largest on top, so a partition holds at most Size rows.
        var smallest = sample is null ? null
            : new PriorityQueue<(long Row, double[] X, double[] Y), (ulong Key, long Row)>(Comparer<(ulong Key, long Row)>.Create((a, b) => b.CompareTo(a)));
        using (var reader = columns.Open(partition, BlockPlan.DefaultRowBlock))
        {
            while (reader.ReadBlock() is { } block)
                for (int i = 0; i < block.Rows; i++)
                {
                    long row = first + block.FirstRow + i;
                    if (split is not null && !split.Keeps(row)) continue;
                    if (smallest is null)
                    {
                        kept.Add((row, block.X.Row(i).ToArray(), block.Y.Row(i).ToArray()));
                        continue;
                    }
                    var key = (sample!.Key(row), row);
                    if (smallest.Count == sample.Size)
                    {
                        smallest.TryPeek(out _, out var largest);
                        if (key.CompareTo(largest) >= 0) continue;
                        smallest.Dequeue();
                    }
                    smallest.Enqueue((row, block.X.Row(i).ToArray(), block.Y.Row(i).ToArray()), key);
                }
        }
        if (smallest is not null)
        {
            kept.AddRange(smallest.UnorderedItems.Select(e => e.Element));
            kept.Sort((a, b) => a.Row.CompareTo(b.Row));
        }
        int features = columns.FeatureNames.Length, targets = columns.TargetCount;
        return new PartitionRowSet(kept.Select(r => r.Row).ToArray(),
            Matrix<double>.Build.Dense(kept.Count, features, (i, j) => kept[i].X[j]),
            Matrix<double>.Build.Dense(kept.Count, targets, (i, j) => kept[i].Y[j]));
    }

    /// <summary>
    /// The scalable leverage scorer's row sums (ZᵀΦ and ‖φ‖²) of <paramref name="candidates"/> over the partition's
    /// preprocessed rows on the split's side, in blocks of <see cref="FirstStageScoreSums.RowBlock"/> rows summed in
    /// block order. The scores are formed from the sums over every partition (<see cref="FirstStageLeverage.Scores"/>).
    /// </summary>
    public static FirstStageScoreSums ScoreSums(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre,
        FeatureDraws firstStage, Matrix<double> candidates)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(candidates);
        var sums = FirstStageScoreSums.Zero(firstStage.ColumnCount, candidates.RowCount * firstStage.FeatureDimension);
        foreach (var block in Blocks(partition, columns, split, FirstStageScoreSums.RowBlock))
        {
            var x = pre.TransformFeatures(block.X);
            sums = sums.AddRows(firstStage.Kernel, FeatureMap.Build(firstStage, x), x, candidates);
        }
        return sums;
    }

    /// <summary>
    /// The distinct labels of the partition's rows (on the split's side) in its one target column, ascending: what
    /// <c>--task classify</c> discovers per partition and merges (<see cref="IBlockRounds.PartitionLabelsAsync"/>).
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">A label is not an integer.</exception>
    public static long[] Labels(DataPartition partition, PartitionColumns columns, RowSplit? split)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.TargetNames.Length != 1)
            throw new Errors.InvalidInputException($"--task classify takes one label column, got {columns.TargetNames.Length} ({string.Join(", ", columns.TargetNames)})");
        var labels = new SortedSet<long>();
        foreach (var block in Blocks(partition, columns with { Classes = null }, split, BlockPlan.DefaultRowBlock))
        {
            var y = ClassLabelsCheck.Checked(block.Y, partition, columns.TargetNames[0]);
            for (int i = 0; i < y.RowCount; i++) labels.Add((long)y[i, 0]);
        }
        return labels.ToArray();
    }

    /// <summary>
    /// How many of the partition's rows (on the split's side) a one-vs-rest classifier gets right: its scores predicted
    /// in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows, in the targets' units, decoded by arg-max
    /// (<see cref="ClassLabels.Decode"/>) and compared with the label column, as the in-memory classifier is scored.
    /// </summary>
    public static ClassificationScore Classification(DataPartition partition, PartitionColumns columns, RowSplit? split, IPredictiveModel model,
        ClassLabels classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        var pre = model.Preprocessing;
        var score = ClassificationScore.None;
        foreach (var block in Blocks(partition, columns with { Classes = null }, split, BlockPlan.DefaultRowBlock))
        {
            var scores = pre.InverseTransformTargets(BlockComputations.Predict(model, pre.TransformFeatures(block.X)));
            score = score.Plus(ClassificationScore.Of(classes, classes.Decode(scores), ClassLabelsCheck.Checked(block.Y, partition, classes.Column)));
        }
        return score;
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

using System.Security.Cryptography;
using System.Text;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
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
    /// Writes a model's predictions for the partition's rows as one CSV part, <paramref name="directory"/>/<paramref name="partName"/>,
    /// atomically (a temporary file renamed into place, <see cref="AtomicFile"/>), and answers its receipt. The rows are
    /// read raw (the model's feature columns, by name; its target or label column may be present and is skipped) and
    /// predicted in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows, in the targets' own units — a classifier's as
    /// predicted labels — in the columns of <see cref="PredictionCsv"/>: the part's lines are those of <c>ntk predict</c>
    /// on a file of the partition's rows.
    /// </summary>
    /// <param name="columns">The <c>--columns</c> choice, or null for all of the file's columns.</param>
    /// <exception cref="InvalidInputException">The partition cannot be read or does not have the model's columns, or the
    /// directory is not there or not writable (on a cluster: it is not on a file system this worker shares).</exception>
    public static PredictionPart WritePredictions(DataPartition partition, IPredictiveModel model, IReadOnlyList<string>? columns,
        string directory, string partName)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(partName);
        if (!Directory.Exists(directory))
            throw new InvalidInputException($"cannot write predictions to {directory}: no such directory here (on a cluster, --out must be on a " +
                                            "file system this client and every worker share; streaming predictions back is not supported yet)");
        var classes = (model as KrrModel)?.Classes;
        var pre = model.Preprocessing;
        // The reader is opened first, so a partition with the wrong columns is refused before a file is made.
        using var reader = PartitionReader.OpenFeatures(partition, model.FeatureNames, classes is null ? model.TargetNames : [classes.Column],
            columns, BlockPlan.DefaultRowBlock);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0, bytes = 0;
        AtomicFile.Write(Path.Combine(directory, partName), stream =>
        {
            void Put(string text)
            {
                byte[] b = Utf8.GetBytes(text);
                stream.Write(b);
                hash.AppendData(b);
                bytes += b.Length;
            }

            Put(classes is null ? PredictionCsv.Header(model.TargetNames) : PredictionCsv.LabelHeader(classes.Column));
            var text = new StringBuilder();
            while (reader.ReadBlock() is { } block)
            {
                var predictions = pre.InverseTransformTargets(BlockComputations.Predict(model, pre.TransformFeatures(block.X)));
                text.Clear();
                if (classes is null) PredictionCsv.AppendRows(text, predictions);
                else PredictionCsv.AppendLabels(text, classes.Decode(predictions));
                Put(text.ToString());
                rows += block.Rows;
            }
        });
        return new PredictionPart(partName, rows, bytes, Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant());
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

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

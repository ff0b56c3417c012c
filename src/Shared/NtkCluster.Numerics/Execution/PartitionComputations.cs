using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
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
    /// <param name="rows">Where the rows come from (a worker's <see cref="PartitionRowCache"/>); null streams them from the file.</param>
    public static PartitionMoments Moments(DataPartition partition, PartitionColumns columns, RowSplit? split, IPartitionRows? rows = null)
    {
        var features = new ColumnMoments(columns.FeatureNames.Length);
        var targets = new ColumnMoments(columns.TargetCount);
        // With --missing, the census of what the policy drops or fills is taken on the way (MissingRows).
        var census = columns.Missing is null ? null : new MissingCensus(features.Columns, targets.Columns, columns.Probe is not null);
        foreach (var read in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock, rows, applyMissing: false))
        {
            if (MissingRows.Apply(read, columns, census) is not { } block) continue;
            features.Add(block.X);
            targets.Add(block.Y);
        }
        return new PartitionMoments(features, targets) { Missing = census };
    }

    /// <summary>
    /// ΨᵀΨ, ΨᵀY and Σy² of the partition's (preprocessed) rows, read in blocks of <see cref="BlockPlan.GramRowBlock"/>
    /// rows and summed in block order: the blocks and additions of a streamed fit of the same rows.
    /// </summary>
    /// <param name="rows">Where the rows come from (a worker's <see cref="PartitionRowCache"/>); null streams them from the file.</param>
    public static PartitionGram Gram(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre, FeatureDraws draws,
        IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(draws);
        var acc = PartitionGram.Zero(draws.ColumnCount, columns.TargetCount);
        long count = 0;
        foreach (var block in Blocks(partition, columns, split, BlockPlan.GramRowBlock(draws.ColumnCount), rows))
        {
            var y = pre.TransformTargets(block.Y);
            RidgeResidual.AddSquares(acc.Squares, y);
            var (gram, cross) = BlockComputations.GramBlock(draws, pre.TransformFeatures(block.X), y);
            acc.Gram.Add(gram, acc.Gram);
            acc.Cross.Add(cross, acc.Cross);
            count += block.Rows;
        }
        return acc with { Rows = count };
    }

    /// <summary>
    /// The squared errors of a model over the partition's rows (raw: the model's own preprocessing is applied), predicted
    /// in blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows and summed in block order, in the targets' own units.
    /// </summary>
    /// <param name="rows">Where the rows come from (a worker's <see cref="PartitionRowCache"/>); null streams them from the file.</param>
    public static SquaredErrorSum SquaredErrors(DataPartition partition, PartitionColumns columns, RowSplit? split, IPredictiveModel model,
        IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var pre = model.Preprocessing;
        var sum = new SquaredErrorSum(model.TargetNames.Length);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock, rows))
            sum.Add(block.Y, pre.InverseTransformTargets(BlockComputations.Predict(model, pre.TransformFeatures(block.X))));
        return sum;
    }

    /// <summary>
    /// Writes a model's predictions for the partition's rows as one CSV part, <paramref name="directory"/>/<paramref name="partName"/>,
    /// atomically (a temporary file renamed into place, <see cref="AtomicFile"/>), and answers its receipt. The rows are
    /// read raw (the model's feature columns, by name; its target or label column may be present and is skipped) and
    /// predicted in the targets' own units — a classifier's as predicted labels — in the columns of
    /// <see cref="PredictionCsv"/>: the part's lines are byte for byte those of <c>ntk predict</c> on the whole
    /// dataset loaded as one file.
    /// </summary>
    /// <remarks>
    /// Why the rows are predicted on the dataset's grid of blocks: a dense product (BLAS) may round a row differently
    /// depending on the shape of the block it is in and on its position there (the vectorised body and the scalar tail
    /// of a kernel use different instructions), never on the other rows' values. A whole file is predicted in blocks
    /// of <see cref="BlockPlan.DefaultRowBlock"/> rows from its first row; so each row of the partition is predicted in
    /// a block of that same shape, at that same position — the rows of the partition that fall in one block of the
    /// dataset, the others left zero — and its prediction is the whole file's, bit for bit. It costs at most two
    /// blocks more per partition (the blocks it shares with its neighbours).
    /// </remarks>
    /// <param name="partition">A counted partition (its <see cref="DataPartition.FirstRow"/> known).</param>
    /// <param name="columns">The <c>--columns</c> choice, or null for all of the file's columns.</param>
    /// <param name="datasetRows">Rows in the whole dataset: the shape of its last block.</param>
    /// <exception cref="InvalidInputException">The partition cannot be read or does not have the model's columns, or the
    /// directory is not there or not writable (on a cluster: it is not on a file system this worker shares).</exception>
    /// <param name="rows">Where the rows come from (a worker's <see cref="PartitionRowCache"/>); null streams them from the file.</param>
    /// <param name="keep">The <c>--keep</c> columns, copied from the partition's file in front of the predictions as
    /// <see cref="KeptColumns.Prepend"/> does for a whole file; null for none.</param>
    public static PredictionPart WritePredictions(DataPartition partition, IPredictiveModel model, IReadOnlyList<string>? columns,
        long datasetRows, string directory, string partName, IPartitionRows? rows = null, IReadOnlyList<string>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(partName);
        long first = partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before predicting them");
        if (!Directory.Exists(directory))
            throw new InvalidInputException($"cannot write predictions to {directory}: no such directory here (on a cluster, --out must be on a " +
                                            "file system this client and every worker share; or let the parts stream back to the client: ntk predict --out-delivery auto|streamed)");
        var classes = (model as KrrModel)?.Classes;
        var pre = model.Preprocessing;
        const int size = BlockPlan.DefaultRowBlock;
        // The first block is read before the file is made, so a partition with the wrong columns is refused first.
        var chosen = PartitionColumns.ForPrediction(model.FeatureNames, classes is null ? model.TargetNames : [classes.Column], columns);
        // A model's categorical features are encoded as each partition is read, with the training categories.
        if (pre.Categorical is { Length: > 0 } encoding) chosen = chosen with { Categorical = encoding };
        using var blocks = (rows ?? StreamedPartitionRows.Instance).Blocks(partition, chosen, size).GetEnumerator();
        bool more = blocks.MoveNext();
        // The kept cells come from the file (the shared path or a shipped copy) whatever holds the numbers: a row cache
        // has no text. Read before the file is made, so an unknown column is refused first too.
        var kept = keep is null ? null : KeptColumns.ReadPartition(partition, keep);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long predicted = 0, bytes = 0;
        var unseen = new UnseenCategoryCount(chosen.FeatureNames, pre.Categorical);
        AtomicFile.Write(Path.Combine(directory, partName), stream =>
        {
            void Put(string text)
            {
                byte[] b = Utf8.GetBytes(text);
                stream.Write(b);
                hash.AppendData(b);
                bytes += b.Length;
            }

            string header = classes is null ? PredictionCsv.Header(model.TargetNames) : PredictionCsv.LabelHeader(classes.Column);
            Put(kept is null ? header : kept.PrependHeader(header));
            var text = new StringBuilder();
            // The dataset's block that the next rows fall in, with this partition's rows [from, to) of it filled in.
            Matrix<double>? grid = null;
            int from = 0, to = 0;
            long next = first;
            void Flush()
            {
                var predictions = pre.InverseTransformTargets(BlockComputations.Predict(model, grid!).SubMatrix(from, to - from, 0, model.TargetNames.Length));
                text.Clear();
                if (classes is null) PredictionCsv.AppendRows(text, predictions);
                else PredictionCsv.AppendLabels(text, classes, predictions, withScores: false);
                if (kept is not null)
                {
                    string lines = text.ToString();
                    text.Clear();
                    kept.AppendRows(text, lines, checked((int)(next - first - (to - from))));
                }
                Put(text.ToString());
                grid = null;
            }

            for (; more; more = blocks.MoveNext())
            {
                var block = blocks.Current;
                unseen.Add(block.X);
                var x = pre.TransformFeatures(block.X);
                for (int taken = 0; taken < block.Rows;)
                {
                    long start = next / size * size;
                    int position = (int)(next - start), length = (int)Math.Min(size, datasetRows - start);
                    if (position >= length)
                        throw new InvalidInputException($"{partition.Name}: has more rows than when the job started; was the file changed?");
                    if (grid is null)
                    {
                        grid = Matrix<double>.Build.Dense(length, x.ColumnCount);
                        from = position;
                    }
                    int take = Math.Min(block.Rows - taken, length - position);
                    grid.SetSubMatrix(position, 0, x.SubMatrix(taken, take, 0, x.ColumnCount));
                    taken += take;
                    next += take;
                    to = position + take;
                    if (to == length) Flush();
                }
            }
            if (grid is not null) Flush();
            predicted = next - first;
            if (kept is not null && kept.Rows.Count != predicted)
                throw new InvalidInputException($"{partition.Name}: {kept.Rows.Count} rows of --keep columns for {predicted} rows of features; was the file changed?");
        });
        return new PredictionPart(partName, predicted, bytes, Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant())
        {
            UnseenCategoryRows = unseen.Rows,
            UnseenPerColumn = unseen.PerColumn,
        };
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

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
    public static SampledRows SampleRows(DataPartition partition, PartitionColumns columns, long[] rows, IPartitionRows? source = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        long first = partition.FirstRow ?? throw new InvalidOperationException($"partition {partition.Index} ({partition.Name}) has no first row yet");
        var x = Matrix<double>.Build.Dense(rows.Length, columns.FeatureNames.Length);
        var y = Matrix<double>.Build.Dense(rows.Length, columns.TargetCount);
        int next = 0;
        if (rows.Length > 0)
        {
            if (rows[0] < first) throw new ArgumentException($"row {rows[0]} is before partition {partition.Index}, which starts at row {first}", nameof(rows));
            foreach (var block in (source ?? StreamedPartitionRows.Instance).Blocks(partition, columns, BlockPlan.DefaultRowBlock))
            {
                if (next == rows.Length) break;
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

    /// <summary>
    /// The scalable leverage scorer's row sums (ZᵀΦ and ‖φ‖²) of <paramref name="candidates"/> over the partition's
    /// preprocessed rows on the split's side, in blocks of <see cref="FirstStageScoreSums.RowBlock"/> rows summed in
    /// block order. The scores are formed from the sums over every partition (<see cref="FirstStageLeverage.Scores"/>).
    /// </summary>
    /// <param name="rows">Where the partition's rows come from (a worker's row cache); null: streamed from its file.</param>
    public static FirstStageScoreSums ScoreSums(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre,
        FeatureDraws firstStage, Matrix<double> candidates, IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(candidates);
        var sums = FirstStageScoreSums.Zero(firstStage.ColumnCount, candidates.RowCount * firstStage.FeatureDimension);
        foreach (var block in Blocks(partition, columns, split, FirstStageScoreSums.RowBlock, rows))
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
    public static long[] Labels(DataPartition partition, PartitionColumns columns, RowSplit? split, IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.TargetNames.Length != 1)
            throw new Errors.InvalidInputException($"--task classify takes one label column, got {columns.TargetNames.Length} ({string.Join(", ", columns.TargetNames)})");
        var labels = new SortedSet<long>();
        foreach (var block in Blocks(partition, columns with { Classes = null }, split, BlockPlan.DefaultRowBlock, rows))
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
        ClassLabels classes, IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(classes);
        var pre = model.Preprocessing;
        var score = ClassificationScore.None;
        foreach (var block in Blocks(partition, columns with { Classes = null }, split, BlockPlan.DefaultRowBlock, rows))
        {
            var scores = pre.InverseTransformTargets(BlockComputations.Predict(model, pre.TransformFeatures(block.X)));
            score = score.Plus(ClassificationScore.Of(classes, classes.Decode(scores), ClassLabelsCheck.Checked(block.Y, partition, classes.Column)));
        }
        return score;
    }

    /// <summary>
    /// A data-parallel network round's partial (<see cref="NetworkPoint"/>): the partition's preprocessed rows, read in
    /// blocks of <see cref="BlockPlan.DefaultRowBlock"/> rows and added in block order by <see cref="NetworkGradients"/>.
    /// </summary>
    public static NetworkRoundPartial Network(DataPartition partition, PartitionColumns columns, RowSplit? split, Preprocessor pre, NetworkPoint point,
        IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(point);
        if (columns.TargetNames.Length != 1) throw new ArgumentException("a network fits one target column", nameof(columns));
        var acc = NetworkRoundPartial.Zero(point.Weights.RowCount, point.Weights.ColumnCount);
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock, rows))
            acc = NetworkGradients.Accumulate(point, pre.TransformFeatures(block.X), pre.TransformTargets(block.Y).Column(0).ToArray(), acc);
        return acc;
    }

    /// <summary>
    /// The gap between two models' predictions over the partition's rows (<see cref="PredictionGap"/>), in the preprocessed
    /// target units they share (both models must carry the same preprocessing), predicted in blocks of
    /// <see cref="BlockPlan.DefaultRowBlock"/> rows and added in block order: a trained network against NTK ridge regression.
    /// </summary>
    public static PredictionGap Gap(DataPartition partition, PartitionColumns columns, RowSplit? split, IPredictiveModel model, IPredictiveModel reference,
        IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        var gap = PredictionGap.Zero;
        foreach (var block in Blocks(partition, columns, split, BlockPlan.DefaultRowBlock, rows))
        {
            var x = model.Preprocessing.TransformFeatures(block.X);
            gap = gap.Add(PredictionGap.Of(BlockComputations.Predict(model, x), BlockComputations.Predict(reference, x)));
        }
        return gap;
    }

    /// <summary>
    /// ΨᵀΨ, ΨᵀY and Σy² of the partition's (preprocessed) rows of each cross-validation fold: entry f sums the rows of
    /// fold f, read in blocks of <see cref="BlockPlan.GramRowBlock"/> rows, each block cut by fold and its pieces summed
    /// in block order — one pass over the partition for all k folds.
    /// </summary>
    public static PartitionGram[] FoldGrams(DataPartition partition, PartitionColumns columns, RowSplit? split, RowFolds folds, Preprocessor pre,
        FeatureDraws draws, IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(draws);
        var acc = new PartitionGram[folds.Count];
        for (int f = 0; f < acc.Length; f++) acc[f] = PartitionGram.Zero(draws.ColumnCount, columns.TargetNames.Length);
        // Unfiltered blocks, cut by fold and split together: a row's fold is a hash of its global index, which a block
        // compacted by the split no longer gives.
        foreach (var block in Blocks(partition, columns, null, BlockPlan.GramRowBlock(draws.ColumnCount), rows))
        {
            var pieces = folds.Split(partition, block, split);
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
        FoldModels models, IPartitionRows? rows = null)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Coefficients.Length != folds.Count)
            throw new ArgumentException($"{models.Coefficients.Length} fold models for {folds.Count} folds", nameof(models));
        int lambdas = models.Lambdas, t = columns.TargetNames.Length;
        var pre = models.Preprocessing;
        var sums = new SquaredErrorSum[folds.Count * lambdas];
        for (int i = 0; i < sums.Length; i++) sums[i] = new SquaredErrorSum(t);
        foreach (var block in Blocks(partition, columns, null, BlockPlan.DefaultRowBlock, rows))
        {
            var pieces = folds.Split(partition, block, split);
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
    /// The partition's blocks on the split's side (all of them without a split), from <paramref name="rows"/> — by
    /// default streamed from the file, which is open while they are enumerated. Blocks are cut before the split
    /// filters them, so they are the same whether the rows come from a cache or the file.
    /// </summary>
    /// <param name="applyMissing">Apply <c>--missing</c> (<see cref="MissingRows"/>) after the split, which decides rows by
    /// their index in the files, dropped ones included.</param>
    private static IEnumerable<RowBlock> Blocks(DataPartition partition, PartitionColumns columns, RowSplit? split, int blockSize,
        IPartitionRows? rows = null, bool applyMissing = true)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var block in (rows ?? StreamedPartitionRows.Instance).Blocks(partition, columns, blockSize))
        {
            var side = split is null ? block : split.Filter(partition, block);
            if (side is null) continue;
            if (!applyMissing || columns.Missing is null) yield return side;
            else if (MissingRows.Apply(side, columns) is { } kept) yield return kept;
        }
    }
}

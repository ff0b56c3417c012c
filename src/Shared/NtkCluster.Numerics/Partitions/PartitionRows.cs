using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// The columns a partition round reads from every partition: the feature and target columns by name (fixed once, from
/// the first partition, as a streamed file's are) and the <c>--columns</c> choice. Every partition is opened with
/// <see cref="PartitionReader.OpenMatching"/>, which gives the columns in this order whatever the file's order.
/// </summary>
public sealed record PartitionColumns(string[] FeatureNames, string[] TargetNames, string[]? Columns)
{
    /// <summary>The columns of a training dataset: targets as named (by default the last chosen column), features the
    /// others, as the first partition's header or footer gives them (no data is read).</summary>
    /// <param name="note">Told which non-numeric Parquet columns are skipped.</param>
    /// <param name="separator">CSV: <c>--separator</c>, kept in the columns for every read; null detects it.</param>
    public static PartitionColumns ForTraining(PartitionedDataset dataset, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        Action<string>? note = null, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var reader = PartitionReader.OpenTraining(dataset.Partitions[0], targetNames, columns, note, separator: separator);
        return new PartitionColumns(reader.FeatureNames, reader.TargetNames, columns?.ToArray()) { Separator = separator };
    }

    /// <summary>The same columns in another dataset (a test set): checked now on its first partition's header or footer.</summary>
    public PartitionColumns CheckedAgainst(PartitionedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        // Through Open, so that categorical columns are checked as the files hold them (before their one-hot encoding).
        using var reader = Open(dataset.Partitions[0], NtkCluster.Numerics.Features.BlockPlan.DefaultRowBlock);
        return this;
    }

    /// <summary>
    /// <see cref="ForTraining"/>, with a Parquet dataset's string columns among the features (categorical features, which
    /// <see cref="CategoryCensus"/> collects), where <see cref="ForTraining"/> skips them; a CSV dataset's columns as ever.
    /// </summary>
    public static PartitionColumns ForTrainingWithText(PartitionedDataset dataset, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        Action<string>? note = null, char? separator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Format != DataFormat.Parquet) return ForTraining(dataset, targetNames, columns, note, separator);
        var first = dataset.Partitions[0];
        first.Fingerprint.EnsureUnchanged(first.Path);
        using var reader = ParquetRowBlockReader.OpenTrainingWithText(first.Path, targetNames, columns, NtkCluster.Numerics.Features.BlockPlan.DefaultRowBlock, first.RowGroup);
        return new PartitionColumns(reader.FeatureNames, reader.TargetNames, columns?.ToArray()) { Separator = separator };
    }

    /// <summary>Whether a Parquet dataset has a string column (a categorical feature, unless it is the target).</summary>
    public static bool HasParquetText(PartitionedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Format != DataFormat.Parquet) return false;
        using var file = ParquetColumnReader.Open(dataset.Partitions[0].Path, null);
        return file.AllColumns.Any(c => c.Type == "string");
    }

    /// <summary>
    /// <c>--task classify</c>: the one target column holds integer class labels, and the fit is one-vs-rest ridge on
    /// ±1 targets (the classes are discovered per partition first, then set as <see cref="Classes"/>).
    /// </summary>
    public bool Classify { get; init; }

    /// <summary>
    /// The classes, once discovered: reading then replaces the label column by one ±1 column per class
    /// (<see cref="ClassLabels.Encode"/>), block by block, where the partition is read — so moments, Gram and gathered
    /// rows see exactly the targets of the in-memory classifier. Null reads the target columns as they are.
    /// </summary>
    public ClassLabels? Classes { get; init; }

    /// <summary>
    /// Text class labels (CSV only): the classes, in ordinal order, collected from the training rows before the job
    /// (<see cref="TextLabelScan"/>). The label column is then read as text and each cell coded as its class's index —
    /// <see cref="ClassLabels.UnseenText"/> for a label that is not a class — so every round sees the integer codes that
    /// the in-memory classifier of the same rows sees. Null: the labels are integers, read as numbers.
    /// </summary>
    public string[]? LabelNames { get; init; }

    /// <summary>
    /// The classes a labels round found (<see cref="Execution.IBlockRounds.PartitionLabelsAsync"/>): the integers, or
    /// with <see cref="LabelNames"/> the text classes, whose codes must be all of 0 … C−1.
    /// </summary>
    /// <exception cref="InvalidInputException">The codes found are not the classes collected before (the data changed).</exception>
    public ClassLabels ClassesFound(long[] labels, string source)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (LabelNames is null) return new ClassLabels(TargetNames[0], labels);
        if (labels.Length != LabelNames.Length || labels.Where((l, i) => l != i).Any())
            throw new InvalidInputException($"{source} changed while it was being read: the text labels of '{TargetNames[0]}' differ from those collected first");
        return ClassLabels.Named(TargetNames[0], LabelNames);
    }

    /// <summary>Target columns of the blocks read: one per class once <see cref="Classes"/> are set, else the target columns.</summary>
    public int TargetCount => Classes?.Count ?? TargetNames.Length;

    /// <summary>The names of the fitted targets: the classes' score columns, or the target columns.</summary>
    public string[] FittedTargetNames => Classes?.ScoreNames() ?? TargetNames;

    /// <summary>
    /// The columns of rows to predict (<see cref="PartitionReader.OpenFeatures"/>): a model's feature columns by name,
    /// no targets; the columns named in <paramref name="ignoredNames"/> (the model's targets or label column) may be
    /// present and are skipped. Read through a worker's row cache like any other choice of columns.
    /// </summary>
    public static PartitionColumns ForPrediction(IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(ignoredNames);
        return new PartitionColumns([.. featureNames], [], columns?.ToArray()) { IgnoredNames = [.. ignoredNames] };
    }

    /// <summary>Rows to predict (<see cref="ForPrediction"/>): these columns may be present and are skipped; null for
    /// training or test rows, whose columns must match exactly.</summary>
    public string[]? IgnoredNames { get; init; }

    /// <summary>
    /// CSV parts: the field separator (<c>--separator</c>), the same for every part; null detects each part's from its header
    /// (the client checked they agree).
    /// </summary>
    public char? Separator { get; init; }

    /// <summary>
    /// What <c>--missing</c> does with missing cells, applied where a partition is read (<see cref="MissingRows"/>): cells
    /// are read as NaN, rows without a target dropped, and rows with a missing feature dropped (drop) or filled with
    /// <see cref="Fills"/> (mean, median — once known). Null: training or test rows that must have no missing cell
    /// (a missing cell is refused where it is read), and rows to predict.
    /// </summary>
    public MissingPolicy? Missing { get; init; }

    /// <summary>With <see cref="Missing"/> mean or median: each feature column's fill value, once the training rows gave
    /// it (<see cref="MissingRows"/>); null before.</summary>
    public double[]? Fills { get; init; }

    /// <summary>The exact-median search's current step (<see cref="MedianSearch"/>): the moments round also counts the
    /// present feature values under its prefixes; null otherwise.</summary>
    public MedianProbe? Probe { get; init; }

    /// <summary>
    /// The categorical features' one-hot encoding (<see cref="CategoryCensus"/>, or a model's): <see cref="FeatureNames"/>
    /// then hold each categorical column's one-hot columns where it stood, and reading codes its cells and encodes them
    /// (<see cref="OneHotBlocks"/>) where the partition is read. Null: every feature column is numeric.
    /// </summary>
    public CategoricalColumn[]? Categorical { get; init; }

    /// <summary>With <see cref="Categorical"/>: refuse a category not seen in training (<c>--unknown-category error</c>)
    /// instead of encoding it as all zeros.</summary>
    public bool UnknownCategoryIsError { get; init; }

    /// <summary>
    /// These columns with the categorical columns of <paramref name="encoding"/> one-hot encoded: each feature column it
    /// names replaced, where it stands, by its <c>column=category</c> columns.
    /// </summary>
    /// <exception cref="InvalidInputException">A one-hot column's name is already a column's.</exception>
    public PartitionColumns WithCategorical(CategoricalColumn[] encoding, bool unknownIsError, string source)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (encoding.Length == 0) return this;
        var names = new List<string>();
        foreach (string name in FeatureNames)
        {
            if (encoding.FirstOrDefault(e => e.Name == name) is not { } e)
            {
                names.Add(name);
                continue;
            }
            foreach (string feature in e.FeatureNames())
            {
                if (FeatureNames.Contains(feature, StringComparer.Ordinal) || TargetNames.Contains(feature, StringComparer.Ordinal))
                    throw new InvalidInputException($"{source}: the one-hot column '{feature}' of categorical column '{name}' clashes with a column of that name: rename one");
                names.Add(feature);
            }
        }
        return this with { FeatureNames = [.. names], Categorical = encoding, UnknownCategoryIsError = unknownIsError };
    }

    /// <summary>The feature columns as the files hold them: each categorical column's one-hot columns folded back into it.</summary>
    public string[] RawFeatureNames()
    {
        if (Categorical is not { Length: > 0 } encoding) return FeatureNames;
        var raw = new List<string>();
        for (int i = 0; i < FeatureNames.Length;)
        {
            var e = encoding.FirstOrDefault(e => e.Categories.Length > 0 && FeatureNames[i] == e.FeatureName(e.Categories[0]));
            raw.Add(e?.Name ?? FeatureNames[i]);
            i += e?.Categories.Length ?? 1;
        }
        return [.. raw];
    }

    /// <summary>Which of <see cref="FeatureNames"/> are one-hot columns (left 0/1 by <c>--standardize</c>); null without any.</summary>
    public bool[]? OneHot()
    {
        if (Categorical is not { Length: > 0 } encoding) return null;
        var made = encoding.SelectMany(e => e.FeatureNames()).ToHashSet(StringComparer.Ordinal);
        return FeatureNames.Select(made.Contains).ToArray();
    }

    /// <summary>Opens a partition for reading these columns, in blocks of <paramref name="blockSize"/> rows.</summary>
    public IRowBlockReader Open(DataPartition partition, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (Categorical is { Length: > 0 } encoding)
        {
            var coders = encoding.ToDictionary(e => e.Name, e => OneHotBlocks.Coder(e, partition.Path, UnknownCategoryIsError), StringComparer.Ordinal);
            if (IgnoredNames is null && LabelNames is { } labels) coders[TargetNames[0]] = text => Code(labels, text);
            var raw = RawFeatureNames();
            IRowBlockReader coded = IgnoredNames is not null
                ? PartitionReader.OpenFeaturesCoded(partition, raw, IgnoredNames, Columns, blockSize, coders, Separator)
                : PartitionReader.OpenCoded(partition, raw, TargetNames, Columns, blockSize, coders, Separator, Missing is not null);
            var oneHot = new OneHotBlocks(coded, FeatureNames, encoding);
            return Classes is null ? oneHot : new EncodedLabels(oneHot, Classes, partition);
        }
        if (IgnoredNames is not null) return PartitionReader.OpenFeatures(partition, FeatureNames, IgnoredNames, Columns, blockSize);
        var reader = LabelNames is { } names
            ? PartitionReader.OpenMatching(partition, FeatureNames, TargetNames, Columns, blockSize, TargetNames[0], text => Code(names, text),
                Separator, Missing is not null)
            : PartitionReader.OpenMatching(partition, FeatureNames, TargetNames, Columns, blockSize, Separator, Missing is not null);
        return Classes is null ? reader : new EncodedLabels(reader, Classes, partition);
    }

    /// <summary>A text label's code: its class's index among the ordinally sorted names, or <see cref="ClassLabels.UnseenText"/>.</summary>
    private static double Code(string[] names, string text)
    {
        int k = Array.BinarySearch(names, text, StringComparer.Ordinal);
        return k >= 0 ? k : ClassLabels.UnseenText;
    }

    /// <summary>A reader whose blocks carry ±1 class targets instead of the label column.</summary>
    private sealed class EncodedLabels(IRowBlockReader inner, ClassLabels classes, DataPartition partition) : IRowBlockReader
    {
        public string[] FeatureNames => inner.FeatureNames;

        public string[] TargetNames => classes.ScoreNames();

        public RowBlock? ReadBlock() => inner.ReadBlock() is { } block
            ? block with { Y = classes.Encode(ClassLabelsCheck.Checked(block.Y, partition, classes.Column)) }
            : null;

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>The label column of a partition's block checked to hold integer labels (<c>--task classify</c>).</summary>
internal static class ClassLabelsCheck
{
    /// <exception cref="InvalidInputException">A label is not an integer; names the partition's file and the label column.</exception>
    public static Matrix<double> Checked(Matrix<double> labels, DataPartition partition, string column)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(partition);
        for (int i = 0; i < labels.RowCount; i++)
        {
            double v = labels[i, 0];
            if (!(double.IsFinite(v) && Math.Floor(v) == v && Math.Abs(v) <= 9007199254740992.0))
                throw new InvalidInputException($"{partition.Path}: label column '{column}': " +
                    $"{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is not an integer class label (--task classify)");
        }
        return labels;
    }
}

/// <summary>
/// One side of <c>--test-fraction</c>'s hashed split of a partitioned dataset (<see cref="RowHash.IsTest"/>): each row
/// is kept or not by its global index alone, so every partition decides its own rows without a shuffle. It needs
/// every partition's <see cref="DataPartition.FirstRow"/> (after a counting pass).
/// </summary>
/// <param name="Seed">The split seed (<c>--split-seed</c>).</param>
/// <param name="TestFraction">The probability of a row being held out, strictly between 0 and 1; or 0, which holds no row
/// out (<see cref="OfFold"/>: the folds of a dataset without <c>--test-fraction</c>).</param>
/// <param name="TestSide">True keeps the held-out rows, false the training rows.</param>
public sealed record RowSplit(ulong Seed, double TestFraction, bool TestSide)
{
    /// <summary>
    /// Cross-validation: within this side, only the rows of one side of one fold (<see cref="RowFoldSide"/>); null keeps
    /// every fold.
    /// </summary>
    public RowFoldSide? Fold { get; init; }

    /// <summary>
    /// One side of fold <paramref name="fold"/> of the rows on <paramref name="outer"/>'s side (every row without a split):
    /// the fold's training rows (<paramref name="held"/> false) or its held-out rows. Its <see cref="OtherSide"/> is the
    /// fold's other side within the same outer side.
    /// </summary>
    public static RowSplit OfFold(RowSplit? outer, RowFolds folds, int fold, bool held)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentOutOfRangeException.ThrowIfNegative(fold);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fold, folds.Count);
        return (outer ?? new RowSplit(0, 0, TestSide: false)) with { Fold = new RowFoldSide(folds, fold, held) };
    }

    /// <summary>The other side of the same split: of its fold when it has one (the outer side stays), else of the train/test split.</summary>
    public RowSplit OtherSide() => Fold is { } f ? this with { Fold = f.OtherSide() } : this with { TestSide = !TestSide };

    /// <summary>Whether the row of global index <paramref name="row"/> is on this side.</summary>
    public bool Keeps(long row) =>
        (TestFraction != 0 && RowHash.IsTest(Seed, row, TestFraction)) == TestSide && (Fold?.Keeps(row) ?? true);

    /// <summary>
    /// The rows of a block (read from <paramref name="partition"/>) on this side, in order: the block itself when all
    /// are, null when none is.
    /// </summary>
    public RowBlock? Filter(DataPartition partition, RowBlock block)
    {
        long first = (partition.FirstRow ?? throw new InvalidOperationException(
            $"partition {partition.Index} ({partition.Name}) has no first row yet: count the rows before splitting them")) + block.FirstRow;
        var kept = new List<int>(block.Rows);
        for (int i = 0; i < block.Rows; i++)
            if (Keeps(first + i)) kept.Add(i);
        if (kept.Count == block.Rows) return block;
        if (kept.Count == 0) return null;
        return block with { X = MatrixRows.Pick(block.X, kept), Y = MatrixRows.Pick(block.Y, kept) };
    }
}

/// <summary>One partition's partial of a primal fit (or the reduction of several in partition order): ΨᵀΨ, ΨᵀY, the
/// sum of squared (preprocessed) targets per column, and the rows they cover.</summary>
public sealed record PartitionGram(Matrix<double> Gram, Matrix<double> Cross, double[] Squares, long Rows)
{
    /// <summary>The zero partial: what a reduction starts from.</summary>
    public static PartitionGram Zero(int features, int targets) =>
        new(Matrix<double>.Build.Dense(features, features), Matrix<double>.Build.Dense(features, targets), new double[targets], 0);

    /// <summary>
    /// Adds a partial into this one (in place) and returns this: one addition per entry, so a reduction of the
    /// partials in partition order depends on the partitioning alone, and a single partition added to
    /// <see cref="Zero"/> is that partition's partial exactly.
    /// </summary>
    public PartitionGram Add(PartitionGram partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        Gram.Add(partial.Gram, Gram);
        Cross.Add(partial.Cross, Cross);
        for (int j = 0; j < Squares.Length; j++) Squares[j] += partial.Squares[j];
        return this with { Rows = Rows + partial.Rows };
    }
}

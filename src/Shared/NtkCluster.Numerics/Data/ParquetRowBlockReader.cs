using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Reads a Parquet file as <see cref="RowBlock"/>s of a fixed number of rows, split into feature and target columns
/// by name: the streaming counterpart of <see cref="ParquetTable"/>, as <see cref="CsvRowBlockReader"/> is of
/// <see cref="CsvTable"/>. Memory is one row group of the chosen columns plus one block, whatever the file's length.
/// </summary>
/// <remarks>
/// Blocks do not follow the file's row groups: block b holds rows [b·size, b·size + size) of the whole file, taking
/// rows from as many row groups as it spans, so the blocks — and hence every partial sum of a streamed fit — are
/// the ones <see cref="RowBlock.Split"/> cuts from the same data loaded whole.
/// </remarks>
public sealed class ParquetRowBlockReader : IRowBlockReader
{
    private readonly ParquetColumnReader _file;
    private readonly int[] _featureColumns;
    private readonly int[] _targetColumns;
    private double[][]? _group;
    private int _groupIndex = -1;
    private int _groupPosition;
    private long _rowsRead;
    private long _nextGroupFirstRow;
    private int _onlyGroup = -1; // ≥ 0: read this row group alone (one partition of a dataset)

    public string Path => _file.Path;
    public string[] FeatureNames { get; }
    public string[] TargetNames { get; }
    public int BlockSize { get; }

    /// <summary>Columns left out because they are not numbers, as "name (type)"; empty when the columns were named.</summary>
    public IReadOnlyList<string> SkippedColumns => _file.Skipped;

    /// <summary>Rows in the file (from its footer).</summary>
    public long RowCount => _file.RowCount;

    /// <summary>Read nulls as NaN, for <see cref="MissingValues"/> (<see cref="ParquetColumnReader.MissingAsNaN"/>); off by default.</summary>
    public bool MissingAsNaN
    {
        get => _file.MissingAsNaN;
        set => _file.MissingAsNaN = value;
    }

    private ParquetRowBlockReader(ParquetColumnReader file, int[] featureColumns, int[] targetColumns, int blockSize)
    {
        _file = file;
        _featureColumns = featureColumns;
        _targetColumns = targetColumns;
        FeatureNames = featureColumns.Select(c => file.Columns[c]).ToArray();
        TargetNames = targetColumns.Select(c => file.Columns[c]).ToArray();
        BlockSize = blockSize;
    }

    /// <summary>A training file: targets the named columns (by default the last chosen one), features the others.</summary>
    /// <param name="columns">The columns to use, in this order; null uses every numeric column.</param>
    /// <exception cref="InvalidInputException">The file is not valid Parquet, or its columns do not allow the choice.</exception>
    public static ParquetRowBlockReader OpenTraining(string path, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        int blockSize = BlockPlan.DefaultRowBlock) =>
        Open(path, columns, blockSize, names => ColumnSelection.ForTraining(path, names, targetNames));

    /// <summary>A file that must have the given feature and target columns, by name and in any order, and no others.</summary>
    /// <exception cref="InvalidInputException">The file is not valid Parquet, or its columns do not match.</exception>
    public static ParquetRowBlockReader OpenMatching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize = BlockPlan.DefaultRowBlock) =>
        Open(path, columns, blockSize, names => ColumnSelection.Matching(path, names, featureNames, targetNames));

    /// <summary><see cref="OpenTraining(string, IReadOnlyList{string}?, IReadOnlyList{string}?, int)"/>, reading row group
    /// <paramref name="rowGroup"/> alone: its blocks are numbered from 0 and their rows counted within the group, while
    /// error messages give the rows' numbers in the file.</summary>
    internal static ParquetRowBlockReader OpenTraining(string path, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        int blockSize, int rowGroup) =>
        OnlyGroup(OpenTraining(path, targetNames, columns, blockSize), rowGroup);

    /// <summary><see cref="OpenMatching(string, IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{string}?, int)"/>,
    /// reading row group <paramref name="rowGroup"/> alone.</summary>
    internal static ParquetRowBlockReader OpenMatching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize, int rowGroup) =>
        OnlyGroup(OpenMatching(path, featureNames, targetNames, columns, blockSize), rowGroup);

    /// <summary>Rows to predict from row group <paramref name="rowGroup"/> alone: a model's feature columns only, the
    /// columns it ignores skipped (<see cref="ColumnSelection.FeaturesOnly"/>); blocks have no target columns.</summary>
    internal static ParquetRowBlockReader OpenFeatures(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames,
        IReadOnlyList<string>? columns, int blockSize, int rowGroup) =>
        OnlyGroup(Open(path, columns, blockSize, names => ColumnSelection.FeaturesOnly(path, names, featureNames, ignoredNames)), rowGroup);

    private static ParquetRowBlockReader OnlyGroup(ParquetRowBlockReader reader, int rowGroup)
    {
        if (rowGroup < 0 || rowGroup >= reader._file.RowGroupCount)
        {
            reader.Dispose();
            throw new InvalidInputException($"{reader.Path}: has no row group {rowGroup} (it has {reader._file.RowGroupCount}): did the file change?");
        }
        reader._onlyGroup = rowGroup;
        // Rows before the group, so that a bad value is reported at its row in the file.
        for (int g = 0; g < rowGroup; g++) reader._nextGroupFirstRow += reader._file.RowGroupRowCount(g);
        reader._groupIndex = rowGroup - 1;
        return reader;
    }

    /// <summary>
    /// The readers of a partitioned dataset's categorical features: flat string columns are chosen too, and read
    /// through <paramref name="coders"/> (a category's index; see <c>PartitionColumns.Categorical</c>). With null
    /// coders (the columns of a training dataset, no data read) string columns are only named.
    /// </summary>
    internal static ParquetRowBlockReader OpenTrainingWithText(string path, IReadOnlyList<string>? targetNames, IReadOnlyList<string>? columns,
        int blockSize, int rowGroup) =>
        OnlyGroup(Open(path, columns, blockSize, names => ColumnSelection.ForTraining(path, names, targetNames), text: true), rowGroup);

    /// <inheritdoc cref="OpenTrainingWithText"/>
    internal static ParquetRowBlockReader OpenMatchingCoded(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        IReadOnlyList<string>? columns, int blockSize, int rowGroup, IReadOnlyDictionary<string, Func<string, double>> coders)
    {
        var reader = OnlyGroup(Open(path, columns, blockSize, names => ColumnSelection.Matching(path, names, featureNames, targetNames), text: true), rowGroup);
        reader._file.Coders = coders;
        return reader;
    }

    /// <inheritdoc cref="OpenTrainingWithText"/>
    internal static ParquetRowBlockReader OpenFeaturesCoded(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames,
        IReadOnlyList<string>? columns, int blockSize, int rowGroup, IReadOnlyDictionary<string, Func<string, double>> coders)
    {
        var reader = OnlyGroup(Open(path, columns, blockSize, names => ColumnSelection.FeaturesOnly(path, names, featureNames, ignoredNames), text: true), rowGroup);
        reader._file.Coders = coders;
        return reader;
    }

    /// <summary>One string column of the row group this reader reads (a category census).</summary>
    internal string?[] ReadStrings(string column) => _file.ReadStrings(_onlyGroup, column);

    private static ParquetRowBlockReader Open(string path, IReadOnlyList<string>? columns, int blockSize,
        Func<IReadOnlyList<string>, (int[] Features, int[] Targets)> select, bool text = false)
    {
        if (blockSize <= 0) throw new ArgumentOutOfRangeException(nameof(blockSize), "a block needs at least one row");
        var file = ParquetColumnReader.Open(path, columns, text);
        try
        {
            if (file.RowCount == 0) throw new InvalidInputException($"{path}: the file has no rows");
            var (features, targets) = select(file.Columns);
            return new ParquetRowBlockReader(file, features, targets, blockSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The next block of up to <see cref="BlockSize"/> rows, or null after the last row.</summary>
    /// <exception cref="InvalidInputException">A value in the block's rows is null or not finite, or cannot be decoded.</exception>
    public RowBlock? ReadBlock()
    {
        int size = BlockSize, d = _featureColumns.Length, t = _targetColumns.Length;
        // Fresh arrays for every block: a block handed to a worker may be sent again on a retry, so it is never reused.
        var x = new double[(long)size * d];
        var y = new double[(long)size * t];
        long firstRow = _rowsRead;
        int n = 0;
        while (n < size && NextGroupRows() is int available)
        {
            int take = Math.Min(available, size - n);
            for (int k = 0; k < d; k++) Array.Copy(_group![_featureColumns[k]], _groupPosition, x, (long)k * size + n, take);
            for (int k = 0; k < t; k++) Array.Copy(_group![_targetColumns[k]], _groupPosition, y, (long)k * size + n, take);
            _groupPosition += take;
            n += take;
        }
        if (n == 0) return null;
        _rowsRead += n;
        int index = checked((int)(firstRow / size));
        return new RowBlock(index, checked((int)firstRow), RowBlock.ColumnMajor(x, size, n, d), RowBlock.ColumnMajor(y, size, n, t));
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Rows left in the current row group, reading the next non-empty group when it is used up; null at the end.</summary>
    private int? NextGroupRows()
    {
        while (_group is null || _groupPosition == GroupLength)
        {
            if (_groupIndex + 1 >= _file.RowGroupCount || (_onlyGroup >= 0 && _groupIndex == _onlyGroup)) return null;
            _groupIndex++;
            // The used-up group is let go before the next is read, so at most one is held.
            _group = null;
            _group = _file.ReadRowGroup(_groupIndex, _nextGroupFirstRow);
            _nextGroupFirstRow += GroupLength;
            _groupPosition = 0;
        }
        return GroupLength - _groupPosition;
    }

    private int GroupLength => _group!.Length == 0 ? 0 : _group[0].Length;
}

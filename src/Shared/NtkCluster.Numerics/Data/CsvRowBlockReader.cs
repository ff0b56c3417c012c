using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Reads a numeric CSV file as a sequence of <see cref="RowBlock"/>s of a fixed number of rows (the last may be
/// shorter), split into feature and target columns by name. Memory is O(block size · columns) whatever the file's
/// length: this is how files too large to load whole (<see cref="CsvTable"/>, <see cref="Dataset"/>) are fitted.
/// </summary>
/// <remarks>
/// Parsing is <see cref="CsvRowReader"/>'s and the choice of columns <see cref="ColumnSelection"/>'s — the very code
/// behind <see cref="CsvTable.Read"/> and <see cref="Dataset.FromTable"/> — so a streamed file gives bitwise the same
/// numbers as a loaded one and is refused with the same one-line <c>file:line:column: problem</c> message. A
/// problem is found when the block that holds it is read, not before: a caller that must not start work on a bad
/// file reads it through once first.
/// </remarks>
public sealed class CsvRowBlockReader : IRowBlockReader
{
    private readonly CsvRowReader _rows;
    private readonly int[] _featureColumns;
    private readonly int[] _targetColumns;
    private readonly double[] _row;
    private bool _ended;

    /// <summary>The path as the caller gave it; it starts every error message.</summary>
    public string Path => _rows.Path;

    /// <summary>Feature column names, in the order of the columns of each block's X.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Target column names, in the order of the columns of each block's Y.</summary>
    public string[] TargetNames { get; }

    /// <summary>Rows per block.</summary>
    public int BlockSize { get; }

    /// <summary>Data rows read so far.</summary>
    public int RowsRead => _rows.RowCount;

    /// <summary>Blocks returned so far.</summary>
    public int BlocksRead { get; private set; }

    private CsvRowBlockReader(CsvRowReader rows, int[] featureColumns, int[] targetColumns, int blockSize)
    {
        _rows = rows;
        _featureColumns = featureColumns;
        _targetColumns = targetColumns;
        _row = new double[rows.Columns.Length];
        FeatureNames = featureColumns.Select(c => rows.Columns[c]).ToArray();
        TargetNames = targetColumns.Select(c => rows.Columns[c]).ToArray();
        BlockSize = blockSize;
    }

    /// <summary>
    /// Opens a training file: targets are the named columns (by default the last one), features every other column
    /// in file order — exactly as <see cref="Dataset.FromTable"/> chooses them.
    /// </summary>
    /// <param name="columns">The columns to use, in this order (<see cref="CsvTable.Select"/>); null uses them all.</param>
    /// <exception cref="InvalidInputException">The file cannot be read, its header is malformed, or a target is not a column.</exception>
    public static CsvRowBlockReader OpenTraining(string path, IReadOnlyList<string>? targetNames, int blockSize = BlockPlan.DefaultRowBlock,
        IReadOnlyList<string>? columns = null) =>
        Open(() => CsvRowReader.Open(path), blockSize, columns, names => ColumnSelection.ForTraining(path, names, targetNames));

    /// <summary>
    /// Opens a file that must have the given feature and target columns, by name and in any order, and no others —
    /// the rule for a test file: its targets are looked up as a training file's would be, its features as
    /// <see cref="Dataset.FeaturesFor"/> looks up a model's.
    /// </summary>
    /// <param name="columns">The columns to use (<see cref="CsvTable.Select"/>); null uses them all.</param>
    /// <exception cref="InvalidInputException">The file cannot be read, its header is malformed, or its columns do not match.</exception>
    public static CsvRowBlockReader OpenMatching(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames,
        int blockSize = BlockPlan.DefaultRowBlock, IReadOnlyList<string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(targetNames);
        return Open(() => CsvRowReader.Open(path), blockSize, columns, names => ColumnSelection.Matching(path, names, featureNames, targetNames));
    }

    /// <summary><see cref="OpenTraining"/> over the rows an opened reader gives: a byte range of a file.</summary>
    internal static CsvRowBlockReader OpenTraining(Func<CsvRowReader> open, string path, IReadOnlyList<string>? targetNames, int blockSize,
        IReadOnlyList<string>? columns) =>
        Open(open, blockSize, columns, names => ColumnSelection.ForTraining(path, names, targetNames));

    /// <summary><see cref="OpenMatching"/> over the rows an opened reader gives: a byte range of a file.</summary>
    internal static CsvRowBlockReader OpenMatching(Func<CsvRowReader> open, string path, IReadOnlyList<string> featureNames,
        IReadOnlyList<string> targetNames, int blockSize, IReadOnlyList<string>? columns) =>
        Open(open, blockSize, columns, names => ColumnSelection.Matching(path, names, featureNames, targetNames));

    /// <summary>Rows to predict over the rows an opened reader gives (a byte range of a file): a model's feature
    /// columns only, the columns it ignores skipped (<see cref="ColumnSelection.FeaturesOnly"/>); blocks have no target columns.</summary>
    internal static CsvRowBlockReader OpenFeatures(Func<CsvRowReader> open, string path, IReadOnlyList<string> featureNames,
        IReadOnlyList<string> ignoredNames, int blockSize, IReadOnlyList<string>? columns) =>
        Open(open, blockSize, columns, names => ColumnSelection.FeaturesOnly(path, names, featureNames, ignoredNames), fitting: false);

    /// <summary>Tells the row reader each column's role, for the hint when a cell is text: the feature of a file being
    /// fitted (training or test rows, read whole or by partition) may be named categorical (<c>--categorical</c>); rows
    /// to predict have the types a model fixed, and keep the general hint.</summary>
    private static CsvRowBlockReader Marked(CsvRowBlockReader reader, bool fitting)
    {
        reader._rows.MarkRoles(fitting ? reader._featureColumns : [], reader._targetColumns);
        return reader;
    }

    private static CsvRowBlockReader Open(Func<CsvRowReader> open, int blockSize, IReadOnlyList<string>? columns,
        Func<IReadOnlyList<string>, (int[] Features, int[] Targets)> select, bool fitting = true)
    {
        if (blockSize <= 0) throw new ArgumentOutOfRangeException(nameof(blockSize), "a block needs at least one row");
        var rows = open();
        string path = rows.Path;
        try
        {
            if (columns is null)
            {
                var (features, targets) = select(rows.Columns);
                return Marked(new CsvRowBlockReader(rows, features, targets, blockSize), fitting);
            }
            // Features and targets are chosen among the chosen columns, then mapped back to positions in the file.
            int[] chosen = ColumnSelection.Project(path, rows.Columns, columns);
            rows.ParseOnly(chosen);
            var (f, t) = select(chosen.Select(c => rows.Columns[c]).ToArray());
            return Marked(new CsvRowBlockReader(rows, f.Select(k => chosen[k]).ToArray(), t.Select(k => chosen[k]).ToArray(), blockSize), fitting);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>The next block of up to <see cref="BlockSize"/> rows, or null after the last row.</summary>
    /// <exception cref="DataFormatException">A row of the block breaks a rule, or the file has no data rows.</exception>
    public RowBlock? ReadBlock()
    {
        if (_ended) return null;
        int size = BlockSize, d = _featureColumns.Length, t = _targetColumns.Length;
        // Fresh arrays for every block: a block handed to a worker may be sent again on a retry, so it is never reused.
        var x = new double[(long)size * d];
        var y = new double[(long)size * t];
        int firstRow = _rows.RowCount, n = 0;
        while (n < size)
        {
            if (!_rows.ReadRow(_row))
            {
                _ended = true;
                break;
            }
            for (int k = 0; k < d; k++) x[(long)k * size + n] = _row[_featureColumns[k]];
            for (int k = 0; k < t; k++) y[(long)k * size + n] = _row[_targetColumns[k]];
            n++;
        }
        if (n == 0) return null;
        var block = new RowBlock(BlocksRead, firstRow, RowBlock.ColumnMajor(x, size, n, d), RowBlock.ColumnMajor(y, size, n, t));
        BlocksRead++;
        return block;
    }

    public void Dispose() => _rows.Dispose();
}

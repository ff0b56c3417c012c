using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Gathers a partition's row blocks, as they are read, into one features matrix and one targets matrix for a
/// <see cref="PartitionRowCache"/>, giving up as soon as the rows would pass the budget. With the row count known
/// (Parquet; CSV after a counting pass) the matrices are allocated once and filled in place; otherwise the blocks are
/// copied aside and joined at the end.
/// </summary>
internal sealed class PartitionRowsBuilder
{
    private readonly int _features, _targets;
    private readonly long _budget;
    private readonly long? _expected;
    private readonly double[]? _x, _y;
    private readonly List<(double[] X, double[] Y, int Rows)>? _parts;
    private long _rows;

    private PartitionRowsBuilder(int features, int targets, long budget, long? expected)
    {
        _features = features;
        _targets = targets;
        _budget = budget;
        _expected = expected;
        if (expected is long n)
        {
            _x = new double[n * features];
            _y = new double[n * targets];
        }
        else _parts = [];
    }

    /// <summary>A builder for the partition's rows of these columns, or null when they cannot be kept within
    /// <paramref name="budget"/> (known to be too large, or the budget is 0).</summary>
    public static PartitionRowsBuilder? For(DataPartition partition, PartitionColumns columns, long budget)
    {
        int features = columns.FeatureNames.Length, targets = columns.TargetCount;
        if (budget <= 0 || features + targets == 0) return null;
        // A matrix's doubles are one .NET array: a partition that would not fit one streams, whatever the budget.
        long maxRows = Array.MaxLength / Math.Max(1, Math.Max(features, targets));
        if (partition.RowCount is long n && (n > maxRows || n * (features + targets) * sizeof(double) > budget)) return null;
        return new PartitionRowsBuilder(features, targets, budget, partition.RowCount);
    }

    /// <summary>Copies a block's rows in; false (and nothing more kept) when they pass the budget or the known count.</summary>
    public bool Add(RowBlock block)
    {
        long rows = _rows + block.Rows;
        if (rows * (_features + _targets) * sizeof(double) > _budget || rows > Array.MaxLength / Math.Max(1, Math.Max(_features, _targets))
            || (_expected is long n && rows > n))
            return false;
        if (_expected is long expected)
        {
            // Copied straight from the block's own storage into the kept matrices.
            CopyColumns(block.X.AsColumnMajorArray() ?? block.X.ToColumnMajorArray(), block.Rows, _x!, expected, _rows, _features);
            CopyColumns(block.Y.AsColumnMajorArray() ?? block.Y.ToColumnMajorArray(), block.Rows, _y!, expected, _rows, _targets);
        }
        else _parts!.Add((block.X.ToColumnMajorArray(), block.Y.ToColumnMajorArray(), block.Rows));
        _rows = rows;
        return true;
    }

    /// <summary>The rows as two matrices; null when there are none, or fewer than the partition's count said (nothing is kept then).</summary>
    public (Matrix<double> X, Matrix<double> Y)? Build()
    {
        if (_rows == 0) return null;
        int n = checked((int)_rows);
        if (_expected is long expected)
            return expected == _rows ? (Matrix<double>.Build.Dense(n, _features, _x!), Matrix<double>.Build.Dense(n, _targets, _y!)) : null;
        var x = new double[_rows * _features];
        var y = new double[_rows * _targets];
        long at = 0;
        foreach (var part in _parts!)
        {
            CopyColumns(part.X, part.Rows, x, _rows, at, _features);
            CopyColumns(part.Y, part.Rows, y, _rows, at, _targets);
            at += part.Rows;
        }
        return (Matrix<double>.Build.Dense(n, _features, x), Matrix<double>.Build.Dense(n, _targets, y));
    }

    /// <summary>Copies a rows×columns column-major block into a column-major matrix of <paramref name="height"/> rows, at row <paramref name="row"/>.</summary>
    private static void CopyColumns(double[] block, int rows, double[] into, long height, long row, int columns)
    {
        for (int k = 0; k < columns; k++) Array.Copy(block, (long)k * rows, into, k * height + row, rows);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;

namespace NtkCluster;

/// <summary>Turns the arrays a library user holds into the math project's matrices and data sets, checking their shapes.</summary>
internal static class TableData
{
    public static Matrix<double> Row(double[] values) => Matrix<double>.Build.Dense(1, values.Length, values);

    public static Matrix<double> Matrix(double[,] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
            throw new ArgumentException($"{name} has no {(values.GetLength(0) == 0 ? "rows" : "columns")}", name);
        var m = Matrix<double>.Build.DenseOfArray(values);
        for (int i = 0; i < m.RowCount; i++)
            for (int j = 0; j < m.ColumnCount; j++)
                if (!double.IsFinite(m[i, j])) throw new ArgumentException($"{name}[{i}, {j}] is {m[i, j]}: every value must be a finite number", name);
        return m;
    }

    public static Matrix<double> Column(double[] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var column = new double[values.Length, 1];
        for (int i = 0; i < values.Length; i++) column[i, 0] = values[i];
        return Matrix(column, name);
    }

    /// <summary>A training set with the given column names, or x1…xd and y1…yt (y for one target).</summary>
    public static Dataset Dataset(Matrix<double> x, Matrix<double> y, IReadOnlyList<string>? featureNames, IReadOnlyList<string>? targetNames)
    {
        if (x.RowCount != y.RowCount) throw new ArgumentException($"x has {x.RowCount} rows, y has {y.RowCount}", nameof(y));
        var features = featureNames?.ToArray() ?? Enumerable.Range(1, x.ColumnCount).Select(j => $"x{j}").ToArray();
        var targets = targetNames?.ToArray() ?? (y.ColumnCount == 1 ? ["y"] : Enumerable.Range(1, y.ColumnCount).Select(j => $"y{j}").ToArray());
        if (features.Length != x.ColumnCount) throw new ArgumentException($"{features.Length} feature names for {x.ColumnCount} columns", nameof(featureNames));
        if (targets.Length != y.ColumnCount) throw new ArgumentException($"{targets.Length} target names for {y.ColumnCount} columns", nameof(targetNames));
        return new Dataset(features, x, targets, y);
    }

    public static double[] FirstColumn(Matrix<double> m) => m.Column(0).ToArray();

    public static double[,] ToArray(Matrix<double> m) => m.ToArray();
}

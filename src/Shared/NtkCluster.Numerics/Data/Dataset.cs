using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Training data split into features and targets: a dense n × d feature matrix and an n × t target matrix, with the
/// column names that a fitted model must remember so that <c>predict</c> can find the same columns again.
/// </summary>
/// <remarks>
/// Columns are chosen by header name, never by position, so that a prediction file whose columns come in another
/// order, or that lacks the target column, still lines up with the model (see <see cref="FeaturesFor"/>).
/// </remarks>
public sealed class Dataset
{
    /// <summary>Names of the feature columns, in the order of the columns of <see cref="X"/>.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Features, n × d, dense.</summary>
    public Matrix<double> X { get; }

    /// <summary>Names of the target columns, in the order of the columns of <see cref="Y"/>.</summary>
    public string[] TargetNames { get; }

    /// <summary>Targets, n × t, dense. Several targets are fitted jointly, sharing one feature map.</summary>
    public Matrix<double> Y { get; }

    /// <summary>Number of rows (samples), n.</summary>
    public int Rows => X.RowCount;

    /// <summary>
    /// Which feature columns are the 0/1 columns of a one-hot encoded categorical feature (<see cref="CategoricalTable"/>),
    /// by column; null when none is. <c>--standardize</c> leaves these columns as they are (<see cref="Preprocessor.Fit(Dataset, bool, bool, bool)"/>).
    /// </summary>
    public bool[]? OneHot { get; init; }

    /// <summary>The encoding of the categorical columns behind <see cref="OneHot"/>, for the model to store; null when none.
    /// It stays where the data was read (the wire carries <see cref="OneHot"/> only).</summary>
    public CategoricalColumn[]? Categorical { get; init; }

    /// <summary>Builds a dataset from matrices that are already in memory, checking that names and shapes agree.</summary>
    /// <exception cref="ArgumentException">The shapes or names are inconsistent.</exception>
    public Dataset(string[] featureNames, Matrix<double> x, string[] targetNames, Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(targetNames);
        ArgumentNullException.ThrowIfNull(y);
        if (featureNames.Length != x.ColumnCount)
            throw new ArgumentException($"{featureNames.Length} feature names for {x.ColumnCount} feature columns", nameof(featureNames));
        if (targetNames.Length != y.ColumnCount)
            throw new ArgumentException($"{targetNames.Length} target names for {y.ColumnCount} target columns", nameof(targetNames));
        if (x.RowCount != y.RowCount)
            throw new ArgumentException($"features have {x.RowCount} rows but targets have {y.RowCount}", nameof(y));
        FeatureNames = featureNames;
        X = x;
        TargetNames = targetNames;
        Y = y;
    }

    /// <summary>
    /// Splits a table into targets (the named columns, or by default the last column, which is where most datasets
    /// put it) and features (every other column, in file order).
    /// </summary>
    /// <param name="table">The training table.</param>
    /// <param name="targetNames">Target column names; null or empty means "the last column".</param>
    /// <exception cref="InvalidInputException">A target name is not a column, is given twice, or no feature column is left.</exception>
    public static Dataset FromTable(INumericTable table, IReadOnlyList<string>? targetNames)
    {
        ArgumentNullException.ThrowIfNull(table);
        IReadOnlyList<string> columns = table.Columns;
        var (featureIndices, targetIndices) = ColumnSelection.ForTraining(table.Path, columns, targetNames);
        return new Dataset(
            featureIndices.Select(i => columns[i]).ToArray(), Gather(table, featureIndices),
            targetIndices.Select(i => columns[i]).ToArray(), Gather(table, targetIndices))
        {
            OneHot = (table as CategoricalTable)?.OneHotAmong(featureIndices),
            Categorical = (table as CategoricalTable)?.Encoding,
        };
    }

    /// <summary>
    /// The feature matrix of a table for prediction: the model's feature columns, found by name, in the model's
    /// order. Target columns are ignored if present, so the training file itself can be scored.
    /// </summary>
    /// <remarks>
    /// A column that is neither a feature nor a target is refused rather than ignored: it usually means the wrong
    /// file or a renamed column, and silently dropping it would hide that.
    /// </remarks>
    /// <exception cref="InvalidInputException">A feature column is missing, or there is a column the model does not know.</exception>
    public static Matrix<double> FeaturesFor(INumericTable table, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(targetNames);

        var indices = ColumnSelection.FeaturesFor(table.Path, table.Columns, featureNames, targetNames);
        return Gather(table, indices);
    }

    /// <summary>The given rows, in the given order, as a new dataset (the matrices are copied).</summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside [0, Rows).</exception>
    public Dataset Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a subset needs at least one row", nameof(rows));
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)Rows)
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"row index outside [0, {Rows})");
        }
        return new Dataset(FeatureNames, MatrixRows.Pick(X, rows), TargetNames, MatrixRows.Pick(Y, rows)) { OneHot = OneHot, Categorical = Categorical };
    }

    /// <summary>Copies the chosen columns of a row-major table into a column-major dense matrix.</summary>
    private static Matrix<double> Gather(INumericTable table, int[] columnIndices)
    {
        int n = table.RowCount, width = table.Columns.Count, cols = columnIndices.Length;
        double[] values = table.Values;
        var data = new double[(long)n * cols];
        for (int k = 0; k < cols; k++)
        {
            int source = columnIndices[k];
            long offset = (long)k * n;
            for (int r = 0; r < n; r++) data[offset + r] = values[(long)r * width + source];
        }
        return Matrix<double>.Build.Dense(n, cols, data);
    }
}

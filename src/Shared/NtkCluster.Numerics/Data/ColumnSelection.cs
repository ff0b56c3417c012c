using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Which columns of a data file (a CSV header, a Parquet schema) are features and which are targets, by name. The
/// in-memory <see cref="Dataset"/> and the streaming readers (<see cref="CsvRowBlockReader"/>,
/// <see cref="ParquetRowBlockReader"/>) all choose their columns here, so a file means the same data, and is refused
/// with the same message, whichever way it is read.
/// </summary>
internal static class ColumnSelection
{
    /// <summary>
    /// Training columns: targets are the named columns, or by default the last column (where most datasets put it);
    /// features are every other column, in file order.
    /// </summary>
    /// <exception cref="InvalidInputException">A target name is not a column, is given twice, or no feature column is left.</exception>
    public static (int[] Features, int[] Targets) ForTraining(string path, IReadOnlyList<string> columns, IReadOnlyList<string>? targetNames)
    {
        int[] targetIndices;
        if (targetNames == null || targetNames.Count == 0)
        {
            targetIndices = [columns.Count - 1];
        }
        else
        {
            targetIndices = new int[targetNames.Count];
            for (int k = 0; k < targetNames.Count; k++)
            {
                string name = targetNames[k];
                int index = IndexOf(columns, name);
                if (index < 0)
                    throw new InvalidInputException($"{path}: no column '{name}' (columns: {string.Join(", ", columns)})");
                if (Array.IndexOf(targetIndices, index, 0, k) >= 0)
                    throw new InvalidInputException($"{path}: target column '{name}' is given twice");
                targetIndices[k] = index;
            }
        }

        int[] featureIndices = Enumerable.Range(0, columns.Count).Where(c => Array.IndexOf(targetIndices, c) < 0).ToArray();
        if (featureIndices.Length == 0)
        {
            string targets = string.Join(", ", targetIndices.Select(i => $"'{columns[i]}'"));
            throw new InvalidInputException($"{path}: no feature columns left: every column ({targets}) is a target");
        }
        return (featureIndices, targetIndices);
    }

    /// <summary>
    /// A model's feature columns, found by name, in the model's order. Target columns may be present and are not
    /// features; any other column is refused rather than ignored: it usually means the wrong file or a renamed
    /// column, and silently dropping it would hide that.
    /// </summary>
    /// <exception cref="InvalidInputException">A feature column is missing, or there is a column the model does not know.</exception>
    public static int[] FeaturesFor(string path, IReadOnlyList<string> columns, IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames)
    {
        var indices = new int[featureNames.Count];
        for (int k = 0; k < featureNames.Count; k++)
        {
            indices[k] = IndexOf(columns, featureNames[k]);
            if (indices[k] < 0)
                throw new InvalidInputException($"{path}: missing column '{featureNames[k]}' that the model was trained on");
        }
        foreach (string column in columns)
        {
            if (IndexOf(featureNames, column) < 0 && IndexOf(targetNames, column) < 0)
                throw new InvalidInputException($"{path}: column '{column}' is not one the model was trained on");
        }
        return indices;
    }

    /// <summary>
    /// A test file's columns: its targets looked up as a training file's would be, its features as
    /// <see cref="FeaturesFor"/> looks up a model's (the given columns, in any order, and no others).
    /// </summary>
    /// <exception cref="InvalidInputException">The file's columns do not match.</exception>
    public static (int[] Features, int[] Targets) Matching(string path, IReadOnlyList<string> columns,
        IReadOnlyList<string> featureNames, IReadOnlyList<string> targetNames)
    {
        var (_, targets) = ForTraining(path, columns, targetNames);
        return (FeaturesFor(path, columns, featureNames, targetNames), targets);
    }

    /// <summary>
    /// Rows to predict: a model's feature columns (<see cref="FeaturesFor"/>: in the model's order, columns it ignores
    /// allowed, any other refused) and no target columns — what <c>ntk predict</c> reads, whole or per partition.
    /// </summary>
    /// <exception cref="InvalidInputException">A feature column is missing, or there is a column the model does not know.</exception>
    public static (int[] Features, int[] Targets) FeaturesOnly(string path, IReadOnlyList<string> columns,
        IReadOnlyList<string> featureNames, IReadOnlyList<string> ignoredNames) =>
        (FeaturesFor(path, columns, featureNames, ignoredNames), []);

    /// <summary>
    /// The positions of the named columns among <paramref name="columns"/>, in the order named: the columns a user
    /// chose with <c>--columns</c>. Every other column is left out of the data altogether.
    /// </summary>
    /// <exception cref="InvalidInputException">A name is not a column, or is named twice.</exception>
    public static int[] Project(string path, IReadOnlyList<string> columns, IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new ArgumentException("choose at least one column", nameof(names));
        var indices = new int[names.Count];
        for (int k = 0; k < names.Count; k++)
        {
            indices[k] = IndexOf(columns, names[k]);
            if (indices[k] < 0)
                throw new InvalidInputException($"{path}: no column '{names[k]}' (columns: {string.Join(", ", columns)})");
            if (Array.IndexOf(indices, indices[k], 0, k) >= 0)
                throw new InvalidInputException($"{path}: column '{names[k]}' is chosen twice");
        }
        return indices;
    }

    /// <summary>Exact, case-sensitive name lookup: header names are identifiers, and "Age" and "age" may both exist.</summary>
    public static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}

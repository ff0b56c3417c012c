using System.Globalization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A single Parquet file with string columns, loaded whole with them one-hot encoded (<see cref="CategoricalTable"/>):
/// read as the one-file partitioned dataset it is — its categories by <see cref="CategoryCensus"/>, its rows through
/// <see cref="PartitionColumns.Open"/> row group by row group — so a file and the same rows in parts encode alike.
/// </summary>
internal static class ParquetCategorical
{
    /// <summary>The training file's table, or null when no feature column holds strings (it is read as numbers, as ever).</summary>
    /// <param name="deferFill">As <see cref="CategoricalTable.ReadTraining"/>'s: missing category cells stay missing (NaN)
    /// and the encodings have no fill, for <see cref="CategoryFills"/> to fill from the training part of a split.</param>
    public static CategoricalTable? ReadTraining(string path, IReadOnlyList<string>? columns, IReadOnlyList<string>? targets,
        MissingPolicy missing, Action<string> note, bool deferFill = false)
    {
        var dataset = PartitionedDataset.Resolve(path);
        if (!PartitionColumns.HasParquetText(dataset)) return null;
        var chosen = PartitionColumns.ForTrainingWithText(dataset, targets, columns);
        var encoding = CategoryCensus.Collect(path, dataset.Partitions, chosen.FeatureNames, null, null, missing);
        if (encoding.Length == 0) return null;
        if (deferFill) encoding = encoding.Select(e => new CategoricalColumn { Name = e.Name, Codes = e.Codes, Categories = e.Categories }).ToArray();
        note($"{path}: categorical feature(s) (text columns, and --categorical), one-hot encoded: one 0/1 column per training " +
             $"category, in sorted order: {CategoricalEncoder.Describe(encoding)}");
        // Missing cells are read as NaN, for MissingData to refuse, drop or fill, as the CSV reader hands them on.
        return Read(path, dataset, chosen.WithCategorical(encoding, false, path) with { Missing = missing }, encoding, null);
    }

    /// <summary>A test file or the rows to predict, encoded with the training encoding (see <see cref="CategoricalTable.ReadEncoded"/>).</summary>
    public static CategoricalTable ReadEncoded(string path, IReadOnlyList<string>? columns, IReadOnlyList<CategoricalColumn> encoding,
        IReadOnlyList<string> numericFeatures, bool parseOthers, bool unknownIsError, Action<string> notice)
    {
        var dataset = PartitionedDataset.Resolve(path);
        string[] names;
        using (var file = ParquetColumnReader.Open(path, columns, text: true)) names = file.Columns;
        foreach (var e in encoding)
        {
            if (!names.Contains(e.Name, StringComparer.Ordinal))
                throw new InvalidInputException($"{path}: missing column '{e.Name}' that the model was trained on");
        }
        var raw = names.Where(n => numericFeatures.Contains(n, StringComparer.Ordinal) || encoding.Any(e => e.Name == n)).ToArray();
        var others = names.Where(n => !raw.Contains(n, StringComparer.Ordinal)).ToArray();
        var chosen = parseOthers
            ? new PartitionColumns(raw, others, columns?.ToArray()) { Missing = MissingPolicy.Refuse }
            : PartitionColumns.ForPrediction(raw, others, columns);
        return Read(path, dataset, chosen.WithCategorical([.. encoding], unknownIsError, path), [.. encoding], notice);
    }

    private static CategoricalTable Read(string path, PartitionedDataset dataset, PartitionColumns chosen, CategoricalColumn[] encoding, Action<string>? notice)
    {
        var values = new List<double>();
        int width = chosen.FeatureNames.Length + chosen.TargetNames.Length;
        long rows = 0, unknownRows = 0;
        var unknown = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in dataset.Partitions)
        {
            using var reader = chosen.Open(partition, BlockPlan.DefaultRowBlock);
            while (reader.ReadBlock() is { } block)
            {
                for (int i = 0; i < block.Rows; i++)
                {
                    for (int c = 0; c < block.X.ColumnCount; c++) values.Add(block.X[i, c]);
                    for (int c = 0; c < block.Y.ColumnCount; c++) values.Add(block.Y[i, c]);
                }
                rows += block.Rows;
            }
            if (reader is OneHotBlocks oneHot)
            {
                unknownRows += oneHot.UnknownRows;
                foreach (var (name, n) in oneHot.UnknownPerColumn) unknown[name] = unknown.GetValueOrDefault(name) + n;
            }
        }
        if (unknownRows > 0 && notice is not null)
            notice(string.Create(CultureInfo.InvariantCulture, $"{path}: {unknownRows} row(s) have a category not seen in training, encoded as all zeros: ") +
                   MissingValues.Describe(encoding.Select(e => e.Name).ToList(), encoding.Select(e => unknown.GetValueOrDefault(e.Name)).ToList()));
        var oneHotColumns = (chosen.OneHot() ?? new bool[chosen.FeatureNames.Length]).Concat(new bool[chosen.TargetNames.Length]).ToArray();
        return CategoricalTable.Of(path, [.. chosen.FeatureNames, .. chosen.TargetNames], checked((int)rows), values.ToArray(), encoding, oneHotColumns);
    }
}

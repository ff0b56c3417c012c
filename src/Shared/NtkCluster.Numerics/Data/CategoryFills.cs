using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The fill of each categorical column (<c>--missing mean|median</c>: its most frequent category) learnt from the
/// training part of a split (<c>--test-fraction</c>), as the numeric fills are (<see cref="MissingData.Fills"/>) and as
/// scikit-learn's <c>SimpleImputer(strategy="most_frequent")</c> fitted on the training split is: the held-out rows do
/// not tip it. The categories stay those of the whole file; the file was read with its missing category cells left
/// missing (<see cref="CategoricalTable.ReadTraining"/> with <c>deferFill</c>).
/// </summary>
public static class CategoryFills
{
    /// <summary>
    /// Both parts with each categorical column's missing cells (NaN in all its one-hot columns) filled with the training
    /// part's most frequent category (the first in category order on a tie), and that fill stored in their encodings for
    /// the model. One note counts the filled cells per column.
    /// </summary>
    /// <exception cref="InvalidInputException">A categorical column has no value in the training part.</exception>
    public static (Dataset Train, Dataset Test) FromTraining(string path, Dataset train, Dataset test, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(note);
        if (train.Categorical is not { } encoding) return (train, test);
        var filled = new CategoricalColumn[encoding.Length];
        var columns = new int[encoding.Length][];
        for (int k = 0; k < encoding.Length; k++)
        {
            columns[k] = encoding[k].FeatureNames().Select(n => Array.IndexOf(train.FeatureNames, n)).ToArray();
            var counts = columns[k].Select(c => (long)Enumerable.Range(0, train.Rows).Count(r => train.X[r, c] == 1)).ToArray();
            int best = CategoricalEncoder.MostFrequent(counts);
            if (counts[best] == 0) throw NoneInTraining(path, encoding[k].Name, train.Rows);
            filled[k] = WithFill(encoding[k], encoding[k].Categories[best]);
        }
        var cellCounts = new long[encoding.Length];
        Dataset Fill(Dataset data)
        {
            var x = data.X.Clone();
            for (int k = 0; k < encoding.Length; k++)
            {
                int fill = Array.IndexOf(filled[k].Categories, filled[k].Fill);
                for (int r = 0; r < data.Rows; r++)
                {
                    if (!double.IsNaN(x[r, columns[k][0]])) continue;
                    for (int j = 0; j < columns[k].Length; j++) x[r, columns[k][j]] = j == fill ? 1 : 0;
                    cellCounts[k]++;
                }
            }
            return new Dataset(data.FeatureNames, x, data.TargetNames, data.Y) { OneHot = data.OneHot, Categorical = filled };
        }
        var (trainFilled, testFilled) = (Fill(train), Fill(test));
        if (cellCounts.Any(n => n > 0)) note(Note(path, encoding, cellCounts));
        return (trainFilled, testFilled);
    }

    /// <summary>
    /// A partitioned split's fill (<see cref="Partitions.CategoryCensus"/>): <paramref name="column"/> (the categories of
    /// every row) with the most frequent category among <paramref name="trainingCounts"/>, each category's cells on the
    /// training side (keyed as <see cref="CategoricalColumn.Key"/> gives) — the first in category order on a tie, as
    /// <see cref="FromTraining"/> picks the single file's.
    /// </summary>
    /// <param name="trainingRows">The rows on the training side, for the line that refuses a column with no value there.</param>
    /// <exception cref="InvalidInputException">The column has no value on the training side.</exception>
    public static CategoricalColumn FromCounts(string path, CategoricalColumn column, IReadOnlyDictionary<string, long> trainingCounts, long trainingRows)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(trainingCounts);
        var counts = column.Categories.Select(c => trainingCounts.GetValueOrDefault(c)).ToArray();
        int best = counts.Length == 0 ? -1 : CategoricalEncoder.MostFrequent(counts);
        return best < 0 || counts[best] == 0 ? throw NoneInTraining(path, column.Name, trainingRows) : WithFill(column, column.Categories[best]);
    }

    private static CategoricalColumn WithFill(CategoricalColumn column, string fill) =>
        new() { Name = column.Name, Codes = column.Codes, Categories = column.Categories, Fill = fill };

    private static InvalidInputException NoneInTraining(string path, string name, long rows) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"{path}: categorical column '{name}' is entirely missing in the training part ({rows} row(s)): leave it out with --columns"));

    /// <summary>The note counting, per categorical column, the missing cells filled with its most frequent category:
    /// one wording wherever the fill is applied (here after a split, <see cref="CategoricalTable"/> as it reads).</summary>
    internal static string Note(string path, IReadOnlyList<CategoricalColumn> encoding, long[] filledPerColumn) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{path}: {filledPerColumn.Sum()} missing cell(s) of categorical columns take the training rows' most frequent category (--missing mean|median; a category has neither): ")
        + MissingValues.Describe(encoding.Select(e => e.Name).ToList(), filledPerColumn);
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// Counts, in one-hot encoded blocks (<see cref="OneHotBlocks"/>), the rows with a category not seen in training: a
/// categorical column whose one-hot columns are all 0 (a known category sets one to 1, a missing cell makes them NaN or
/// sets its fill's). Counted from the blocks rather than while the cells are coded, so a worker's row cache, which keeps
/// encoded blocks, gives the same counts as the file.
/// </summary>
public sealed class UnseenCategoryCount
{
    private readonly int[][] _columnsOf; // per categorical column: its one-hot columns' positions among the features

    /// <param name="featureNames">The blocks' feature columns.</param>
    /// <param name="encoding">The model's categorical encoding; null or empty counts nothing.</param>
    public UnseenCategoryCount(IReadOnlyList<string> featureNames, IReadOnlyList<CategoricalColumn>? encoding)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        var names = featureNames.ToList();
        _columnsOf = (encoding ?? []).Select(e => e.FeatureNames().Select(n => names.IndexOf(n)).ToArray()).ToArray();
        PerColumn = new long[_columnsOf.Length];
    }

    /// <summary>Rows with at least one unseen category.</summary>
    public long Rows { get; private set; }

    /// <summary>Cells with an unseen category, per categorical column in encoding order.</summary>
    public long[] PerColumn { get; }

    /// <summary>Counts the rows of one encoded block.</summary>
    public void Add(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        for (int i = 0; i < x.RowCount; i++)
        {
            bool unseen = false;
            for (int k = 0; k < _columnsOf.Length; k++)
            {
                // A column without categories (or not among the features) cannot tell an unseen category from a seen one.
                if (_columnsOf[k].Length == 0 || _columnsOf[k].Any(c => c < 0) || !_columnsOf[k].All(c => x[i, c] == 0)) continue;
                PerColumn[k]++;
                unseen = true;
            }
            if (unseen) Rows++;
        }
    }
}

namespace NtkCluster.Numerics.Data;

/// <summary>What <c>--missing</c> does with the missing feature cells of a table (<see cref="MissingValues"/>).</summary>
public enum MissingPolicy
{
    /// <summary>The default: a file with a missing feature cell is refused, with one line counting them per column.</summary>
    Refuse,

    /// <summary>Rows with a missing feature cell are dropped, and counted.</summary>
    Drop,

    /// <summary>A missing cell is filled with its column's mean over the training rows (scikit-learn's SimpleImputer).</summary>
    Mean,

    /// <summary>A missing cell is filled with its column's median over the training rows (numpy's nanmedian).</summary>
    Median,
}

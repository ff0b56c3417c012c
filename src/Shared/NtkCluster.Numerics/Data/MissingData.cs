using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// A data set read with its missing cells as NaN (<see cref="MissingValues"/>) made ready to fit or score, as
/// <c>--missing</c> says: rows without a target dropped, then missing feature cells refused (one line counting them
/// per column), dropped with their rows, or filled from the training rows (<see cref="Fills"/>, <see cref="Filled"/>).
/// Every step that changes the rows says so in one note.
/// </summary>
public static class MissingData
{
    /// <summary>Drops rows without a target, then refuses or drops rows with a missing feature cell (mean and median
    /// fill later, from the training rows: <see cref="Fills"/>).</summary>
    /// <exception cref="InvalidInputException">Missing features without <c>--missing</c>; a feature column with no value
    /// at all; no row left.</exception>
    public static Dataset Prepare(string path, Dataset data, MissingPolicy policy, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(note);
        long[] targetCounts = MissingValues.Count(data.Y);
        if (policy == MissingPolicy.Refuse)
        {
            // Refused in one line: the feature cells counted over the rows that have a target, the dropped rows beside them.
            var (withTarget, withoutTarget) = MissingValues.DropMissingTargets(data);
            long[] featureCounts = MissingValues.Count(withTarget.X);
            if (withoutTarget < data.Rows && featureCounts.Any(k => k > 0) && featureCounts.All(k => k < withTarget.Rows))
                throw new InvalidInputException(MissingValues.RefusalMessage(path, data.FeatureNames, featureCounts) +
                    (withoutTarget > 0 ? string.Create(CultureInfo.InvariantCulture, $" (rows without a target are dropped: {withoutTarget})") : ""));
        }
        if (targetCounts.Any(k => k > 0))
        {
            var (kept, dropped) = MissingValues.DropMissingTargets(data);
            if (dropped == data.Rows)
                throw new InvalidInputException($"{path}: every row has a missing target ({MissingValues.Describe(data.TargetNames, targetCounts)})");
            note(string.Create(CultureInfo.InvariantCulture,
                $"{path}: dropped {dropped} row(s) with a missing target: {MissingValues.Describe(data.TargetNames, targetCounts)}"));
            data = kept;
        }
        long[] counts = MissingValues.Count(data.X);
        if (!counts.Any(k => k > 0)) return data;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == data.Rows)
                throw new InvalidInputException($"{path}: column '{data.FeatureNames[c]}' is entirely missing ({counts[c]} row(s)): " +
                                                "leave it out with --columns");
        }
        switch (policy)
        {
            case MissingPolicy.Refuse:
                throw new InvalidInputException(MissingValues.RefusalMessage(path, data.FeatureNames, counts));
            case MissingPolicy.Drop:
            {
                var (kept, dropped) = MissingValues.DropIncompleteRows(data);
                if (dropped == data.Rows)
                    throw new InvalidInputException($"{path}: every row has a missing value ({MissingValues.Describe(data.FeatureNames, counts)}): " +
                                                    "--missing drop leaves nothing; try --missing mean or median, or --columns");
                note(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: --missing drop dropped {dropped} of {data.Rows} row(s) with missing values in {MissingValues.Describe(data.FeatureNames, counts)}"));
                return kept;
            }
            default:
                string name = MissingValues.Name(policy)!;
                // One-hot columns are missing only while a category fill waits for the split (CategoryFills says so itself).
                if (data.OneHot is { } oneHot)
                {
                    counts = counts.Select((k, c) => oneHot[c] ? 0 : k).ToArray();
                    if (!counts.Any(k => k > 0)) return data;
                }
                note(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: --missing {name} fills {counts.Sum()} missing cell(s) with the training rows' {name}: {MissingValues.Describe(data.FeatureNames, counts)}"));
                return data;
        }
    }

    /// <summary>With <c>--missing mean|median</c>, each feature column's fill value from the training rows; null otherwise.</summary>
    public static double[]? Fills(string path, Dataset train, MissingPolicy policy) =>
        policy is MissingPolicy.Mean or MissingPolicy.Median ? MissingValues.Fills(path, train, policy) : null;

    /// <summary>The data set with its missing feature cells filled.</summary>
    public static Dataset Filled(Dataset data, double[] fills)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = MissingValues.Fill(data.X, fills);
        return ReferenceEquals(x, data.X) ? data : new Dataset(data.FeatureNames, x, data.TargetNames, data.Y) { OneHot = data.OneHot, Categorical = data.Categorical };
    }
}

using System.Globalization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// What <c>--missing</c> makes of a partitioned dataset's <see cref="MissingCensus"/>, counted over all partitions: the
/// single-file path's lines (<see cref="MissingData.Prepare"/>) — the refusal that counts every column's missing cells, the
/// notes of dropped and filled rows — with the dataset's source as the file.
/// </summary>
public static class MissingVerdict
{
    /// <exception cref="InvalidInputException">Missing feature cells without <c>--missing</c>; every row without a target; a
    /// column entirely missing; nothing left after <c>--missing drop</c>.</exception>
    public static void Judge(string source, PartitionColumns columns, MissingCensus census, MissingPolicy policy, Action<string> note)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(census);
        ArgumentNullException.ThrowIfNull(note);
        long withTarget = census.Rows - census.WithoutTarget;
        long[] counts = census.FeatureMissing;
        if (policy == MissingPolicy.Refuse && census.WithoutTarget < census.Rows && counts.Any(k => k > 0) && counts.All(k => k < withTarget))
            throw new InvalidInputException(MissingValues.RefusalMessage(source, columns.FeatureNames, counts) +
                (census.WithoutTarget > 0 ? string.Create(CultureInfo.InvariantCulture, $" (rows without a target are dropped: {census.WithoutTarget})") : ""));
        if (census.WithoutTarget > 0)
        {
            if (census.WithoutTarget == census.Rows)
                throw new InvalidInputException($"{source}: every row has a missing target ({MissingValues.Describe(columns.TargetNames, census.TargetMissing)})");
            note(string.Create(CultureInfo.InvariantCulture,
                $"{source}: dropped {census.WithoutTarget} row(s) with a missing target: {MissingValues.Describe(columns.TargetNames, census.TargetMissing)}"));
        }
        if (!counts.Any(k => k > 0)) return;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == withTarget)
                throw new InvalidInputException($"{source}: column '{columns.FeatureNames[c]}' is entirely missing ({counts[c]} row(s)): " +
                                                "leave it out with --columns");
        }
        switch (policy)
        {
            case MissingPolicy.Refuse:
                throw new InvalidInputException(MissingValues.RefusalMessage(source, columns.FeatureNames, counts));
            case MissingPolicy.Drop:
                if (census.DroppedIncomplete == withTarget)
                    throw new InvalidInputException($"{source}: every row has a missing value ({MissingValues.Describe(columns.FeatureNames, counts)}): " +
                                                    "--missing drop leaves nothing; try --missing mean or median, or --columns");
                note(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: --missing drop dropped {census.DroppedIncomplete} of {withTarget} row(s) with missing values in {MissingValues.Describe(columns.FeatureNames, counts)}"));
                return;
            default:
                string name = MissingValues.Name(policy)!;
                note(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: --missing {name} fills {counts.Sum()} missing cell(s) with the training rows' {name}: {MissingValues.Describe(columns.FeatureNames, counts)}"));
                return;
        }
    }
}

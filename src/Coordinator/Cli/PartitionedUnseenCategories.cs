using System.Globalization;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// What <c>ntk predict</c> says of the categories unseen in training in a partitioned dataset, from the parts' counts
/// (<see cref="PredictionPart.UnseenCategoryRows"/>): the notice a single file gets, or with <c>--unknown-category
/// error</c> the single file's refusal, for the first partition in partition order that has one — whichever partition
/// a cluster happened to read first.
/// </summary>
internal static class PartitionedUnseenCategories
{
    /// <summary>The notice counting the rows with an unseen category (summed in partition order), or null without any.</summary>
    public static string? Notice(string source, IReadOnlyList<PredictionPart> parts, IReadOnlyList<CategoricalColumn>? encoding)
    {
        long rows = 0;
        var perColumn = new long[encoding?.Count ?? 0];
        foreach (var part in parts)
        {
            rows += part.UnseenCategoryRows;
            for (int k = 0; k < Math.Min(perColumn.Length, part.UnseenPerColumn.Length); k++) perColumn[k] += part.UnseenPerColumn[k];
        }
        if (rows == 0 || encoding is null) return null;
        return string.Create(CultureInfo.InvariantCulture, $"{source}: {rows} row(s) have a category not seen in training, encoded as all zeros: ") +
               MissingValues.Describe(encoding.Select(e => e.Name).ToList(), perColumn);
    }

    /// <summary>
    /// Refuses the first partition (in partition order) with a category unseen in training: it is read again here with
    /// the refusing coder, which names the file, line and column of its first unseen category. Only the counts travel
    /// from the workers; the one partition is read again only to say where.
    /// </summary>
    /// <exception cref="InvalidInputException">Some partition has an unseen category.</exception>
    public static void Refuse(IReadOnlyList<DataPartition> partitions, IReadOnlyList<PredictionPart> parts, PartitionColumns columns)
    {
        for (int i = 0; i < parts.Count; i++)
        {
            if (parts[i].UnseenCategoryRows == 0) continue;
            var partition = partitions[i];
            using (var reader = (columns with { UnknownCategoryIsError = true }).Open(partition, BlockPlan.DefaultRowBlock))
            {
                while (reader.ReadBlock() is not null)
                {
                    // Read until the coder refuses the first unseen category.
                }
            }
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"{partition.Path}: {parts[i].UnseenCategoryRows} row(s) have a category not seen in training (--unknown-category error), but none was found when read again: was the file changed?"));
        }
    }
}

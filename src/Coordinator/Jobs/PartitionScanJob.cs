using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>Runs a <see cref="SubmitPartitionedScan"/> on any rounds: the census, then the text labels, as asked.</summary>
public static class PartitionScanJob
{
    public static async Task<PartitionScanOutcome> RunAsync(IBlockRounds rounds, string jobId, SubmitPartitionedScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        // A split's fill needs the partitions' first rows: counted once here, so the label scan does not count them again
        // (without a fill it counts them itself, and only for text labels).
        bool fill = scan.Categories && scan.Missing is MissingPolicy.Mean or MissingPolicy.Median;
        var train = scan.Split is not null && fill ? await rounds.CountedAsync(jobId + "-count", scan.Train, source: null) : scan.Train;
        var encoding = scan.Categories
            ? await PartitionScans.CategoriesAsync(rounds, jobId + "-census", scan.TrainSource, train, scan.Columns, scan.Forced, scan.Missing, scan.Split)
            : [];
        var labels = scan.TextLabels ? await PartitionScans.TextLabelsAsync(rounds, jobId + "-labels", train, scan.Columns, scan.Split) : null;
        return new PartitionScanOutcome(encoding, labels);
    }
}

using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>Runs a <see cref="SubmitPartitionedScan"/> on any rounds: the census, then the text labels, as asked.</summary>
public static class PartitionScanJob
{
    public static async Task<PartitionScanOutcome> RunAsync(IBlockRounds rounds, string jobId, SubmitPartitionedScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var encoding = scan.Categories
            ? await PartitionScans.CategoriesAsync(rounds, jobId + "-census", scan.TrainSource, scan.Train, scan.Columns, scan.Forced, scan.Missing)
            : [];
        var labels = scan.TextLabels ? await PartitionScans.TextLabelsAsync(rounds, jobId + "-labels", scan.Train, scan.Columns, scan.Split) : null;
        return new PartitionScanOutcome(encoding, labels);
    }
}

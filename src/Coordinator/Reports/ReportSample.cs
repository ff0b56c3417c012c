using NtkCluster.Coordinator.Cli;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// The rows a report's in-memory jobs (the sweep with exact KRR, the networks with their NTK reference, all n×n) run on
/// when the data is partitioned: a hashed sample of at most --exact-rows training rows (<see cref="RowSample"/>, the
/// same rows the spectral job measures ε on) and as many test rows, gathered in partition order. The client reads them
/// from the paths it resolved (it reads headers, counts and the sampled rows only, never holds more than the sample).
/// </summary>
public static class ReportSample
{
    /// <summary>The training sample and, with a test set or a split, the test sample.</summary>
    public static async Task<(Dataset Train, Dataset? Test)> GatherAsync(PartitionedData data, ulong seed, int rows, int parallelism,
        Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rounds = new InProcessBlockRounds(parallelism, update => { if (update.Kind != ProgressKind.Count) progress(update.Stage); });
        progress($"counting the rows of {PartitionedData.Describe(data.Train)}");
        var train = data.Train.CountRows().Partitions;
        var trainSample = await SampleAsync(rounds, "report-train", train, data.Columns, data.Split, seed, rows);
        Dataset? test = null;
        if (data.Test is not null)
            test = await SampleAsync(rounds, "report-test", data.Test.CountRows().Partitions, data.Columns, null, seed, rows);
        else if (data.Split is not null)
            test = await SampleAsync(rounds, "report-test", train, data.Columns, data.Split.OtherSide(), seed, rows);
        return (trainSample, test);
    }

    private static async Task<Dataset> SampleAsync(IBlockRounds rounds, string jobId, IReadOnlyList<DataPartition> partitions, PartitionColumns columns,
        RowSplit? side, ulong seed, int rows)
    {
        long total = partitions.Sum(p => p.RowCount ?? 0);
        // The cut only sizes the first pass; the side's share of the rows is known in expectation.
        long population = side is null ? total : (long)Math.Ceiling(total * (side.TestSide ? side.TestFraction : 1 - side.TestFraction));
        var sample = await RowSampleRounds.GatherAsync(rounds, jobId, partitions, columns, side, seed, rows, Math.Max(1, population));
        if (sample.Rows.Length == 0)
            throw new NtkCluster.Numerics.Errors.InvalidInputException($"{partitions[0].Path}: no rows" + (side is null ? "" : " on this side of the split"));
        return new Dataset(columns.FeatureNames, sample.X, columns.TargetNames, sample.Y);
    }
}

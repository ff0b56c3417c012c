using NtkCluster.Fit;
using NtkCluster.Spectral;

namespace NtkCluster.Coordinator.Reports;

/// <summary>
/// What a report on a partitioned dataset (a directory or glob) ran besides the sweep and the networks: the jobs that
/// read every row per partition — the spectral report of the largest M, plain and leverage, and a plain random-feature
/// fit at that M — and the hashed sample the sweep and the networks ran on instead of all rows.
/// </summary>
/// <param name="Source">The training dataset as the user named it.</param>
/// <param name="Partitions">Its partitions.</param>
/// <param name="SampleRows">Training rows in the hashed sample (all of them when there are at most --exact-rows).</param>
/// <param name="TestSampleRows">Test rows in the test sample, or null without a test set.</param>
/// <param name="Features">The M of the jobs on all rows: the sweep's largest.</param>
/// <param name="Fit">The plain fit on all rows, or null when M·d2 exceeds the rows (then a primal fit cannot run per partition).</param>
/// <param name="FitSkipped">Why <paramref name="Fit"/> is null.</param>
public sealed record PartitionedRun(string Source, int Partitions, int SampleRows, int? TestSampleRows, int Features,
    SpectralOutcome PlainSpectral, SpectralOutcome LeverageSpectral, FitOutcome? Fit, string? FitSkipped)
{
    /// <summary>The training rows (on the training side of a split): the spectral job counted them.</summary>
    public long TrainRows => PlainSpectral.Rows;

    /// <summary>True when the sweep and the networks saw only some of the training rows.</summary>
    public bool Sampled => SampleRows < TrainRows;
}

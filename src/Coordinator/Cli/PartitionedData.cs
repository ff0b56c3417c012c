using System.Globalization;
using NtkCluster.Fit;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>ntk fit</c> on a partitioned dataset: a <c>--train</c> (or <c>--test</c>) that names a directory or a glob
/// (<see cref="PartitionedDataset.Resolve"/>). Every round is computed per partition where the partition is read —
/// in this process locally; with <c>--cluster</c>, on the workers, which read the same paths (the shared-path mode):
/// the submission carries the partitions' descriptors and never a row.
/// </summary>
/// <remarks>
/// Only plain random features in the primal form are fitted this way (their draws depend on the seed alone and ΨᵀΨ is
/// a sum over partitions); exact, leverage-sampled and dual fits, and classification, are refused with what to use
/// instead. <c>--test-fraction</c> holds rows out by a hash of their index in the whole dataset (<see cref="RowHash"/>),
/// so its split differs from the in-memory one of a single file. A single file keeps the behaviour it always had.
/// </remarks>
public sealed record PartitionedData(PartitionedDataset Train, PartitionColumns Columns, PartitionedDataset? Test, RowSplit? Split)
{
    /// <summary>Whether a data path names a partitioned dataset (a directory, or a glob that is not itself a file).</summary>
    public static bool IsPartitioned(string? path) =>
        path is not null && PartitionedDataset.IsDirectoryOrGlob(path);

    /// <summary>Whether this fit reads partitioned data (its training or test set is a directory or glob).</summary>
    public static bool Applies(FitOptions options) => IsPartitioned(options.Data.TrainPath) || IsPartitioned(options.Data.TestPath);

    /// <summary>Resolves the datasets (headers and footers only) and refuses fits that cannot run per partition.</summary>
    /// <exception cref="UsageException">Not a plain random-feature fit, or classification.</exception>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">Bad datasets (no data files, mixed formats, differing
    /// columns, an empty part, a glob that matches nothing …).</exception>
    /// <param name="what">What the command does with the data, for the refusals: "fitted", "cross-validated".</param>
    public static PartitionedData Prepare(FitOptions options, bool classify, Action<string> note, string what = "fitted")
    {
        var data = options.Data;
        var s = options.Settings;
        const string instead = "; give a single file to load it whole";
        if (classify) throw new UsageException("--task classify cannot read a partitioned dataset (a directory or glob) yet" + instead);
        if (s.Exact)
            throw new UsageException($"a partitioned dataset (a directory or glob) is {what} with random features only: use --solver features --features M" + instead);
        if (s.Sampling != FeatureSampling.Plain)
            throw new UsageException("leverage sampling scores its candidates against all rows, which a partitioned dataset (a directory or glob) " +
                                     "does not hold in one place: use --sampling plain" + instead);
        // On a cluster the workers read the same paths from their own working directories: relative paths are made absolute.
        string Source(string path) => data.Cluster is null ? path : Path.GetFullPath(path);
        var train = PartitionedDataset.Resolve(Source(data.TrainPath));
        var columns = PartitionColumns.ForTraining(train, data.Targets, data.Columns, note);
        var test = data.TestPath is null ? null : PartitionedDataset.Resolve(Source(data.TestPath));
        if (test is not null) columns.CheckedAgainst(test);
        RowSplit? split = null;
        if (data.TestFraction is double f)
        {
            split = new RowSplit(data.SplitSeed, f, TestSide: false);
            note($"--test-fraction on a partitioned dataset holds each row out with probability {f.ToString("R", CultureInfo.InvariantCulture)} " +
                 "by a hash of its index (no shuffle), so its test rows differ from the split of the same rows loaded whole");
        }
        return new PartitionedData(train, columns, test, split);
    }

    public SubmitPartitionedFit Submission(FitSettings settings) =>
        new(Train.Source, Train.Partitions, Columns, Test?.Partitions, Split, settings);

    /// <summary>"3 partitions of data/ (3 files)".</summary>
    public static string Describe(PartitionedDataset d) =>
        $"{d.Partitions.Count} partition(s) of {d.Source} ({d.Files.Count} {d.Format.ToString().ToUpperInvariant()} file(s))";
}

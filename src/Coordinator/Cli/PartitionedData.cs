using System.Globalization;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Execution;
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
/// Plain and scalable-leverage random features in the primal form run per partition (ΨᵀΨ and the leverage scores'
/// row sums are sums over partitions); exact KRR, the dual form and exact leverage scores gather the rows in partition
/// order within their memory limits (<see cref="KrrFitter.FitPartitionedEvaluatedAsync"/>). <c>--task classify</c>
/// discovers the classes per partition and builds the ±1 targets where each partition is read. <c>--test-fraction</c> holds rows out by a hash of their index in the whole dataset (<see cref="RowHash"/>),
/// so its split differs from the in-memory one of a single file. A single file keeps the behaviour it always had.
/// </remarks>
public sealed record PartitionedData(PartitionedDataset Train, PartitionColumns Columns, PartitionedDataset? Test, RowSplit? Split)
{
    /// <summary>Whether a data path names a partitioned dataset (a directory, or a glob that is not itself a file).</summary>
    public static bool IsPartitioned(string? path) =>
        path is not null && PartitionedDataset.IsDirectoryOrGlob(path);

    /// <summary>Whether this fit reads partitioned data (its training or test set is a directory or glob).</summary>
    public static bool Applies(FitOptions options) => IsPartitioned(options.Data.TrainPath) || IsPartitioned(options.Data.TestPath);

    /// <summary>Resolves the datasets (headers and footers only).</summary>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">Bad datasets (no data files, mixed formats, differing
    /// columns, an empty part, a glob that matches nothing …).</exception>
    /// <param name="what">What the command does with the data: "fitted", "cross-validated" or "swept" (every mode runs on
    /// partitions: a fold's or a sweep point's fit is the partitioned fit's).</param>
    public static PartitionedData Prepare(FitOptions options, bool classify, Action<string> note, string what = "fitted")
    {
        var data = options.Data;
        var s = options.Settings;
        RefuseStratify(data);
        if (s.Exact || s.Sampling == FeatureSampling.Leverage)
            note(s.Exact ? $"exact KRR needs every row in one place: the {(what == "cross-validated" ? "rows of each fold" : "partitions' rows")} are gathered " +
                           "in partition order (within the exact limits)"
                : "leverage sampling on a partitioned dataset: scalable scores are computed partition by partition; exact scores " +
                  "(--leverage exact, or auto up to 4000 rows) gather the rows in one place");
        return Resolve(data, note, classify);
    }

    /// <summary><c>--stratify</c> balances classes over rows held in memory; a partitioned dataset's split and folds are a hash per row.</summary>
    private static void RefuseStratify(DataOptions data)
    {
        if (data.Stratify)
            throw new UsageException("--stratify needs the labels in memory; a partitioned dataset (a directory or glob) is split and folded " +
                                     "row by row by a hash of the row index, which cannot balance the classes: load one file, or drop --stratify");
    }

    /// <summary>
    /// Resolves the training (and test) datasets of any job that reads partitions (headers and footers only), with the
    /// columns, and the training side of a hashed <c>--test-fraction</c> split.
    /// </summary>
    /// <param name="classify">The targets are class labels, turned into ±1 one-vs-rest targets as partitions are read.</param>
    /// <exception cref="NtkCluster.Numerics.Errors.InvalidInputException">Bad datasets (as for <see cref="Prepare"/>).</exception>
    public static PartitionedData Resolve(DataOptions data, Action<string> note, bool classify = false)
    {
        // On a cluster the workers read the same paths from their own working directories: relative paths are made absolute.
        RefuseStratify(data);
        string Source(string path) => data.Cluster is null ? path : Path.GetFullPath(path);
        var train = PartitionedDataset.Resolve(Source(data.TrainPath), separator: data.Separator);
        // --missing is applied where each partition is read (MissingRows); the moments round counts, judges and fills.
        // A Parquet dataset's string columns are categorical features (PartitionedData.WithCategories), not skipped.
        var read = PartitionColumns.HasParquetText(train)
            ? PartitionColumns.ForTrainingWithText(train, data.Targets, data.Columns, note, data.Separator)
            : PartitionColumns.ForTraining(train, data.Targets, data.Columns, note, data.Separator);
        var columns = read with { Classify = classify, Missing = data.Missing };
        var test = data.TestPath is null ? null : PartitionedDataset.Resolve(Source(data.TestPath), separator: data.Separator);
        RowSplit? split = null;
        if (data.TestFraction is double f)
        {
            split = new RowSplit(data.SplitSeed, f, TestSide: false);
            note($"--test-fraction on a partitioned dataset holds each row out with probability {f.ToString("R", CultureInfo.InvariantCulture)} " +
                 "by a hash of its index (no shuffle), so its test rows differ from the split of the same rows loaded whole");
        }
        // The census of text feature columns and the classes of text labels are rounds, read where the partitions are
        // read (the workers, on a cluster): this process reads no rows (PartitionScans).
        bool categories = NeedsCensus(data, train);
        bool labels = classify && TextLabelScan.Applies(train.Partitions, columns);
        var scanned = categories || labels
            ? Scan(data, new SubmitPartitionedScan(train.Source, train.Partitions, columns, split, categories, data.Categorical, data.Missing, labels), note)
            : null;
        if (scanned is { Encoding.Length: > 0 } withEncoding) columns = WithCategories(train, columns, withEncoding.Encoding, data, note);
        if (test is not null) columns.CheckedAgainst(test);
        if (scanned?.LabelNames is { } names)
        {
            // Text labels: their classes (and so their codes) are fixed here, before the job's labels round reads codes.
            note($"text labels in '{columns.TargetNames[0]}': {names.Length} classes, collected from the training parts (read once where they are read)");
            columns = columns with { LabelNames = names };
        }
        return new PartitionedData(train, columns, test, split);
    }

    /// <summary>
    /// Whether the training partitions need a category census (<see cref="CategoryCensus"/>): only when the first part's
    /// first rows show text, the dataset is Parquet with string columns, or <c>--categorical</c> is given, so a numeric
    /// dataset is not read for it.
    /// </summary>
    private static bool NeedsCensus(DataOptions data, PartitionedDataset train)
    {
        if (train.Format == DataFormat.Parquet && data.Categorical is { Length: > 0 })
            throw new UsageException($"--categorical reads CSV files only; {train.Source} is Parquet (its string columns are categorical without it)");
        return data.Categorical is { Length: > 0 } || PartitionColumns.HasParquetText(train)
            || (train.Format == DataFormat.Csv && NtkCluster.Numerics.Data.CategoricalTable.StartsWithText(train.Files[0], data.Columns, data.Targets));
    }

    /// <summary>Text feature columns (and <c>--categorical</c> ones) one-hot encoded with the census's categories of every training row.</summary>
    private static PartitionColumns WithCategories(PartitionedDataset train, PartitionColumns columns,
        NtkCluster.Numerics.Data.CategoricalColumn[] encoding, DataOptions data, Action<string> note)
    {
        note($"{train.Source}: categorical feature(s) (text columns, and --categorical), one-hot encoded: one 0/1 column per training " +
             $"category, in sorted order: {NtkCluster.Numerics.Data.CategoricalEncoder.Describe(encoding)}");
        return columns.WithCategorical(encoding, data.UnknownCategoryIsError, train.Source);
    }

    /// <summary>
    /// The scans as rounds: in this process's threads locally (<see cref="InProcessBlockRounds"/>); on a cluster, a scan job
    /// whose rounds the partition entities answer where they read the partitions (the same paths, or shipped copies).
    /// </summary>
    /// <param name="note">Told the scan job's own lines (how its partitions reached the workers, what was shipped).</param>
    private static PartitionScanOutcome Scan(DataOptions data, SubmitPartitionedScan scan, Action<string> note)
    {
        if (data.Cluster is null)
            return PartitionScanJob.RunAsync(new InProcessBlockRounds(data.Workers), "scan", scan).GetAwaiter().GetResult();
        var lines = new StringWriter();
        try
        {
            return Task.Run(async () =>
            {
                await using var runner = await data.StartRunnerAsync("scan", lines);
                return await runner.RunAsync<PartitionScanOutcome>(scan);
            }).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (string line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) note(line);
        }
    }

    public SubmitPartitionedFit Submission(FitSettings settings) =>
        new(Train.Source, Train.Partitions, Columns, Test?.Partitions, Split, settings);

    /// <summary>The spectral report of the training partitions (on the training side of the split, if any).</summary>
    public SubmitPartitionedSpectral SpectralSubmission(FitSettings settings, double epsilon, double delta, int exactRowLimit) =>
        new(Train.Source, Train.Partitions, Columns, Split, settings, epsilon, delta, exactRowLimit);

    /// <summary>
    /// How a job's partitions reach the workers (<c>--rows</c>), for the command's first stderr line: empty in local mode,
    /// where this process reads them; the coordinator's note then says what its check chose.
    /// </summary>
    public static string Delivery(DataOptions data) => data.Cluster is null ? "" : data.Rows switch
    {
        RowDelivery.Shipped => ", shipped by this client to the workers",
        RowDelivery.Shared => ", read by the workers from the same paths",
        _ => ", read by the workers from the same paths where they see the same files, else shipped",
    };

    /// <summary>"3 partitions of data/ (3 files)".</summary>
    public static string Describe(PartitionedDataset d) =>
        $"{d.Partitions.Count} partition(s) of {d.Source} ({d.Files.Count} {d.Format.ToString().ToUpperInvariant()} file(s))";
}

using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// The data options every job command shares — files, split, target, preprocessing, workers, where the job runs —
/// read and validated before any work starts.
/// </summary>
/// <param name="Cluster">With <c>--cluster H:P</c>, the coordinator of a running cluster the job is sent to; null runs
/// it in this process.</param>
/// <param name="WorkersGiven">Whether <c>--workers</c> was given: on a cluster, without it the coordinator sizes the
/// window to the workers Up.</param>
/// <param name="Columns">With <c>--columns</c>, the only columns read from the training and test files, in this order
/// (targets among them); null reads every column (of a Parquet file: every numeric one).</param>
/// <param name="Rows">With <c>--rows</c> (commands that take it): how a partitioned job's rows reach a cluster's workers.</param>
public sealed record DataOptions(string TrainPath, string? TestPath, double? TestFraction, ulong SplitSeed, string[]? Targets,
    bool Standardize, bool ScaleTarget, bool Normalize, int Workers, double? BlockTimeoutSeconds,
    ClusterAddress? Cluster = null, string? TlsCertificate = null, bool WorkersGiven = false, bool Quiet = false, string[]? Columns = null,
    RowDelivery Rows = RowDelivery.Auto, MissingPolicy Missing = MissingPolicy.Refuse, char? Separator = null,
    string[]? Categorical = null, bool UnknownCategoryIsError = false, bool Verbose = false, bool Stratify = false)
{
    public static readonly string[] ValueOptions =
        ["train", "test", "test-fraction", "split-seed", "target", "columns", "workers", "block-timeout", "missing", "separator",
         .. CategoricalOptions.ValueOptions, .. ClusterOptions.ValueOptions];

    public static readonly string[] Flags = ["standardize", "scale-target", "normalize", ProgressOptions.QuietFlag, ProgressOptions.VerboseFlag];

    public static DataOptions Read(ParsedOptions a)
    {
        string train = a.RequiredText("train");
        if (a.Has("test") && a.Has("test-fraction")) throw new UsageException("give --test FILE or --test-fraction F, not both");
        double? fraction = a.Number("test-fraction");
        if (fraction is double f && !(f > 0 && f < 1)) throw new UsageException($"--test-fraction must be between 0 and 1, got {a.Text("test-fraction")}");
        if (a.Has("split-seed") && !a.Has("test-fraction")) throw new UsageException("--split-seed goes with --test-fraction");
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        double? blockTimeout = a.Number("block-timeout");
        // At most a week: a larger one cannot be a real wait, and 1e300 overflowed the TimeSpan (an internal error).
        if (blockTimeout is double bt && !(bt > 0 && bt <= 7 * 24 * 3600))
            throw new UsageException($"--block-timeout must be between 0 and 604800 seconds (a week), got {a.Text("block-timeout")}");
        var targets = a.Text("target")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (targets is { Length: 0 }) throw new UsageException("--target needs a column name");
        var columns = ReadColumns(a);
        if (columns is not null && targets is not null)
        {
            foreach (string target in targets)
            {
                if (!columns.Contains(target, StringComparer.Ordinal))
                    throw new UsageException($"--target '{target}' is not one of --columns ({string.Join(",", columns)})");
            }
        }
        var (cluster, tls) = ClusterOptions.Read(a);
        var rows = RowDelivery.Auto;
        if (a.Text("rows") is { } rowsText)
            rows = RowDeliveryNames.Parse(rowsText) ?? throw new UsageException($"--rows must be {RowDeliveryNames.Choices}, got '{rowsText}'");
        return new DataOptions(train, a.Text("test"), fraction, a.Seed("split-seed") ?? 0, targets,
            a.Has("standardize"), a.Has("scale-target"), a.Has("normalize"), (int)workers, blockTimeout, cluster, tls, a.Has("workers"), a.Has(ProgressOptions.QuietFlag), columns,
            rows, ReadMissing(a), ReadSeparator(a), CategoricalOptions.ReadColumns(a, columns, targets), CategoricalOptions.ReadUnknownIsError(a),
            a.Has(ProgressOptions.VerboseFlag), ReadStratify(a));
    }

    /// <summary><c>--stratify</c>: classification only — it keeps each class's share in every part of a split.</summary>
    public static bool ReadStratify(ParsedOptions a)
    {
        if (!a.Has("stratify")) return false;
        if (a.Text("task") != "classify") throw new UsageException("--stratify goes with --task classify (it keeps each class's share in the test part and in every fold)");
        return true;
    }

    /// <summary><c>--missing drop|mean|median</c>; without it, missing feature cells are refused.</summary>
    public static MissingPolicy ReadMissing(ParsedOptions a)
    {
        if (a.Text("missing") is not { } text) return MissingPolicy.Refuse;
        return MissingValues.Parse(text) ?? throw new UsageException($"--missing must be {MissingValues.Choices}, got '{text}'");
    }

    /// <summary><c>--separator ','|';'|tab</c>; without it, the separator is detected from each CSV header.</summary>
    public static char? ReadSeparator(ParsedOptions a) => a.Text("separator") switch
    {
        null => null,
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "tab" or "\t" or "\\t" => '\t',
        var other => throw new UsageException($"--separator must be ',', ';' or tab, got '{other}'"),
    };

    /// <summary><c>--columns a,b,c</c>: the columns to read, named once each; null without the option.</summary>
    public static string[]? ReadColumns(ParsedOptions a)
    {
        if (!a.Has("columns")) return null;
        var columns = a.Text("columns")!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length == 0) throw new UsageException("--columns needs column names, comma-separated");
        var twice = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new UsageException($"--columns names '{twice.Key}' twice");
        return columns;
    }

    /// <summary>Where the job runs, for the command's first stderr line.</summary>
    public string Where => Cluster is null ? $"{Workers} worker(s)" : $"on the cluster at {Cluster}";

    /// <summary>The job runner: this process (<see cref="LocalCluster"/>) or the cluster at <see cref="Cluster"/>.</summary>
    /// <param name="command">The command's name, in front of every progress line on stderr.</param>
    /// <param name="inProcess">See <see cref="ClusterOptions.StartRunnerAsync"/>: local jobs without an actor system.</param>
    public Task<IJobRunner> StartRunnerAsync(string command, TextWriter stderr, bool inProcess = false) =>
        ClusterOptions.StartRunnerAsync(command, Cluster, TlsCertificate, Workers, WorkersGiven, BlockTimeoutSeconds, stderr, Quiet, rows: Rows,
            verbose: Verbose, inProcess: inProcess);

    /// <summary>Reads the training data and the test set (a file, a split, or none).</summary>
    /// <param name="note">Told which non-numeric columns of a Parquet file were skipped.</param>
    /// <param name="integerLabels">Classification: the (single) target column must hold integer labels in every
    /// file; a cell that does not is refused with its file, line (or row) and column.</param>
    public (Dataset Train, Dataset? Test) LoadData(Action<string> note, bool integerLabels = false)
    {
        var (train, test, _) = LoadDataAndFills(note, integerLabels);
        return (train, test);
    }

    /// <summary>
    /// <see cref="LoadData"/>, with the missing values handled as <see cref="Missing"/> says (<see cref="MissingData"/>):
    /// rows without a target dropped, then missing feature cells refused, dropped, or filled with the training rows'
    /// mean or median, whose fill values are returned for the model (null unless filled).
    /// </summary>
    /// <param name="notice">Told how many test rows have a category not seen in training (default: <paramref name="note"/>).</param>
    public (Dataset Train, Dataset? Test, double[]? Fills) LoadDataAndFills(Action<string> note, bool integerLabels = false, Action<string>? notice = null)
    {
        var loaded = Load(note, integerLabels, notice);
        return (loaded.Train, loaded.Test, loaded.Fills);
    }

    /// <summary>
    /// <see cref="LoadDataAndFills"/>, and for classification (<paramref name="labels"/>) the label column read as
    /// integers or text (<see cref="NtkCluster.Numerics.Classification.LabelledTable"/>): <c>Names</c> holds the text
    /// classes (null for integer ones) and <c>UnseenTest</c> the test file's text labels that are not classes.
    /// </summary>
    /// <param name="notice">Told how many test rows have a category not seen in training (default: <paramref name="note"/>).</param>
    public LoadedData Load(Action<string> note, bool labels, Action<string>? notice = null)
    {
        NtkCluster.Numerics.Diagnostics.StageTimer.Mark("options parsed");
        foreach (string path in new[] { TrainPath, TestPath }.OfType<string>())
        {
            if (RowNames.Note(path, Separator) is { } rowNames) note(rowNames);
        }
        // With a split, a category's fill is learnt from the training part (CategoryFills), as the numeric fills are.
        bool deferFill = TestFraction is not null && Missing is MissingPolicy.Mean or MissingPolicy.Median;
        // One reader for every combination: the features numeric or one-hot encoded categories (text columns and
        // --categorical), and for a classifier the label column coded as integer or text classes around it.
        INumericTable ReadTraining(IReadOnlyDictionary<string, Func<string, double>>? labelCoders) =>
            (INumericTable?)CategoricalTable.ReadTraining(TrainPath, Columns, Targets, Categorical, Missing, Separator, note, labelCoders, deferFill)
            ?? DataFile.ReadTable(TrainPath, Columns, note, missingAsNaN: true, Separator, labelCoders);
        INumericTable trainTable;
        string[]? names = null;
        if (labels) (trainTable, names) = NtkCluster.Numerics.Classification.LabelledTable.ReadTraining(TrainPath, Columns, Targets, note, Separator, ReadTraining);
        else trainTable = ReadTraining(null);
        NtkCluster.Numerics.Diagnostics.StageTimer.Mark("training file parsed");
        var all = Dataset.FromTable(trainTable, Targets);
        if (labels) NtkCluster.Numerics.Classification.ClassLabels.CheckIntegers(trainTable, all.TargetNames[0]);
        all = MissingData.Prepare(TrainPath, all, Missing, note);
        Dataset train;
        Dataset? test = null;
        string[] unseen = [];
        if (TestFraction is double f)
        {
            if (all.Rows < 2) throw new InvalidInputException($"{TrainPath}: {all.Rows} row(s) cannot be split into training and test sets");
            var split = Stratify && labels ? TrainTestSplit.SplitStratified(all, f, SplitSeed) : TrainTestSplit.Split(all, f, SplitSeed);
            (train, test) = (split.Train, split.Test);
            // The classes are the training part's labels: a text label only in the held-out part is unseen, as an integer one is.
            if (names is not null) (train, test, names, unseen) = KeepTrainingClasses(train, test, names);
            if (deferFill) (train, test) = CategoryFills.FromTraining(TrainPath, train, test, note);
        }
        else
        {
            train = all;
            if (TestPath is not null)
            {
                // Columns are matched by name, as predict does: a test file may order them differently.
                INumericTable ReadTest(IReadOnlyDictionary<string, Func<string, double>>? labelCoders) => all.Categorical is { } encoding
                    ? CategoricalTable.ReadEncoded(TestPath, Columns, encoding, CategoricalOptions.NumericFeatures(all), parseOthers: true,
                        UnknownCategoryIsError, Separator, notice ?? note, labelCoders)
                    : DataFile.ReadTable(TestPath, Columns, note, missingAsNaN: true, Separator, labelCoders);
                INumericTable testTable;
                if (labels) (testTable, unseen) = NtkCluster.Numerics.Classification.LabelledTable.ReadTest(TestPath, Columns, all.TargetNames[0], names, note, Separator, ReadTest);
                else testTable = ReadTest(null);
                var testTargets = Dataset.FromTable(testTable, all.TargetNames);
                if (labels && names is null) NtkCluster.Numerics.Classification.ClassLabels.CheckIntegers(testTable, all.TargetNames[0]);
                test = new Dataset(all.FeatureNames, Dataset.FeaturesFor(testTable, all.FeatureNames, all.TargetNames), all.TargetNames, testTargets.Y)
                {
                    OneHot = all.OneHot, Categorical = all.Categorical,
                };
                test = MissingData.Prepare(TestPath, test, Missing, note);
            }
        }
        var fills = MissingData.Fills(TrainPath, train, Missing);
        if (fills is not null) (train, test) = (MissingData.Filled(train, fills), test is null ? null : MissingData.Filled(test, fills));
        return new LoadedData(train, test, fills, names, unseen);
    }

    /// <summary>Text classes after a split: only those with training rows, recoded 0 … C−1; the others' test rows become unseen.</summary>
    private static (Dataset Train, Dataset Test, string[] Names, string[] Unseen) KeepTrainingClasses(Dataset train, Dataset test, string[] names)
    {
        var present = new bool[names.Length];
        for (int i = 0; i < train.Rows; i++) present[(int)train.Y[i, 0]] = true;
        if (present.All(p => p)) return (train, test, names, []);
        var recode = new double[names.Length];
        int next = 0;
        for (int k = 0; k < names.Length; k++) recode[k] = present[k] ? next++ : NtkCluster.Numerics.Classification.ClassLabels.UnseenText;
        Dataset Recoded(Dataset d) => new(d.FeatureNames, d.X, d.TargetNames,
            MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d.Rows, 1, (i, _) => recode[(int)d.Y[i, 0]]))
        {
            OneHot = d.OneHot, Categorical = d.Categorical,
        };
        var unseen = Enumerable.Range(0, names.Length).Where(k => !present[k] && test.Y.Column(0).Contains(k)).Select(k => names[k]).ToArray();
        return (Recoded(train), Recoded(test), names.Where((_, k) => present[k]).ToArray(), unseen);
    }
}

/// <summary>What <see cref="DataOptions.Load"/> read: the data, the missing-value fills, and for classification the text classes.</summary>
public sealed record LoadedData(Dataset Train, Dataset? Test, double[]? Fills, string[]? Names, string[] UnseenTest);

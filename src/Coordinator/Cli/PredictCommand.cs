using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk predict</c>: applies a saved model to new rows.</summary>
public static class PredictCommand
{
    public static readonly string[] ValueOptions = ["model", "data", "columns", "separator", "out", "workers", "rows", "out-delivery", "unknown-category", "keep",
        .. ClusterOptions.ValueOptions];

    public static readonly string[] Flags = [ProgressOptions.QuietFlag, ProgressOptions.VerboseFlag, "scores"];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk predict --model FILE --data FILE|DIR|GLOB [--out FILE|DIR] [--columns A,B,...] [--keep COL,...] [--scores]
                           [--separator ','|';'|tab] [--unknown-category zeros|error] [--workers N] [--quiet] [--verbose]
                           [--cluster H:P [--tls-certificate F]]
                           [--rows auto|shared|shipped] [--out-delivery auto|shared|streamed]
        """, """
        Applies a model written by 'ntk fit --model' or 'ntk train-nn --model' to new rows. Output: CSV with a
        'prediction' column (one 'prediction_<target>' column per target for several targets); for a classifier
        (ntk fit --task classify) one column named like the label column, holding the predicted class as the
        training labels were written (integer or text), and with --scores one more column per class, named after it.
        A directory or quoted glob of CSV or Parquet parts is predicted partition by partition into the directory
        --out: one part per partition, part-00000.csv, part-00001.csv, ... (sorting the names gives partition order),
        then a _SUCCESS file. With --cluster the workers read the partitions from their paths, or this program ships
        them into the workers' caches (--rows); the workers write the parts into --out when they share it, or stream
        them back to this program, which writes them (--out-delivery): the same bytes either way.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["model"] = new("FILE", "a model written by ntk fit --model or ntk train-nn --model (required)"),
        ["data"] = new("FILE", "CSV or Parquet with the model's feature columns, matched by name in any order; a target\n" +
                                   "column that is present is ignored (required). A directory or quoted glob: its parts,\n" +
                                   "one output part each"),
        ["out"] = new("FILE", "write the predictions there, atomically (default: stdout). For a directory or glob of\n" +
                                  "parts: a new or empty directory, which receives the parts all at once or not at all"),
        ["keep"] = new("COL,...", "copy these columns of --data (IDs, say) into the output, first and in this order, each\n" +
                                  "cell's text verbatim, CSV-quoted where needed (default: none); for a directory or glob, into every part"),
        ["rows"] = new("auto|shared|shipped", "with --cluster and a partitioned --data: how the rows reach the workers — read\n" +
                                              "from the same paths (shared), sent by this program into the workers' caches\n" +
                                              "(shipped), or shared when every worker sees every file as this program does, else\n" +
                                              "shipped (default auto)"),
        ["out-delivery"] = new("auto|shared|streamed", "with --cluster and a partitioned --data: how the parts reach --out —\n" +
                                                       "written by the workers (shared), streamed back in chunks to this\n" +
                                                       "program, which writes them (streamed), or shared when every worker\n" +
                                                       "can create a file in --out's staging directory, else streamed (default auto)"),
    },
        "ntk predict --model model.json --data new.csv --out predictions.csv",
        "ntk predict --model model.json --data new.csv --keep id --out predictions.csv",
        "ntk predict --model model.json --data 'new/part-*.parquet' --out predictions/");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        string modelPath = a.RequiredText("model");
        string dataPath = a.RequiredText("data");
        string? outPath = a.Text("out");
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        var (cluster, tls) = ClusterOptions.Read(a);
        var rows = RowDelivery.Auto;
        if (a.Text("rows") is { } rowsText)
            rows = RowDeliveryNames.Parse(rowsText) ?? throw new UsageException($"--rows must be {RowDeliveryNames.Choices}, got '{rowsText}'");
        var delivery = OutputDelivery.Auto;
        if (a.Text("out-delivery") is { } deliveryText)
            delivery = OutputDeliveryNames.Parse(deliveryText)
                       ?? throw new UsageException($"--out-delivery must be {OutputDeliveryNames.Choices}, got '{deliveryText}'");
        if (outPath is not null && !PartitionedData.IsPartitioned(dataPath)) FitCommand.EnsureDirectory(outPath);
        var columns = DataOptions.ReadColumns(a);
        var keep = ReadKeep(a);
        bool withScores = a.Has("scores");
        if (PartitionedData.IsPartitioned(dataPath) && withScores)
            throw new UsageException("--scores writes the class scores of a file loaded whole; a partitioned --data (a directory or glob) " +
                                     "gets the predicted classes only: drop --scores, or predict one file");
        if (PartitionedData.IsPartitioned(dataPath))
            return await RunPartitionedAsync(a, modelPath, dataPath, outPath, columns, keep, (int)workers, cluster, tls, rows, delivery, stderr);
        var model = ModelFile.LoadAny(modelPath);
        var classes = (model as KrrModel)?.Classes;
        if (withScores && classes is null) throw new UsageException($"--scores goes with a classifier (ntk fit --task classify); {modelPath} is a regression model");
        // A classifier's data may hold its label column (not its score columns): that one is ignored.
        // Kept columns are text as often as not (IDs): with --keep only the model's own columns are read as features —
        // its feature columns, or for a categorical model its numeric features and the columns its encoding expands.
        if (keep is not null)
            columns ??= model.Preprocessing.Categorical is { } encoding
                ? [.. CategoricalOptions.NumericFeatures(model.FeatureNames, encoding), .. encoding.Select(e => e.Name)]
                : [.. model.FeatureNames];
        var held = new HeldNotes("predict");
        var x = Dataset.FeaturesFor(ReadRows(a, dataPath, columns, model, held.Writer), model.FeatureNames,
            classes is null ? model.TargetNames : new[] { classes.Column });
        x = FillMissing(dataPath, x, model, held.Writer, "predict");
        // Read (and checked) before any job runs, so an unknown column costs nothing and writes nothing.
        var kept = keep is null ? null : KeptColumns.Read(dataPath, keep, DataOptions.ReadSeparator(a));
        stderr.WriteLine($"ntk predict: {dataPath}: {x.RowCount} rows × {x.ColumnCount} features for {modelPath}'s " +
                         (classes is null ? DataLine.Target(model.TargetNames, given: true) : $"labels '{classes.Column}'"));
        held.WriteTo(stderr);
        await using var runner = await ClusterOptions.StartRunnerAsync("predict", cluster, tls, (int)workers, a.Has("workers"), null, stderr,
            a.Has(ProgressOptions.QuietFlag), verbose: a.Has(ProgressOptions.VerboseFlag));
        var predictions = await runner.RunAsync<Matrix<double>>(new NtkCluster.Protocol.Jobs.SubmitPredict(model, x));
        var csv = classes is null ? PredictionCsv.Format(predictions, model.TargetNames) : PredictionCsv.FormatLabels(classes, predictions, withScores);
        if (kept is not null) csv = kept.Prepend(csv);
        if (outPath is null) stdout.Write(csv);
        else
        {
            AtomicFile.WriteAllText(outPath, csv);
            stderr.WriteLine($"ntk predict: {predictions.RowCount} predictions written to {outPath}");
        }
        return 0;
    }

    /// <summary>The rows to predict, read as numbers, or with the model's categorical columns one-hot encoded as in training.</summary>
    public static INumericTable ReadRows(ParsedOptions a, string dataPath, string[]? columns, IPredictiveModel model, TextWriter stderr)
    {
        string command = a.Command;
        bool unknownIsError = CategoricalOptions.ReadUnknownIsError(a);
        if (NtkCluster.Numerics.Data.RowNames.Note(dataPath, DataOptions.ReadSeparator(a)) is { } rowNames) stderr.WriteLine($"ntk {command}: note: {rowNames}");
        if (model.Preprocessing.Categorical is not { } encoding)
            return DataFile.ReadTable(dataPath, columns, note => stderr.WriteLine($"ntk {command}: note: {note}"), missingAsNaN: true, DataOptions.ReadSeparator(a),
                IgnoredLabels((model as KrrModel)?.Classes));
        return CategoricalTable.ReadEncoded(dataPath, columns, encoding, CategoricalOptions.NumericFeatures(model.FeatureNames, encoding),
            parseOthers: false, unknownIsError, DataOptions.ReadSeparator(a), notice => stderr.WriteLine($"ntk {command}: notice: {notice}"));
    }

    /// <summary><c>--keep a,b</c>: the columns passed through to the output, named once each; null without the option.</summary>
    private static string[]? ReadKeep(ParsedOptions a)
    {
        if (a.Text("keep") is not { } text) return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new UsageException("--keep needs column names, comma-separated");
        var twice = names.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new UsageException($"--keep names '{twice.Key}' twice");
        return names;
    }

    /// <summary>A classifier's label column, present in the data to predict, is skipped unread: it may hold text labels.</summary>
    internal static Dictionary<string, Func<string, double>>? IgnoredLabels(NtkCluster.Numerics.Classification.ClassLabels? classes) =>
        classes is null ? null : new() { [classes.Column] = _ => 0 };

    /// <summary>
    /// The rows to predict with their missing cells filled as in training (<c>fit --missing mean|median</c> stores the fill
    /// values in the model); a model fitted without them refuses missing cells, with one line counting them per column.
    /// </summary>
    internal static Matrix<double> FillMissing(string dataPath, Matrix<double> x, IPredictiveModel model, TextWriter stderr, string command)
    {
        long[] counts = MissingValues.Count(x);
        if (counts.All(k => k == 0)) return x;
        if (model.Preprocessing.FeatureFills is not { } fills)
            throw new NtkCluster.Numerics.Errors.InvalidInputException(
                $"{dataPath}: missing values in {MissingValues.Describe(model.FeatureNames, counts)}: the model was fitted " +
                $"without --missing mean|median{(model.Preprocessing.Missing is { } m ? $" (with --missing {m})" : "")}, so it has no values to fill them with");
        stderr.WriteLine($"ntk {command}: note: filling {counts.Sum()} missing cell(s) with the training {model.Preprocessing.Missing}s stored in the model: " +
                         MissingValues.Describe(model.FeatureNames, counts));
        return MissingValues.Fill(x, fills);
    }

    /// <summary>
    /// Predictions for a partitioned dataset (a directory or glob): one part per partition, written where the
    /// partition is read — here, or by the workers of a cluster into a staging directory they share with this client
    /// (the shared-path mode) — then moved into place all at once (<see cref="PartitionedOutput"/>). In the shared-path
    /// mode no row and no prediction passes through this process or the coordinator: only descriptors, the model and
    /// the parts' receipts. When the workers cannot write the output (<c>--out-delivery</c>), each part streams back
    /// here in acknowledged chunks and is written into the same staging directory, with the same bytes.
    /// </summary>
    private static async Task<int> RunPartitionedAsync(ParsedOptions a, string modelPath, string dataPath, string? outPath, string[]? columns,
        string[]? keep, int workers, ClusterAddress? cluster, string? tls, RowDelivery rows, OutputDelivery delivery, TextWriter stderr)
    {
        if (outPath is null)
            throw new UsageException($"--data {dataPath} is a partitioned dataset (a directory or glob): give --out DIR for its predictions, one part per partition");
        // Everything is checked before anything is written: the output directory, the model, the dataset, the columns.
        PartitionedOutput.Check(outPath);
        var model = ModelFile.LoadAny(modelPath);
        bool unknownIsError = model.Preprocessing.Categorical is not null && CategoricalOptions.ReadUnknownIsError(a);
        var classes = (model as KrrModel)?.Classes;
        // As for one file: with --keep only the model's features are read as numbers, so a text ID column is no feature.
        if (keep is not null) columns ??= [.. model.FeatureNames];
        // On a cluster the workers read the same paths from their own working directories: relative paths are made absolute.
        var data = PartitionedDataset.Resolve(cluster is null ? dataPath : Path.GetFullPath(dataPath));
        var named = PartitionColumns.ForPrediction(model.FeatureNames, classes is null ? model.TargetNames : [classes.Column], columns);
        var chosen = named with { Categorical = model.Preprocessing.Categorical };
        using (chosen.Open(data.Partitions[0], 1))
        {
            // The first partition has the model's columns; Resolve checked that every part has the same columns.
        }
        // The kept columns too: checked from the first file's header, so an unknown one costs nothing and writes nothing.
        if (keep is not null) KeptColumns.CheckColumns(data.Partitions[0].Path, keep);
        // On a cluster the coordinator says how the rows reach the workers (--rows) and how the parts reach --out (--out-delivery).
        stderr.WriteLine($"ntk predict: {PartitionedData.Describe(data)}");
        PredictionPart[] parts;
        var output = PartitionedOutput.Begin(outPath);
        try
        {
            await using var runner = await ClusterOptions.StartRunnerAsync("predict", cluster, tls, workers, a.Has("workers"), null, stderr,
                a.Has(ProgressOptions.QuietFlag), rows: rows, verbose: a.Has(ProgressOptions.VerboseFlag));
            parts = await runner.RunAsync<PredictionPart[]>(new SubmitPartitionedPredict(data.Source, data.Partitions, model, columns, output.Staging)
            {
                Delivery = delivery,
                Keep = keep,
            });
            // Before anything is published: with --unknown-category error the first partition with an unseen category refuses the job.
            if (unknownIsError) PartitionedUnseenCategories.Refuse(data.Partitions, parts, chosen);
            output.Commit(parts);
        }
        catch
        {
            output.Abandon();
            throw;
        }
        if (PartitionedUnseenCategories.Notice(data.Source, parts, model.Preprocessing.Categorical) is { } notice)
            stderr.WriteLine($"ntk predict: notice: {notice}");
        stderr.WriteLine($"ntk predict: {parts.Sum(p => p.Rows)} predictions written to {outPath} ({parts.Length} part(s), {PartitionedOutput.PartName(0, parts.Length)} first)");
        return 0;
    }
}

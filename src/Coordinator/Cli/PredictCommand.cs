using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk predict</c>: applies a saved model to new rows.</summary>
public static class PredictCommand
{
    public static readonly string[] ValueOptions = ["model", "data", "columns", "out", "workers", .. ClusterOptions.ValueOptions];

    public static readonly string[] Flags = [ProgressOptions.QuietFlag];

    public static readonly CommandSyntax Syntax = OptionCatalogue.Build("""
        usage: ntk predict --model FILE --data FILE [--out FILE] [--workers N] [--quiet] [--cluster H:P [--tls-certificate F]]
        """, """
        Applies a model written by 'ntk fit --model' or 'ntk train-nn --model' to new rows. Output: CSV with a
        'prediction' column (one 'prediction_<target>' column per target for several targets); for a classifier
        (ntk fit --task classify) one column named like the label column, holding the predicted class.
        """, ValueOptions, Flags, new Dictionary<string, OptionCatalogue.Entry>
    {
        ["model"] = new("FILE", "a model written by ntk fit --model or ntk train-nn --model (required)"),
        ["data"] = new("FILE", "CSV with the model's feature columns, matched by header name in any order; a target\n" +
                                   "column that is present is ignored (required)"),
        ["out"] = new("FILE", "write the predictions there, atomically (default: stdout)"),
    },
        "ntk predict --model model.json --data new.csv --out predictions.csv");

    public static async Task<int> RunAsync(ParsedOptions a, TextWriter stdout, TextWriter stderr)
    {
        string modelPath = a.RequiredText("model");
        string dataPath = a.RequiredText("data");
        string? outPath = a.Text("out");
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        var (cluster, tls) = ClusterOptions.Read(a);
        if (outPath is not null) FitCommand.EnsureDirectory(outPath);
        var columns = DataOptions.ReadColumns(a);
        var model = ModelFile.LoadAny(modelPath);
        var classes = (model as KrrModel)?.Classes;
        // A classifier's data may hold its label column (not its score columns): that one is ignored.
        var x = Dataset.FeaturesFor(DataFile.ReadTable(dataPath, columns, note => stderr.WriteLine($"ntk predict: note: {note}")),
            model.FeatureNames, classes is null ? model.TargetNames : new[] { classes.Column });
        await using var runner = await ClusterOptions.StartRunnerAsync("predict", cluster, tls, (int)workers, a.Has("workers"), null, stderr,
            a.Has(ProgressOptions.QuietFlag));
        var predictions = await runner.RunAsync<Matrix<double>>(new NtkCluster.Protocol.Jobs.SubmitPredict(model, x));
        var csv = classes is null ? PredictionCsv.Format(predictions, model.TargetNames) : PredictionCsv.FormatLabels(classes.Decode(predictions), classes.Column);
        if (outPath is null) stdout.Write(csv);
        else
        {
            AtomicFile.WriteAllText(outPath, csv);
            stderr.WriteLine($"ntk predict: {predictions.RowCount} predictions written to {outPath}");
        }
        return 0;
    }
}

using NtkCluster.Coordinator.Hosting;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Coordinator.Cli;

/// <summary><c>ntk predict</c>: applies a saved model to new rows.</summary>
public static class PredictCommand
{
    public const string Help = $"""
        usage: ntk predict --model FILE --data FILE [--columns A,B,...] [--out FILE] [--workers N] [--cluster H:P]

          --model FILE   a model written by ntk fit --model
          --data FILE    CSV or Parquet with the model's feature columns (matched by name, any order);
                         a target column that is present is ignored
          --columns A,B  read only these columns of --data (e.g. a Parquet file's feature columns)
          --out FILE     write predictions there (atomically) instead of stdout
          --workers N    blocks computed at once (default: the number of cores)

        {ClusterOptions.HelpText}

        Output: CSV with a 'prediction' column (one 'prediction_<target>' column per target for several targets).
        example: ntk predict --model model.json --data new.csv --out predictions.csv
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var a = new CliArguments("predict", args, ["model", "data", "columns", "out", "workers", .. ClusterOptions.ValueOptions], []);
        string modelPath = a.RequiredText("model");
        string dataPath = a.RequiredText("data");
        string? outPath = a.Text("out");
        long workers = a.Integer("workers") ?? Environment.ProcessorCount;
        if (workers <= 0 || workers > 1024) throw new UsageException($"--workers must be between 1 and 1024, got {workers}");
        var (cluster, tls) = ClusterOptions.Read(a);
        if (outPath is not null) FitCommand.EnsureDirectory(outPath);
        var columns = DataOptions.ReadColumns(a);
        var model = ModelFile.LoadAny(modelPath);
        var x = Dataset.FeaturesFor(DataFile.ReadTable(dataPath, columns, note => stderr.WriteLine($"ntk predict: note: {note}")),
            model.FeatureNames, model.TargetNames);
        await using var runner = await ClusterOptions.StartRunnerAsync("predict", cluster, tls, (int)workers, a.Has("workers"), null, stderr);
        var predictions = await runner.RunAsync<Matrix<double>>(new Jobs.SubmitPredict(model, x));
        var csv = PredictionCsv.Format(predictions, model.TargetNames);
        if (outPath is null) stdout.Write(csv);
        else
        {
            AtomicFile.WriteAllText(outPath, csv);
            stderr.WriteLine($"ntk predict: {predictions.RowCount} predictions written to {outPath}");
        }
        return 0;
    }
}

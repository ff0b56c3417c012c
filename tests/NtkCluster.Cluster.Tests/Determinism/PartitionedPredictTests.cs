using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// The parts of a partitioned prediction, put end to end, are byte for byte the predictions of the whole data set
/// loaded at once (<see cref="ModelPredictor.PredictAsync"/>, as <c>ntk predict</c> on one file writes them), for every
/// kind of model and whatever the partitioning — here a CSV file cut into byte ranges that start in the middle of the
/// whole file's blocks of rows.
/// </summary>
public sealed class PartitionedPredictTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Models => new() { "features", "exact", "network" };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Parts_of_byte_ranges_are_bitwise_the_predictions_of_the_whole_file(string kind)
    {
        string train = _dir.Write("train.csv", TestData.Csv(300, seed: 2)), model = _dir.PathOf("model.json");
        string[] fit = kind switch
        {
            "features" => ["fit", "--train", train, "--kernel", "laplace:gamma=0.4", "--lambda", "0.05", "--features", "70", "--standardize", "--scale-target"],
            "exact" => ["fit", "--train", train, "--kernel", "ntk", "--lambda", "0.5", "--solver", "exact", "--normalize"],
            _ => ["train-nn", "--train", train, "--width", "40", "--lambda", "0.01", "--steps", "5", "--no-reference", "--standardize"],
        };
        var run = await Ntk.RunAsync([.. fit, "--model", model, "--quiet"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var loaded = ModelFile.LoadAny(model);

        string data = _dir.Write("data.csv", TestData.Csv(5000, seed: 9));
        var x = Dataset.FeaturesFor(DataFile.ReadTable(data, null, _ => { }), loaded.FeatureNames, loaded.TargetNames);
        var predictor = new ModelPredictor(new InProcessBlockRounds(2));
        string expected = PredictionCsv.Format(await predictor.PredictAsync("whole", loaded, x), loaded.TargetNames);

        // Ranges of about 21 kB: some 290 rows each, so nearly every range starts inside one of the file's 1024-row blocks.
        var dataset = PartitionedDataset.Resolve(data, splitSize: 21_000);
        Assert.InRange(dataset.Partitions.Count, 12, 30);
        var parts = await predictor.WritePartitionedAsync("parts", loaded, dataset, null, _dir.PathOf("out"));
        Assert.Equal(5000, parts.Sum(p => p.Rows));
        string concatenated = string.Concat(parts.Select((p, i) =>
        {
            string text = File.ReadAllText(Path.Combine(_dir.PathOf("out"), p.Name));
            return i == 0 ? text : text[(text.IndexOf('\n') + 1)..];
        }));
        Assert.Equal(expected, concatenated);
    }
}

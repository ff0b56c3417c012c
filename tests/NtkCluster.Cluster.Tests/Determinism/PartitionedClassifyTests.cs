using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// <c>--task classify</c> on a partitioned dataset: the classes are discovered per partition and merged, the ±1 targets
/// are built where each partition is read, and the accuracy is counted per partition — bitwise one outcome
/// in-process and locally with any number of threads, and the in-memory classifier's accuracy on the same rows.
/// </summary>
public sealed class PartitionedClassifyTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "classify", name);

    /// <summary>The 300 digits training rows as three CSV parts of 100 rows (and the path of the directory).</summary>
    internal static string DigitParts(CliTempDirectory dir)
    {
        string path = Path.Combine(dir.Path, "digits");
        Directory.CreateDirectory(path);
        var lines = File.ReadAllLines(Fixture("digits-train.csv"));
        for (int i = 0; i < 3; i++)
            File.WriteAllLines(Path.Combine(path, $"part-{i:D5}.csv"), [lines[0], .. lines.Skip(1 + 100 * i).Take(100)]);
        return path;
    }

    internal static SubmitPartitionedFit Classify(string train, string? test, FitSettings settings)
    {
        var s = PartitionedFitTests.Submission(train, test, settings);
        return s with { Columns = s.Columns with { Classify = true } };
    }

    internal static readonly FitSettings Features = new() { KernelSpec = "rbf:gamma=0.02", Lambda = 0.01, Features = 100, Seed = 6, Standardize = true };

    private static async Task<FitOutcome> LocalAsync(int threads, object submission)
    {
        await using var cluster = await LocalCluster.StartAsync(threads);
        return await cluster.RunAsync<FitOutcome>(submission);
    }

    internal static void AssertSameClassification(FitOutcome expected, FitOutcome actual)
    {
        PartitionedFitTests.AssertSameOutcome(expected, actual);
        var (e, a) = (expected.Classification!, actual.Classification!);
        Assert.Equal(e.Classes.Labels, a.Classes.Labels);
        Assert.Equal((e.Train.Correct, e.Train.Rows, e.Train.Unseen), (a.Train.Correct, a.Train.Rows, a.Train.Unseen));
        Assert.Equal((e.Test?.Correct, e.Test?.Rows, e.Test?.Unseen), (a.Test?.Correct, a.Test?.Rows, a.Test?.Unseen));
        Assert.Equal(e.Test?.UnseenLabels, a.Test?.UnseenLabels);
    }

    [Fact]
    public async Task A_classifier_of_three_partitions_is_bitwise_one_outcome_in_process_and_locally_with_1_and_3_threads()
    {
        string train = DigitParts(_dir);
        string test = Path.Combine(_dir.Path, "test");
        Directory.CreateDirectory(test);
        File.Copy(Fixture("digits-test.csv"), Path.Combine(test, "part-00000.csv"));
        var submission = Classify(train, test, Features);

        var library = await PartitionedFitTests.InProcessAsync(submission, parallelism: 3);
        var c = library.Classification!;
        Assert.Equal(Enumerable.Range(0, 10).Select(l => (long)l), c.Classes.Labels);
        Assert.Equal("digit", c.Classes.Column);
        Assert.Equal(10, library.Model.Classes!.Count);
        Assert.Equal(300, c.Train.Rows);
        Assert.Equal(100, c.Test!.Rows);
        Assert.InRange(c.Test.Accuracy, 0.7, 1.0);   // 300 training rows, 200 random-feature columns: 0.78 (chance: 0.1)
        AssertSameClassification(library, await PartitionedFitTests.InProcessAsync(submission, parallelism: 1));
        AssertSameClassification(library, await LocalAsync(1, submission));
        AssertSameClassification(library, await LocalAsync(3, submission));

        // The same rows in memory, classified as ntk fit --task classify does a single file: the same accuracy up to
        // arg-maxes the last bits of another summation order could flip.
        var labelled = Dataset.FromTable(CsvTable.Read(Fixture("digits-train.csv")), null);
        var testSet = Dataset.FromTable(CsvTable.Read(Fixture("digits-test.csv")), null);
        var classes = ClassLabels.FromTraining("digit", labelled.Y);
        var rounds = new InProcessBlockRounds(2);
        var inMemory = await new KrrFitter(rounds).FitEvaluatedAsync("mem", ClassificationData.Encode(labelled, classes),
            ClassificationData.Encode(testSet, classes), Features);
        var predictor = new ModelPredictor(rounds);
        var trainScore = ClassificationScore.Of(classes, classes.Decode(await predictor.PredictAsync("p", inMemory.Model, labelled.X)), labelled.Y);
        var testScore = ClassificationScore.Of(classes, classes.Decode(inMemory.TestPredictions!), testSet.Y);
        Assert.InRange(Math.Abs(trainScore.Correct - c.Train.Correct), 0, 1);
        Assert.InRange(Math.Abs(testScore.Correct - c.Test.Correct), 0, 1);
    }

    [Fact]
    public async Task An_exact_classifier_of_partitions_gathers_the_encoded_rows_and_is_bitwise_the_in_memory_classifier()
    {
        string train = DigitParts(_dir);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.02", Lambda = 0.01, Exact = true, Standardize = true };
        var library = await PartitionedFitTests.InProcessAsync(Classify(train, null, settings));

        var labelled = Dataset.FromTable(CsvTable.Read(Fixture("digits-train.csv")), null);
        var classes = ClassLabels.FromTraining("digit", labelled.Y);
        var rounds = new InProcessBlockRounds(2);
        var inMemory = await new KrrFitter(rounds).FitEvaluatedAsync("mem", ClassificationData.Encode(labelled, classes), null, settings);
        Assert.Equal(PartitionedFitTests.ModelBytes(inMemory.Model.AsClassifier(classes)), PartitionedFitTests.ModelBytes(library.Model));
        var trainScore = ClassificationScore.Of(classes, classes.Decode(await new ModelPredictor(rounds).PredictAsync("p", inMemory.Model, labelled.X)), labelled.Y);
        Assert.Equal((trainScore.Correct, trainScore.Rows), (library.Classification!.Train.Correct, library.Classification.Train.Rows));
    }
}

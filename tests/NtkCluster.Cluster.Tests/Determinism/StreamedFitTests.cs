using System.Text;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// A fit that streams its files in row blocks gives bitwise the model and the errors of the same fit on the data
/// loaded whole, for any number of workers; a file that turns bad or changes between passes fails the job cleanly.
/// </summary>
public sealed class StreamedFitTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DataOptions Data(string train, string? test, bool standardize, bool scaleTarget, bool normalize) =>
        new(train, test, null, 0, null, standardize, scaleTarget, normalize, Workers: 2, BlockTimeoutSeconds: null);

    private static async Task<FitOutcome> RunAsync(int workers, object submission)
    {
        await using var cluster = await LocalCluster.StartAsync(workers);
        return await cluster.RunAsync<FitOutcome>(submission);
    }

    public static TheoryData<string, int, bool, bool, bool, bool> Cases => new()
    {
        // kernel, M, two targets, standardize, scale-target, normalize
        { "rbf:gamma=0.5", 150, false, true, false, false },
        { "ntk", 60, true, true, true, true },             // d2 = 3: 180 feature columns, two targets
        { "laplace:gamma=0.3", 40, false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_streamed_fit_is_bitwise_the_in_memory_fit_for_1_and_2_workers(
        string kernel, int features, bool twoTargets, bool standardize, bool scaleTarget, bool normalize)
    {
        // 3000 rows: three row blocks of 1024, the last one short.
        string train = _dir.Write("train.csv", TestData.Csv(3000, seed: 5, twoTargets));
        string test = _dir.Write("test.csv", TestData.Csv(1500, seed: 6, twoTargets));
        var settings = new FitSettings
        {
            KernelSpec = kernel, Lambda = 0.05, Features = features, Seed = 9,
            Standardize = standardize, ScaleTarget = scaleTarget, Normalize = normalize,
        };
        var data = Data(train, test, standardize, scaleTarget, normalize);
        var (loadedTrain, loadedTest) = data.LoadData(_ => { });
        var inMemory = await RunAsync(2, new SubmitFit(loadedTrain, loadedTest, settings));

        var streamed = StreamedData.Prepare(new FitOptions(data, settings), forced: true, _ => { })!;
        Assert.Equal((3000, 1500), (streamed.TrainRows, streamed.TestRows));
        foreach (int workers in new[] { 1, 2 })
        {
            var outcome = await RunAsync(workers, streamed.Submission(settings));
            AssertSameModel(inMemory.Model, outcome.Model);
            Assert.Equal(inMemory.TrainMse, outcome.TrainMse);
            Assert.Equal(inMemory.TestMse, outcome.TestMse);
        }
    }

    private static void AssertSameModel(KrrModel expected, KrrModel actual)
    {
        Assert.Equal(expected.Formulation, actual.Formulation);
        Assert.Equal(expected.FeatureNames, actual.FeatureNames);
        Assert.Equal(expected.TargetNames, actual.TargetNames);
        Assert.Equal(expected.Preprocessing.FeatureMeans, actual.Preprocessing.FeatureMeans);
        Assert.Equal(expected.Preprocessing.FeatureScales, actual.Preprocessing.FeatureScales);
        Assert.Equal(expected.Preprocessing.TargetMeans, actual.Preprocessing.TargetMeans);
        Assert.Equal(expected.Preprocessing.TargetScales, actual.Preprocessing.TargetScales);
        Assert.Equal(expected.Draws!.Draws.ToColumnMajorArray(), actual.Draws!.Draws.ToColumnMajorArray());
        Assert.Equal(expected.Coefficients!.ToColumnMajorArray(), actual.Coefficients!.ToColumnMajorArray());
    }

    [Fact]
    public async Task A_bad_cell_met_while_streaming_fails_the_job_with_its_file_line_and_column()
    {
        string train = _dir.Write("train.csv", TestData.Csv(3000, seed: 5));
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 20 };
        var streamed = StreamedData.Prepare(new FitOptions(Data(train, null, false, false, false), settings), forced: true, _ => { })!;

        // The file turns bad after the first pass: the Gram pass meets the bad cell in its third block.
        var lines = File.ReadAllLines(train);
        lines[2501] = "0.5,oops,1,2";
        File.WriteAllText(train, string.Join("\n", lines) + "\n", new UTF8Encoding(false));

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => RunAsync(2, streamed.Submission(settings)));
        Assert.Equal($"{train}:2502:2: column 'x2': 'oops' is not a number (a text feature column? name it with --categorical x2 to one-hot encode its categories)", error.Message);
    }

    [Fact]
    public async Task A_file_that_grows_between_passes_is_refused()
    {
        string train = _dir.Write("train.csv", TestData.Csv(1500, seed: 5));
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 20 };
        var streamed = StreamedData.Prepare(new FitOptions(Data(train, null, false, false, false), settings), forced: true, _ => { })!;
        File.AppendAllText(train, string.Join("", TestData.Csv(10, seed: 7).Split('\n').Skip(1).Select(l => l.Length > 0 ? l + "\n" : "")));

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => RunAsync(1, streamed.Submission(settings)));
        Assert.Equal($"{train} changed while it was being read: 1500 rows at first, 1510 the second time", error.Message);
    }
}

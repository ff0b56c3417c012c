using System.Text;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// Local <c>ntk fit</c> runs without an actor system (<see cref="InProcessJobRunner"/>, issue 18): its models, errors
/// and test predictions must be bitwise those of the sharded local cluster, for 1, 2 and 3 workers, and its failures
/// must reach the command as the cluster's do (bad input stays bad input).
/// </summary>
public sealed class InProcessJobRunnerTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DataOptions Data(string train, string? test) =>
        new(train, test, null, 0, null, true, false, false, Workers: 2, BlockTimeoutSeconds: null);

    private static async Task<T> OnClusterAsync<T>(int workers, object submission)
    {
        await using var cluster = await LocalCluster.StartAsync(workers);
        return await cluster.RunAsync<T>(submission);
    }

    private static async Task<T> InProcessAsync<T>(int workers, object submission)
    {
        await using var runner = new InProcessJobRunner(workers);
        return await runner.RunAsync<T>(submission);
    }

    public static TheoryData<string, bool, int> Cases => new()
    {
        { "rbf:gamma=0.5", false, 300 },  // primal over the Gram round's row blocks
        { "ntk", false, 900 },            // dual: 900 draws × d2 = 3 > 2500 rows
        { "laplace:gamma=0.3", true, 0 }, // exact KRR
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_in_process_fit_is_bitwise_the_local_cluster_fit_for_1_2_and_3_workers(string kernel, bool exact, int features)
    {
        string train = _dir.Write("train.csv", TestData.Csv(2500, seed: 3));
        string test = _dir.Write("test.csv", TestData.Csv(700, seed: 4));
        var (loadedTrain, loadedTest) = Data(train, test).LoadData(_ => { });
        var settings = new FitSettings { KernelSpec = kernel, Lambda = 0.1, Exact = exact, Features = features, Seed = 7, Standardize = true };
        var submission = new SubmitFit(loadedTrain, loadedTest, settings);
        var reference = await OnClusterAsync<FitOutcome>(2, submission);
        foreach (int workers in new[] { 1, 2, 3 })
        {
            var outcome = await InProcessAsync<FitOutcome>(workers, submission);
            Assert.Equal(ModelCodec.ToJson(reference.Model), ModelCodec.ToJson(outcome.Model));
            Assert.Equal(reference.TrainMse, outcome.TrainMse);
            Assert.Equal(reference.TestMse, outcome.TestMse);
            Assert.Equal(reference.TestPredictions!.ToColumnMajorArray(), outcome.TestPredictions!.ToColumnMajorArray());
        }
    }

    [Fact]
    public async Task A_streamed_fit_and_a_prediction_in_process_are_bitwise_the_local_cluster_ones()
    {
        string train = _dir.Write("train.csv", TestData.Csv(3000, seed: 5));
        string test = _dir.Write("test.csv", TestData.Csv(1500, seed: 6));
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 150, Seed = 9, Standardize = true };
        var streamed = StreamedData.Prepare(new FitOptions(Data(train, test), settings), forced: true, _ => { })!;
        var reference = await OnClusterAsync<FitOutcome>(2, streamed.Submission(settings));
        var outcome = await InProcessAsync<FitOutcome>(3, streamed.Submission(settings));
        Assert.Equal(ModelCodec.ToJson(reference.Model), ModelCodec.ToJson(outcome.Model));
        Assert.Equal((reference.TrainMse, reference.TestMse), (outcome.TrainMse, outcome.TestMse));

        var (_, loadedTest) = Data(train, test).LoadData(_ => { });
        var predict = new SubmitPredict(reference.Model, loadedTest!.X);
        Assert.Equal((await OnClusterAsync<MathNet.Numerics.LinearAlgebra.Matrix<double>>(2, predict)).ToColumnMajorArray(),
            (await InProcessAsync<MathNet.Numerics.LinearAlgebra.Matrix<double>>(2, predict)).ToColumnMajorArray());
    }

    [Fact]
    public async Task Bad_input_met_by_the_job_stays_bad_input_and_other_failures_are_job_failures()
    {
        string train = _dir.Write("train.csv", TestData.Csv(3000, seed: 5));
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 20 };
        var streamed = StreamedData.Prepare(new FitOptions(Data(train, null), settings), forced: true, _ => { })!;
        var lines = File.ReadAllLines(train);
        lines[2501] = "0.5,oops,1,2";
        File.WriteAllText(train, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => InProcessAsync<FitOutcome>(2, streamed.Submission(settings)));
        Assert.StartsWith($"{train}:2502:2: column 'x2': 'oops' is not a number", bad.Message);

        var (loaded, _) = Data(_dir.Write("ok.csv", TestData.Csv(100, seed: 1)), null).LoadData(_ => { });
        var failed = await Assert.ThrowsAsync<JobFailedException>(() =>
            InProcessAsync<FitOutcome>(1, new SubmitFit(loaded, null, settings with { KernelSpec = "rbf:gamma=0.5", Features = 0 })));
        Assert.Contains("features must be positive", failed.Message);
    }
}

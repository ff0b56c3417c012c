using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Sampling;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// <c>--leverage subsample</c> on a partitioned dataset: the pilot and the n′ scoring rows are hashed samples gathered
/// from the partitions (the rows the data alone defines), scored in memory. One model in-process and locally with any
/// number of threads; and the same scores as the in-memory fit of the concatenated file, whose hashed rows are the same.
/// </summary>
public sealed class PartitionedSubsampleLeverageTests(ITestOutputHelper output) : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly FitSettings Subsample = PartitionedLeverageTests.Scalable with { LeverageMode = LeverageScoring.Subsample };

    private static async Task<FitOutcome> LocalAsync(int threads, object submission)
    {
        await using var cluster = await LocalCluster.StartAsync(threads);
        return await cluster.RunAsync<FitOutcome>(submission);
    }

    [Fact]
    public async Task A_subsample_leverage_fit_of_three_partitions_is_bitwise_one_model_in_process_and_locally_with_1_and_3_threads()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        string test = PartitionedFitTests.Parts(_dir, "test", seed: 40, 500);
        var submission = PartitionedFitTests.Submission(train, test, Subsample);

        var library = await PartitionedFitTests.InProcessAsync(submission, parallelism: 3);
        Assert.Equal(("subsample", 1500), (library.Model.Leverage!.Mode, library.Model.Leverage.Pool));
        // n′ from the pilot's ŝ_λ: a proper subsample of the 4100 rows (3277 when written).
        Assert.InRange(library.Sampling!.ScoringRows!.Value, SubsampleScoring.MinimumRows, 4099);
        Assert.NotNull(library.Sampling.FirstStageEpsilon);
        PartitionedFitTests.AssertSameOutcome(library, await PartitionedFitTests.InProcessAsync(submission, parallelism: 1));
        var one = await LocalAsync(1, submission);
        PartitionedFitTests.AssertSameOutcome(library, one);
        Assert.Equal(library.Sampling.PoolScores, one.Sampling!.PoolScores);
        Assert.Equal(library.Sampling.ScoringRows, one.Sampling.ScoringRows);
        PartitionedFitTests.AssertSameOutcome(library, await LocalAsync(3, submission));
    }

    [Fact]
    public async Task A_partitioned_subsample_fit_scores_the_same_hashed_rows_as_the_in_memory_fit_of_the_whole_file()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 30, 1500, 1000, 2000);
        var partitioned = await PartitionedFitTests.InProcessAsync(PartitionedFitTests.Submission(train, null, Subsample));
        var trainSet = Dataset.FromTable(CsvTable.Read(_dir.Write("whole.csv", PartitionedFitTests.Concatenated(train, 3))), null);
        var inMemory = await new KrrFitter(new InProcessBlockRounds(2)).FitEvaluatedAsync("mem", trainSet, null, Subsample);

        Assert.Equal("subsample", inMemory.Model.Leverage!.Mode);
        Assert.Equal(inMemory.Sampling!.ScoringRows, partitioned.Sampling!.ScoringRows);
        var a = partitioned.Sampling.PoolScores!;
        var b = inMemory.Sampling.PoolScores!;
        double worst = Enumerable.Range(0, a.Length).Max(i => Math.Abs(a[i] - b[i]) / b[i]);
        output.WriteLine($"n′ = {partitioned.Sampling.ScoringRows}, ε₁ {partitioned.Sampling.FirstStageEpsilon:G4} vs {inMemory.Sampling.FirstStageEpsilon:G4}; " +
                         $"largest relative score difference {worst:G3}");
        // The same rows, preprocessed from the partitions' moments or from the rows in memory: rounding apart only.
        Assert.True(worst < 1e-6, $"largest relative score difference {worst:G3}");
        Assert.True(a.Max() > 1.2 * a.Min(), $"τ from {a.Min():G4} to {a.Max():G4}: leverage not exercised");
    }
}

using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// A fit of a partitioned dataset computes every round per partition and reduces the partials in partition order:
/// its model depends on the partitioning alone — bitwise the same in the library's in-process rounds and in local mode
/// with any number of compute threads — and a dataset of one partition gives bitwise the streamed fit of its file.
/// </summary>
public sealed class PartitionedFitTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The model as its file's bytes: every field that is saved, compared at once.</summary>
    internal static byte[] ModelBytes(KrrModel model) => Library.LibraryAgreementTests.Bytes(path => ModelFile.Save(model, path));

    /// <summary>A directory of CSV parts of the given sizes (each its own rows), and its path.</summary>
    internal static string Parts(CliTempDirectory dir, string name, int seed, params int[] rows)
    {
        string path = Path.Combine(dir.Path, name);
        Directory.CreateDirectory(path);
        for (int i = 0; i < rows.Length; i++)
            File.WriteAllText(Path.Combine(path, $"part-{i:D5}.csv"), TestData.Csv(rows[i], seed + i));
        File.WriteAllText(Path.Combine(path, "_SUCCESS"), "");
        return path;
    }

    /// <summary>The rows of a directory's first <paramref name="parts"/> CSV parts as one CSV text (one header).</summary>
    internal static string Concatenated(string dir, int parts) => string.Concat(Enumerable.Range(0, parts).Select(i =>
        string.Join("\n", File.ReadAllLines(Path.Combine(dir, $"part-{i:D5}.csv")).Skip(i == 0 ? 0 : 1)) + "\n"));

    internal static SubmitPartitionedFit Submission(string train, string? test, FitSettings settings, double? testFraction = null, ulong splitSeed = 0)
    {
        var data = PartitionedDataset.Resolve(train);
        var columns = PartitionColumns.ForTraining(data, null, null);
        var held = test is null ? null : PartitionedDataset.Resolve(test);
        if (held is not null) columns.CheckedAgainst(held);
        return new SubmitPartitionedFit(train, data.Partitions, columns, held?.Partitions,
            testFraction is double f ? new RowSplit(splitSeed, f, false) : null, settings);
    }

    internal static Task<FitOutcome> InProcessAsync(SubmitPartitionedFit s, int parallelism = 2) =>
        new KrrFitter(new InProcessBlockRounds(parallelism)).FitPartitionedEvaluatedAsync("fit-lib", s.TrainSource, s.Train, s.Columns, s.Test, s.Split, s.Settings);

    private static async Task<FitOutcome> LocalAsync(int threads, object submission)
    {
        await using var cluster = await LocalCluster.StartAsync(threads);
        return await cluster.RunAsync<FitOutcome>(submission);
    }

    internal static void AssertSameOutcome(FitOutcome expected, FitOutcome actual)
    {
        Assert.Equal(ModelBytes(expected.Model), ModelBytes(actual.Model));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.TrainMse), BitConverter.DoubleToInt64Bits(actual.TrainMse));
        Assert.Equal(expected.TestMse.HasValue, actual.TestMse.HasValue);
        if (expected.TestMse is double e) Assert.Equal(BitConverter.DoubleToInt64Bits(e), BitConverter.DoubleToInt64Bits(actual.TestMse!.Value));
    }

    public static TheoryData<string, int, bool, bool, bool, bool> Cases => new()
    {
        // kernel, M, two targets, standardize, scale-target, normalize
        { "rbf:gamma=0.5", 150, false, true, false, false },
        { "ntk", 60, true, true, true, true },             // d2 = 3: 180 feature columns, two targets
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_dataset_of_one_partition_is_bitwise_the_streamed_fit_of_its_file(
        string kernel, int features, bool twoTargets, bool standardize, bool scaleTarget, bool normalize)
    {
        // 3000 rows: three row blocks of 1024, the last one short; one partition (far below the split size).
        string train = _dir.Write("train.csv", TestData.Csv(3000, seed: 5, twoTargets));
        string test = _dir.Write("test.csv", TestData.Csv(1500, seed: 6, twoTargets));
        var settings = new FitSettings
        {
            KernelSpec = kernel, Lambda = 0.05, Features = features, Seed = 9,
            Standardize = standardize, ScaleTarget = scaleTarget, Normalize = normalize,
        };
        var data = new DataOptions(train, test, null, 0, null, standardize, scaleTarget, normalize, Workers: 2, BlockTimeoutSeconds: null);
        var streamed = await LocalAsync(2, StreamedData.Prepare(new FitOptions(data, settings), forced: true, _ => { })!.Submission(settings));

        var submission = Submission(train, test, settings);
        Assert.Single(submission.Train);
        AssertSameOutcome(streamed, await LocalAsync(2, submission));
        AssertSameOutcome(streamed, await InProcessAsync(submission));
    }

    [Fact]
    public async Task A_directory_of_parts_gives_bitwise_one_model_in_process_and_locally_with_1_and_3_threads()
    {
        string train = Parts(_dir, "train", seed: 20, 1300, 700, 2100);
        string test = Parts(_dir, "test", seed: 40, 500, 900);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.05, Features = 120, Seed = 4, Standardize = true, ScaleTarget = true };
        var submission = Submission(train, test, settings);
        Assert.Equal(3, submission.Train.Count);

        var library = await InProcessAsync(submission, parallelism: 3);
        Assert.NotNull(library.TestMse);
        AssertSameOutcome(library, await InProcessAsync(submission, parallelism: 1));
        AssertSameOutcome(library, await LocalAsync(1, submission));
        AssertSameOutcome(library, await LocalAsync(3, submission));

        // Not vacuous: another partitioning of the same rows is another reduction order (and may differ in the last bits),
        // but the same model to rounding.
        string whole = _dir.Write("whole.csv", Concatenated(train, 3));
        var single = await InProcessAsync(Submission(whole, test, settings));
        Assert.Equal(library.TrainMse, single.TrainMse, 1e-9);
    }

    [Fact]
    public async Task A_hashed_test_fraction_splits_the_same_rows_everywhere_and_holds_out_about_the_fraction()
    {
        string train = Parts(_dir, "train", seed: 60, 1000, 1500, 500);
        var settings = new FitSettings { KernelSpec = "laplace:gamma=0.3", Lambda = 0.1, Features = 80, Seed = 2, Standardize = true };
        var submission = Submission(train, null, settings, testFraction: 0.25, splitSeed: 17);

        var library = await InProcessAsync(submission);
        Assert.NotNull(library.TestMse);
        AssertSameOutcome(library, await LocalAsync(3, submission));

        // The held-out rows are those RowHash picks, by global row index, whatever partition holds them.
        var counted = PartitionedDataset.Resolve(train).CountRows();
        var rounds = new InProcessBlockRounds(2);
        var side = submission.Split!;
        var trainMoments = await rounds.PartitionMomentsAsync("m", counted.Partitions, submission.Columns, side);
        var testMoments = await rounds.PartitionMomentsAsync("m", counted.Partitions, submission.Columns, side.OtherSide());
        long expectedTest = Enumerable.Range(0, 3000).LongCount(row => RowHash.IsTest(17, row, 0.25));
        Assert.Equal((3000 - expectedTest, expectedTest), (trainMoments.Features.Count, testMoments.Features.Count));
        Assert.InRange(expectedTest, 600, 900);
    }

    [Fact]
    public async Task A_part_that_changes_after_the_job_started_fails_it_with_one_line()
    {
        string train = Parts(_dir, "train", seed: 80, 800, 800);
        var settings = new FitSettings { KernelSpec = "rbf:gamma=0.5", Lambda = 0.1, Features = 20 };
        var submission = Submission(train, null, settings);
        string part = Path.Combine(train, "part-00001.csv");
        File.AppendAllText(part, "0.5,0.5,0.5,1\n");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => LocalAsync(2, submission));
        Assert.StartsWith($"{part}: the file changed since the job started", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

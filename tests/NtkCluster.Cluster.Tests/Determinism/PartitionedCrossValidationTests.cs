using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Fit;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;
using Xunit;

namespace NtkCluster.Cluster.Tests.Determinism;

/// <summary>
/// Cross-validation of a partitioned dataset: folds by a hash of the global row index, one fold-Gram round and one
/// held-out error round per kernel. Its fold MSEs are those of separate in-memory fits of each fold's training rows
/// (the library's <see cref="RandomFeatureRidge"/>, an independent path: its own loader, blocks and solve), and they
/// are bitwise the same in-process with any parallelism and in local mode.
/// </summary>
public sealed class PartitionedCrossValidationTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static SubmitPartitionedCrossValidation Submission(string train, FitSettings settings, int folds, ulong cvSeed, string[] kernels,
        double[] lambdas, double? testFraction = null)
    {
        var data = PartitionedDataset.Resolve(train);
        var columns = PartitionColumns.ForTraining(data, null, null);
        return new SubmitPartitionedCrossValidation(train, data.Partitions, columns, testFraction is double f ? new RowSplit(3, f, false) : null,
            new RowFolds(cvSeed, folds), kernels, lambdas, settings);
    }

    internal static Task<PartitionedCrossValidationOutcome> InProcessAsync(SubmitPartitionedCrossValidation s, int parallelism = 2) =>
        new PartitionedCrossValidator(new InProcessBlockRounds(parallelism))
            .RunAsync("cv-lib", s.TrainSource, s.Train, s.Columns, s.Split, s.Folds, s.KernelSpecs, s.Lambdas, s.Settings);

    internal static void AssertSameScores(PartitionedCrossValidationOutcome expected, PartitionedCrossValidationOutcome actual)
    {
        Assert.Equal(expected.FoldRows, actual.FoldRows);
        Assert.Equal(expected.Scores.Length, actual.Scores.Length);
        for (int g = 0; g < expected.Scores.Length; g++)
            Assert.Equal(expected.Scores[g].Select(BitConverter.DoubleToInt64Bits), actual.Scores[g].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Every_fold_MSE_is_that_of_an_in_memory_fit_of_the_folds_training_rows()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 30, 400, 250, 550);
        double[] lambdas = [0.01, 0.1, 1];
        string[] kernels = ["rbf:gamma=0.5", "laplace:gamma=0.3"];
        var settings = new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 40, Seed = 6 }; // no preprocessing: the identity
        var outcome = await InProcessAsync(Submission(train, settings, folds: 3, cvSeed: 11, kernels, lambdas));

        // The rows in dataset order, and each one's fold by its global index.
        var rows = Enumerable.Range(0, 3).SelectMany(i => TestData.Parse(Path.Combine(train, $"part-{i:D5}.csv")).Rows).ToArray();
        Assert.Equal(1200, rows.Length);
        int[] fold = Enumerable.Range(0, rows.Length).Select(r => RowHash.Fold(11, r, 3)).ToArray();
        Assert.Equal(Enumerable.Range(0, 3).Select(f => (long)fold.Count(x => x == f)), outcome.FoldRows);
        Assert.All(outcome.FoldRows, n => Assert.InRange(n, 330, 470)); // multinomial around 400

        static double[,] X(double[][] rows) => Matrix(rows.Length, 3, (i, j) => rows[i][j]);
        static double[,] Matrix(int n, int d, Func<int, int, double> at)
        {
            var m = new double[n, d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) m[i, j] = at(i, j);
            return m;
        }
        for (int k = 0; k < kernels.Length; k++)
        {
            for (int l = 0; l < lambdas.Length; l++)
            {
                for (int f = 0; f < 3; f++)
                {
                    var fit = rows.Where((_, r) => fold[r] != f).ToArray();
                    var held = rows.Where((_, r) => fold[r] == f).ToArray();
                    var model = new RandomFeatureRidge(Kernel.Parse(kernels[k]), lambdas[l], 40) { Seed = 6 }
                        .Fit(X(fit), fit.Select(r => r[3]).ToArray());
                    Assert.Equal(RidgeFormulation.Primal, model.Formulation);
                    double[] predicted = model.Predict(X(held));
                    double mse = held.Select((r, i) => (r[3] - predicted[i]) * (r[3] - predicted[i])).Sum() / held.Length;
                    double score = outcome.Scores[k * lambdas.Length + l][f];
                    Assert.True(Math.Abs(score - mse) <= 1e-9 * mse, $"{kernels[k]}, λ {lambdas[l]}, fold {f}: {score} vs in-memory {mse}");
                }
            }
        }
        // Not vacuous: λ changes the scores.
        Assert.NotEqual(outcome.Scores[0][0], outcome.Scores[2][0]);
    }

    [Fact]
    public async Task The_scores_are_bitwise_the_same_in_process_with_1_and_3_threads_and_in_local_mode()
    {
        string train = PartitionedFitTests.Parts(_dir, "train", seed: 50, 1300, 700, 2100);
        var settings = new FitSettings { KernelSpec = "ntk", Lambda = 1, Features = 60, Seed = 4, Standardize = true, ScaleTarget = true, Normalize = true };
        var submission = Submission(train, settings, folds: 4, cvSeed: 2, ["rbf:gamma=0.5", "ntk"], [1e-3, 0.05, 1], testFraction: 0.2);

        var library = await InProcessAsync(submission, parallelism: 3);
        AssertSameScores(library, await InProcessAsync(submission, parallelism: 1));
        foreach (int threads in new[] { 1, 3 })
        {
            await using var cluster = await LocalCluster.StartAsync(threads);
            AssertSameScores(library, await cluster.RunAsync<PartitionedCrossValidationOutcome>(submission));
        }
        // The split's held-out rows are never cross-validated.
        long kept = Enumerable.Range(0, 4100).LongCount(r => !RowHash.IsTest(3, r, 0.2));
        Assert.Equal(kept, library.Rows);
    }
}

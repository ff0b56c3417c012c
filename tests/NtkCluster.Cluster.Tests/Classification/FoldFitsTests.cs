using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Numerics.Data;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Validation;
using Xunit;

namespace NtkCluster.Cluster.Tests.Classification;

/// <summary>Cross-validation's shared-kernel job gives, for every λ, the predictions of an ordinary exact fit with that λ.</summary>
public sealed class FoldFitsTests : IDisposable
{
    private readonly CliTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task One_kernel_matrix_for_several_lambdas_predicts_as_separate_fits_do()
    {
        var data = Dataset.FromTable(CsvTable.Read(_dir.Write("d.csv", TestData.Csv(70, seed: 4, twoTargets: true))), ["y1", "y2"]);
        var train = data.Subset(Enumerable.Range(0, 50).ToArray());
        var held = data.Subset(Enumerable.Range(50, 20).ToArray());
        var settings = new FitSettings { KernelSpec = "laplace:gamma=0.3", Lambda = 1, Exact = true, Standardize = true, Normalize = true };
        double[] lambdas = [1e-3, 0.1, 5];
        await using var cluster = await LocalCluster.StartAsync(2);
        var shared = await cluster.RunAsync<FoldPredictions>(new SubmitFoldFits(train, held, settings, lambdas));
        Assert.Equal(lambdas.Length, shared.Held.Length);
        for (int l = 0; l < lambdas.Length; l++)
        {
            var separate = (await cluster.RunAsync<FitOutcome>(new SubmitFit(train, held, settings with { Lambda = lambdas[l] }))).TestPredictions!;
            Assert.Equal(held.Rows, shared.Held[l].RowCount);
            Assert.Equal(2, shared.Held[l].ColumnCount);
            double diff = (shared.Held[l] - separate).FrobeniusNorm() / separate.FrobeniusNorm();
            Assert.True(diff < 1e-12, $"lambda {lambdas[l]}: relative difference {diff:E2}");
        }
        // Different λ give different predictions: the columns are not one λ's repeated.
        Assert.True((shared.Held[0] - shared.Held[2]).FrobeniusNorm() > 1e-3 * shared.Held[2].FrobeniusNorm());
    }
}

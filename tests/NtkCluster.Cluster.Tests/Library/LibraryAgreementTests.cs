using System.Globalization;
using NtkCluster.Cluster.Tests.Cli;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Jobs;
using Xunit;

namespace NtkCluster.Cluster.Tests.Library;

/// <summary>
/// The public estimators (in-process, no actor system) against local mode (a one-node cluster of sharded entities,
/// what the <c>ntk</c> command line runs): the same job code through the two implementations of the execution seam
/// must give bitwise the same model files, and a model saved from C# must give <c>ntk predict</c> bitwise the
/// library's predictions.
/// </summary>
public sealed class LibraryAgreementTests
{
    private static readonly Dataset Data = TestData.Regression(300, 4, seed: 11);

    private static double[,] X(Dataset data) => data.X.ToArray();

    private static double[] Y(Dataset data) => data.Y.Column(0).ToArray();

    /// <summary>The bytes a model-file writer writes (through a temporary file).</summary>
    internal static byte[] Bytes(Action<string> save)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ntk-agree-{Guid.NewGuid():N}.json");
        try
        {
            save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string> Fits => ["exact", "plain", "leverage", "dual"];

    [Theory]
    [MemberData(nameof(Fits))]
    public async Task Ridge_estimators_give_local_modes_model_file_bitwise(string fit)
    {
        var preprocessing = new Preprocessing { Standardize = true, ScaleTarget = true };
        RidgeEstimator estimator = fit switch
        {
            "exact" => new KernelRidge(Kernel.Rbf(0.3), 0.05) { Preprocessing = preprocessing },
            "plain" => new RandomFeatureRidge(Kernel.Rbf(0.3), 0.05, 120) { Seed = 4, Preprocessing = preprocessing },
            // M·d2 = 1200 > n = 300: the dual form (ΨΨᵀ, projections).
            "dual" => new RandomFeatureRidge(Kernel.Ntk(), 0.05, 300) { Seed = 4, Preprocessing = preprocessing },
            _ => new RandomFeatureRidge(Kernel.Laplace(0.2), 0.05, 80) { Seed = 4, Sampling = FeatureSampling.Leverage, PoolSize = 3000, Preprocessing = preprocessing },
        };
        var library = estimator.Fit(X(Data), Y(Data));

        var settings = new FitSettings
        {
            KernelSpec = fit switch { "exact" or "plain" => "rbf:gamma=0.3", "dual" => "ntk", _ => "laplace:gamma=0.2" }, Lambda = 0.05,
            Exact = fit == "exact", Features = fit switch { "plain" => 120, "dual" => 300, "leverage" => 80, _ => 0 }, Seed = fit == "exact" ? 0UL : 4UL,
            Sampling = fit == "leverage" ? FeatureSampling.Leverage : FeatureSampling.Plain, PoolSize = fit == "leverage" ? 3000 : 0, Standardize = true, ScaleTarget = true,
        };
        await using var local = await LocalCluster.StartAsync(2);
        var outcome = await local.RunAsync<FitOutcome>(new SubmitFit(Data, null, settings));

        Assert.Equal(Bytes(path => ModelFile.Save(outcome.Model, path)), Bytes(library.Save));
        Assert.Equal(outcome.TrainMse, library.TrainMse);
    }

    [Fact]
    public async Task The_network_estimator_gives_local_modes_trajectory_and_model_bitwise()
    {
        var library = new TwoLayerNetwork(width: 300, lambda: 0.01)
        {
            Steps = 40, Seed = 2, Initialization = NetworkInitialization.Leverage, PoolSize = 2000,
            Preprocessing = new Preprocessing { Standardize = true, Normalize = true },
        }.Fit(X(Data), Y(Data));

        var settings = new NetworkSettings
        {
            Width = 300, Lambda = 0.01, Steps = 40, Seed = 2, Init = NetworkInitialization.Leverage, PoolSize = 2000, Standardize = true, Normalize = true,
        };
        await using var local = await LocalCluster.StartAsync(2);
        var outcome = await local.RunAsync<NetworkOutcome>(new SubmitTrainNetwork(Data, null, settings));

        Assert.Equal(Bytes(path => ModelFile.Save(outcome.Model, path)), Bytes(library.Save));
        Assert.Equal(outcome.Trajectory, library.Training!.Trajectory);
        Assert.Equal(outcome.TrainGap, library.Training.TrainGap);
    }

    [Fact]
    public async Task A_model_saved_from_CSharp_gives_ntk_predict_the_librarys_predictions_bitwise()
    {
        using var dir = new CliTempDirectory();
        var model = new RandomFeatureRidge(Kernel.Rbf(0.3), 0.05, 200) { Seed = 9, Preprocessing = new Preprocessing { Standardize = true } }
            .Fit(X(Data), Y(Data));
        string modelPath = dir.PathOf("model.json");
        model.Save(modelPath);

        var test = TestData.Regression(50, 4, seed: 12);
        var lines = new List<string> { "x1,x2,x3,x4" };
        for (int i = 0; i < test.Rows; i++)
            lines.Add(string.Join(",", Enumerable.Range(0, 4).Select(j => test.X[i, j].ToString("R", CultureInfo.InvariantCulture))));
        string data = dir.Write("test.csv", string.Join("\n", lines) + "\n");
        var run = await Ntk.RunAsync("predict", "--model", modelPath, "--data", data, "--out", dir.PathOf("p.csv"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var fromCli = File.ReadAllLines(dir.PathOf("p.csv")).Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(model.Predict(X(test)), fromCli);
    }
}

using System.Reflection;
using Xunit;

namespace NtkCluster.Library.Tests;

/// <summary>Models saved and loaded, classification, networks, and the in-process execution without an actor system.</summary>
public sealed class ModelAndNetworkTests
{
    [Fact]
    public void Save_then_Load_gives_bitwise_the_same_predictions()
    {
        var (x, y, names) = Fixtures.Table("letters-train.csv");
        var (xTest, _, _) = Fixtures.Table("letters-test.csv");
        var model = new RandomFeatureRidge(Kernel.Laplace(0.05), 0.5, 500) { Seed = 2, FeatureNames = names }.Fit(x, Fixtures.Column(y, 0));
        string path = Path.Combine(Path.GetTempPath(), $"ntk-lib-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            var loaded = Assert.IsType<RidgeModel>(Model.Load(path));
            Assert.Equal(model.Predict(xTest), loaded.Predict(xTest));
            Assert.Equal(names, loaded.FeatureNames);
            Assert.Equal("laplace:gamma=0.05", loaded.Kernel.Spec);
            Assert.Null(loaded.TrainMse);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_classifier_predicts_the_arg_max_of_its_scores()
    {
        // Three well-separated blobs in 2-d, labelled 10, 20, 30.
        var random = new Random(5);
        int n = 150;
        var x = new double[n, 2];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 3;
            labels[i] = 10 * (c + 1);
            x[i, 0] = 4 * c + random.NextDouble();
            x[i, 1] = (c == 1 ? 3 : 0) + random.NextDouble();
        }
        var model = new KernelRidge(Kernel.Rbf(0.5), 0.1).Fit(x, labels);
        Assert.Equal([10L, 20L, 30L], model.Classes);
        var predicted = model.Predict(x);
        var scores = model.Scores(x);
        for (int i = 0; i < n; i++)
        {
            int best = Enumerable.Range(0, 3).MaxBy(j => scores[i, j]);
            Assert.Equal(model.Classes[best], predicted[i]);
        }
        Assert.True(predicted.Zip(labels).Count(p => p.First == p.Second) >= 0.95 * n);
        Assert.Throws<ArgumentException>(() => new KernelRidge(Kernel.Rbf(0.5), 0.1).Fit(x, Enumerable.Repeat(1L, n).ToArray()));
    }

    [Fact]
    public void A_network_trains_towards_NTK_ridge_regression_whatever_the_parallelism()
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        var target = Fixtures.Column(y, 0);
        TwoLayerNetworkModel Train(int parallelism) => new TwoLayerNetwork(width: 512, lambda: 1e-3)
        {
            Steps = 200, Seed = 0, Executor = new InProcessExecutor(parallelism),
            Preprocessing = new Preprocessing { Standardize = true, ScaleTarget = true, Normalize = true },
        }.Fit(x, target);

        var one = Train(1);
        var two = Train(2);
        var training = Assert.IsType<NtkCluster.Networks.NetworkOutcome>(one.Training);
        Assert.Equal(one.Predict(x), two.Predict(x));
        Assert.Equal(training.Trajectory.Select(p => p.Loss), two.Training!.Trajectory.Select(p => p.Loss));
        // Gradient descent lowers the regularized loss, and the network ends near NTK ridge regression's fit.
        Assert.True(training.Trajectory[^1].Loss < training.Trajectory[0].Loss);
        Assert.NotNull(training.TrainGap);
        Assert.InRange(training.TrainGap!.Value, 0, 0.5);
        Assert.Equal(200, one.Network.Steps);
    }

    [Fact]
    public void Fits_run_in_process_without_an_actor_system()
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 100) { Sampling = FeatureSampling.Leverage }.Fit(x, Fixtures.Column(y, 0));
        var akka = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").Where(n => n.StartsWith("Akka", StringComparison.Ordinal)).ToArray();
        Assert.Empty(akka);
        Assert.DoesNotContain(typeof(KernelRidge).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Akka", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(NtkCluster.Numerics.Execution.IBlockRounds).Assembly.GetReferencedAssemblies(),
            (AssemblyName a) => a.Name!.StartsWith("Akka", StringComparison.Ordinal));
    }
}

using NtkCluster.Numerics.Execution;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Library.Tests;

/// <summary>The public random-feature estimator: its Monte-Carlo limit, determinism, leverage sampling and diagnostics.</summary>
public sealed class RandomFeatureRidgeTests(ITestOutputHelper output)
{
    [Fact]
    public void Many_features_approach_exact_kernel_ridge_regression()
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        var (xTest, _, _) = Fixtures.Table("letters-test.csv");
        var target = Fixtures.Column(y, 0);
        var exact = new KernelRidge(Kernel.Rbf(0.02), 0.5).Fit(x, target).Predict(xTest);

        // ΨΨᵀ → K as M grows (error ∝ 1/√M): the gap to exact KRR must shrink, and be small at M = 4000.
        double Gap(int m) => Fixtures.RelativeMaxError(
            new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, m) { Seed = 3 }.Fit(x, target).Predict(xTest), exact);
        double small = Gap(100), large = Gap(4000);
        output.WriteLine($"relative max gap to exact KRR: M=100 {small:G3}, M=4000 {large:G3}");
        Assert.True(large < small / 3, $"M=4000 gap {large:G3} is not well below M=100 gap {small:G3}");
        Assert.True(large < 0.2, $"M=4000 gap {large:G3}"); // measured 0.103 (seed 3): error ∝ 1/√M from 0.54 at M = 100
    }

    [Theory]
    [InlineData(FeatureSampling.Plain)]
    [InlineData(FeatureSampling.Leverage)]
    public void The_same_seed_gives_bitwise_the_same_model_for_any_parallelism(FeatureSampling sampling)
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        var target = Fixtures.Column(y, 0);
        RidgeModel Fit(int parallelism) => new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 150)
        {
            Sampling = sampling, Seed = 7, PoolSize = 2000, Executor = new InProcessExecutor(parallelism),
            Preprocessing = new Preprocessing { Standardize = true, ScaleTarget = true },
        }.Fit(x, target);

        var one = Fit(1);
        var three = Fit(3);
        Assert.Equal(ModelBytes(one), ModelBytes(three));
        Assert.Equal(150, one.Features);
        Assert.Equal(sampling == FeatureSampling.Leverage ? "leverage" : "plain", one.Ridge.Sampling);
        Assert.NotEqual(ModelBytes(one), ModelBytes(new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 150)
        {
            Sampling = sampling, Seed = 8, PoolSize = 2000,
            Preprocessing = new Preprocessing { Standardize = true, ScaleTarget = true }
        }.Fit(x, target)));
    }

    [Fact]
    public void Diagnose_reports_epsilon_and_s_lambda_and_leverage_sampling_lowers_epsilon()
    {
        var (x, _, _) = Fixtures.Table("letters-train.csv");
        var plain = new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 200) { Seed = 1 }.Diagnose(x);
        var leverage = new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 200) { Seed = 1, Sampling = FeatureSampling.Leverage }.Diagnose(x);
        output.WriteLine($"ε plain {plain.Epsilon:G4}, leverage {leverage.Epsilon:G4}; s_λ {plain.SLambda:G4}; M bound {plain.MBound:G4}");
        Assert.True(plain.EpsilonIsExact);
        Assert.True(plain.SLambdaIsExact);
        Assert.Equal(plain.SLambda, leverage.SLambda, 9);
        Assert.InRange(plain.SLambda, 1, 400); // s_λ = tr K(K+λI)⁻¹ ≤ n
        Assert.True(plain.Epsilon > 0);
        Assert.True(leverage.Epsilon < plain.Epsilon, $"leverage ε {leverage.Epsilon:G4} ≥ plain ε {plain.Epsilon:G4}");
    }

    [Fact]
    public async Task FitAsync_reports_progress_and_stops_when_cancelled()
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        var updates = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(updates.Add);
        var model = await new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 300).FitAsync(x, Fixtures.Column(y, 0), progress);
        Assert.Contains(updates, u => u.Stage == "Gram blocks" && u.IsComplete);
        Assert.NotNull(model.TrainMse);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new RandomFeatureRidge(Kernel.Rbf(0.02), 0.5, 300).FitAsync(x, Fixtures.Column(y, 0), null, cancelled.Token));
    }

    private static byte[] ModelBytes(Model model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ntk-lib-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        private readonly object _gate = new();

        public void Report(ProgressUpdate value)
        {
            lock (_gate) report(value);
        }
    }
}

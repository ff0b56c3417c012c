using NtkCluster.Fit;
using NtkCluster.Spectral;

namespace NtkCluster;

/// <summary>
/// Ridge regression on M random features of a kernel (§3.1): plain draws w ∼ p (random Fourier features) or, with
/// <see cref="FeatureSampling.Leverage"/>, draws from the ridge leverage distribution q_λ (Def 3.1, 3.2), which needs
/// far fewer features for the same spectral approximation ε (Theorem 3.3). Draws derive from the seed alone, so the
/// same seed gives the same model in any process and on any cluster.
/// </summary>
/// <example><code>
/// var model = new RandomFeatureRidge(Kernel.Rbf(gamma: 0.02), lambda: 0.5, features: 4000)
///     { Sampling = FeatureSampling.Leverage, Seed = 1 }.Fit(x, y);
/// </code></example>
public sealed class RandomFeatureRidge : RidgeEstimator
{
    public RandomFeatureRidge(Kernel kernel, double lambda, int features) : base(kernel, lambda)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "the number of features must be positive");
        Features = features;
    }

    /// <summary>M, the number of feature draws (each gives 2 columns for rbf and laplace, d for ntk).</summary>
    public int Features { get; }

    public FeatureSampling Sampling { get; init; } = FeatureSampling.Plain;

    public ulong Seed { get; init; }

    /// <summary>Leverage sampling: how the candidates' scores are computed.</summary>
    public LeverageScoring Scoring { get; init; } = LeverageScoring.Auto;

    /// <summary>Leverage sampling: candidates drawn from p and scored; null for max(20M, 10 000).</summary>
    public int? PoolSize { get; init; }

    private protected override FitSettings Settings() => BaseSettings() with
    {
        Features = Features,
        Seed = Seed,
        PoolSize = PoolSize ?? 0,
        Sampling = Sampling,
        LeverageMode = Scoring,
    };

    /// <summary>
    /// How well this estimator's features approximate the kernel on rows x (what <c>ntk spectral</c> reports): ε of
    /// eq. 2, the statistical dimension s_λ, and Theorem 3.3's feature count for <paramref name="epsilon"/> and
    /// <paramref name="delta"/>. ε is exact up to <paramref name="exactRows"/> rows, a lower bound on a seeded subsample
    /// beyond.
    /// </summary>
    public SpectralOutcome Diagnose(double[,] x, double epsilon = 0.25, double delta = 0.1, int exactRows = 3000) =>
        Run(cancel => DiagnoseAsync(x, epsilon, delta, exactRows, null, cancel));

    public Task<SpectralOutcome> DiagnoseAsync(double[,] x, double epsilon = 0.25, double delta = 0.1, int exactRows = 3000,
        IProgress<Numerics.Execution.ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive");
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be between 0 and 1");
        var rows = TableData.Matrix(x, nameof(x));
        var train = TableData.Dataset(rows, MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows.RowCount, 1), FeatureNames, null);
        return Executor.AnalyzeSpectrumAsync(train, Settings() with { ScaleTarget = false }, epsilon, delta, exactRows, progress, cancel);
    }
}

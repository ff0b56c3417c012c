using NtkCluster.Networks;
using NtkCluster.Numerics.Execution;

namespace NtkCluster;

/// <summary>
/// An ℓ2-regularized two-layer ReLU network of width m (Def 3.5; Def 3.8 with leverage initialization), trained by
/// full-batch gradient descent on ½‖y − κf(W, X)‖² + ½λ‖W‖² with the output layer fixed, and measured against NTK
/// ridge regression u* = κ²H(κ²H + λI)⁻¹y (Theorems 3.6, 3.7, 3.9): what <c>ntk train-nn</c> trains.
/// </summary>
/// <example><code>var net = new TwoLayerNetwork(width: 512, lambda: 1e-3) { Steps = 200, Seed = 0 }.Fit(x, y);</code></example>
public sealed class TwoLayerNetwork
{
    public TwoLayerNetwork(int width, double lambda)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be a positive number of neurons");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a positive finite number");
        Width = width;
        Lambda = lambda;
    }

    /// <summary>m, the hidden neurons.</summary>
    public int Width { get; }

    public double Lambda { get; }

    /// <summary>T, the gradient-descent steps; null chooses the fewest with η·T·(κ²λ_min(H)+λ) ≥ 5 (converged), at most <see cref="MaxSteps"/>.</summary>
    public int? Steps { get; init; }

    /// <summary>The cap of the automatic step count.</summary>
    public int MaxSteps { get; init; } = 20_000;

    /// <summary>κ, the output scale.</summary>
    public double Kappa { get; init; } = 1.0;

    /// <summary>η; null chooses 1/(κ²·λ_max(H(0)) + λ).</summary>
    public double? LearningRate { get; init; }

    public NetworkInitialization Initialization { get; init; } = NetworkInitialization.Gaussian;

    public ulong Seed { get; init; }

    /// <summary>Leverage initialization: how leverage scores are computed, and the candidate pool (null: default).</summary>
    public LeverageScoring Scoring { get; init; } = LeverageScoring.Auto;

    public int? PoolSize { get; init; }

    /// <summary>The NTK theory's setting is unit-length rows: <see cref="Preprocessing.Normalize"/>.</summary>
    public Preprocessing Preprocessing { get; init; } = Preprocessing.None;

    /// <summary>Compute NTK ridge regression u* on the training rows (n×n work) and report the network's gap to it.</summary>
    public bool CompareWithNtk { get; init; } = true;

    /// <summary>Names of the feature columns, recorded in the model (default x1…xd).</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    public string TargetName { get; init; } = "y";

    /// <summary>Where training runs: in this process by default, or on a cluster through a connection to its coordinator.
    /// The trajectory does not depend on it.</summary>
    public IJobExecutor Executor { get; init; } = InProcessExecutor.Default;

    public TwoLayerNetworkModel Fit(double[,] x, double[] y) => InProcess.Run(cancel => FitAsync(x, y, null, null, null, cancel));

    /// <summary>Trains on (x, y) and also measures the test error and the test gap to NTK ridge regression on (xTest, yTest).</summary>
    public TwoLayerNetworkModel Fit(double[,] x, double[] y, double[,] xTest, double[] yTest) =>
        InProcess.Run(cancel => FitAsync(x, y, xTest, yTest, null, cancel));

    public async Task<TwoLayerNetworkModel> FitAsync(double[,] x, double[] y, double[,]? xTest = null, double[]? yTest = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var train = TableData.Dataset(TableData.Matrix(x, nameof(x)), TableData.Column(y, nameof(y)), FeatureNames, [TargetName]);
        var test = xTest is null ? null
            : TableData.Dataset(TableData.Matrix(xTest, nameof(xTest)),
                TableData.Column(yTest ?? throw new ArgumentNullException(nameof(yTest), "test rows need their targets"), nameof(yTest)),
                train.FeatureNames, [TargetName]);
        var settings = new NetworkSettings
        {
            Width = Width, Lambda = Lambda, Kappa = Kappa, LearningRate = LearningRate, Seed = Seed,
            Steps = Steps ?? MaxSteps, AutoSteps = Steps is null, Reference = CompareWithNtk,
            Init = Initialization,
            LeverageMode = Scoring,
            PoolSize = PoolSize ?? 0,
            Standardize = Preprocessing.Standardize, ScaleTarget = Preprocessing.ScaleTarget, Normalize = Preprocessing.Normalize,
        };
        var outcome = await Executor.TrainNetworkAsync(train, test, settings, progress, cancel).ConfigureAwait(false);
        return new TwoLayerNetworkModel(outcome.Model, outcome);
    }
}

using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;

namespace NtkCluster;

/// <summary>
/// What <see cref="KernelRidge"/> and <see cref="RandomFeatureRidge"/> share: the kernel, λ, preprocessing and column
/// names, and the fits — regression with one or several targets, and one-vs-rest classification. A fit runs in this
/// process (no actor system) through the same job code the <c>ntk</c> command line and a cluster run, so the model
/// is bitwise the one <c>ntk fit</c> writes for the same rows and settings.
/// </summary>
public abstract class RidgeEstimator
{
    private protected RidgeEstimator(Kernel kernel, double lambda)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a positive finite number");
        Kernel = kernel;
        Lambda = lambda;
    }

    public Kernel Kernel { get; }

    /// <summary>λ, the ridge: the fit minimizes ‖y − f‖² + λ‖f‖² in the kernel's norm.</summary>
    public double Lambda { get; }

    public Preprocessing Preprocessing { get; init; } = Preprocessing.None;

    /// <summary>Names of the feature columns, recorded in the model (default x1…xd): <c>ntk predict</c> looks columns up by them.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Names of the target columns (default y, or y1…yt).</summary>
    public IReadOnlyList<string>? TargetNames { get; init; }

    /// <summary>Where the fit runs: in this process by default, or on a cluster through a connection to its coordinator.
    /// The model does not depend on it.</summary>
    public IJobExecutor Executor { get; init; } = InProcessExecutor.Default;

    /// <summary>The settings of this estimator as a job takes them.</summary>
    private protected abstract FitSettings Settings();

    /// <summary>Fits one target: x is n×d, y has n values.</summary>
    public RidgeModel Fit(double[,] x, double[] y) => Run(cancel => FitAsync(x, y, null, cancel));

    /// <summary>Fits several targets at once (one solve, one column of coefficients per target): y is n×t.</summary>
    public RidgeModel Fit(double[,] x, double[,] y) => Run(cancel => FitAsync(x, y, null, cancel));

    /// <summary>Fits a one-vs-rest classifier on integer class labels (at least two classes).</summary>
    public RidgeClassifierModel Fit(double[,] x, long[] labels) => Run(cancel => FitAsync(x, labels, null, cancel));

    public Task<RidgeModel> FitAsync(double[,] x, double[] y, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default) =>
        FitRegressionAsync(TableData.Matrix(x, nameof(x)), TableData.Column(y, nameof(y)), progress, cancel);

    public Task<RidgeModel> FitAsync(double[,] x, double[,] y, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default) =>
        FitRegressionAsync(TableData.Matrix(x, nameof(x)), TableData.Matrix(y, nameof(y)), progress, cancel);

    public async Task<RidgeClassifierModel> FitAsync(double[,] x, long[] labels, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var column = Matrix<double>.Build.Dense(labels.Length, 1, (i, _) => labels[i]);
        string name = TargetNames is [var single] ? single : "class";
        var classes = ClassLabels.FromTraining(name, column);
        if (classes.Count < 2) throw new ArgumentException($"the labels hold only one class ({classes.Labels[0]}): nothing to classify", nameof(labels));
        var train = TableData.Dataset(TableData.Matrix(x, nameof(x)), classes.Encode(column), FeatureNames, classes.ScoreNames());
        var outcome = await Executor.FitAsync(train, Settings(), progress, cancel).ConfigureAwait(false);
        return new RidgeClassifierModel(outcome.Model.AsClassifier(classes));
    }

    private async Task<RidgeModel> FitRegressionAsync(Matrix<double> x, Matrix<double> y, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
    {
        var train = TableData.Dataset(x, y, FeatureNames, TargetNames);
        var outcome = await Executor.FitAsync(train, Settings(), progress, cancel).ConfigureAwait(false);
        return new RidgeModel(outcome.Model, outcome.TrainMse, outcome.Seconds);
    }

    private protected FitSettings BaseSettings() => new()
    {
        KernelSpec = Kernel.Spec, Lambda = Lambda,
        Standardize = Preprocessing.Standardize, ScaleTarget = Preprocessing.ScaleTarget, Normalize = Preprocessing.Normalize,
    };

    private protected static T Run<T>(Func<CancellationToken, Task<T>> fit) => InProcess.Run(fit);
}

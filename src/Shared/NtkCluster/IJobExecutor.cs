using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Spectral;

namespace NtkCluster;

/// <summary>
/// Where the estimators' jobs run: in this process (<see cref="InProcessExecutor"/>, the default) or on a running
/// cluster, through a connection to its coordinator. Either way the job is the same code (the library's
/// <see cref="KrrFitter"/>, <see cref="NetworkTrainer"/>, …) over the same blocks, so the model is bitwise the same.
/// </summary>
public interface IJobExecutor
{
    /// <summary>A ridge fit and its training error (no test set: the estimators measure nothing they were not given).</summary>
    Task<FitOutcome> FitAsync(Dataset train, FitSettings settings, IProgress<ProgressUpdate>? progress, CancellationToken cancel);

    /// <summary>A network trained by gradient descent, measured against NTK ridge regression.</summary>
    Task<NetworkOutcome> TrainNetworkAsync(Dataset train, Dataset? test, NetworkSettings settings, IProgress<ProgressUpdate>? progress,
        CancellationToken cancel);

    /// <summary>The spectral report of one feature draw (ε, s_λ, Theorem 3.3's bound).</summary>
    Task<SpectralOutcome> AnalyzeSpectrumAsync(Dataset train, FitSettings settings, double epsilon, double delta, int exactRowLimit,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel);

    /// <summary>A model's predictions for raw rows, in the target's own units.</summary>
    Task<Matrix<double>> PredictAsync(IPredictiveModel model, Matrix<double> x, IProgress<ProgressUpdate>? progress, CancellationToken cancel);
}

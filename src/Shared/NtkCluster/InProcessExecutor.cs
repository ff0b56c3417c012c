using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Spectral;

namespace NtkCluster;

/// <summary>
/// Runs the estimators' jobs in this process, on the thread pool, with no actor system
/// (<see cref="InProcessBlockRounds"/>): the default.
/// </summary>
/// <param name="parallelism">Blocks computed at once; null for one per processor. Results do not depend on it.</param>
public sealed class InProcessExecutor(int? parallelism = null) : IJobExecutor
{
    /// <summary>One block per processor at once.</summary>
    public static InProcessExecutor Default { get; } = new();

    public int? Parallelism { get; } = parallelism is < 1
        ? throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "at least one block at a time")
        : parallelism;

    public Task<FitOutcome> FitAsync(Dataset train, FitSettings settings, IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        new KrrFitter(Rounds(progress, cancel)).FitEvaluatedAsync("fit", train, null, settings);

    public Task<NetworkOutcome> TrainNetworkAsync(Dataset train, Dataset? test, NetworkSettings settings, IProgress<ProgressUpdate>? progress,
        CancellationToken cancel) =>
        new NetworkTrainer(Rounds(progress, cancel)).TrainAsync("nn", train, test, settings);

    public Task<SpectralOutcome> AnalyzeSpectrumAsync(Dataset train, FitSettings settings, double epsilon, double delta, int exactRowLimit,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        new SpectralAnalyzer(Rounds(progress, cancel)).AnalyzeAsync("spectral", train, settings, epsilon, delta, exactRowLimit);

    public Task<Matrix<double>> PredictAsync(IPredictiveModel model, Matrix<double> x, IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        new ModelPredictor(Rounds(progress, cancel)).PredictAsync("predict", model, x);

    private InProcessBlockRounds Rounds(IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        new(Parallelism, progress is null ? null : progress.Report, cancel);
}

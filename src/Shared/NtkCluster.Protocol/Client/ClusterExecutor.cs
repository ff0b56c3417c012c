using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// Runs the library's estimators on a running cluster: a connection to an <c>ntk coordinator</c>, given to an estimator
/// as its <c>Executor</c>. The estimator's job goes to the coordinator with its data, as <c>ntk … --cluster</c> sends it,
/// and the coordinator runs the library's own job code on the workers: the model is bitwise the in-process one.
/// </summary>
/// <example><code>
/// await using var cluster = await ClusterExecutor.ConnectAsync("10.0.0.5:4053");
/// var model = new RandomFeatureRidge(Kernel.Rbf(0.5), 1e-2, features: 2048) { Executor = cluster }.Fit(x, y);
/// </code></example>
/// <remarks>
/// One job runs at a time per connection; its progress goes to the <see cref="IProgress{T}"/> given with it. Cancelling
/// stops waiting for a job that was sent; the coordinator runs it to its end.
/// </remarks>
public sealed class ClusterExecutor : IJobExecutor, IAsyncDisposable
{
    private readonly SemaphoreSlim _oneJob = new(1, 1);
    private RemoteCluster _cluster = null!;
    private IProgress<ProgressUpdate>? _progress;

    private ClusterExecutor() { }

    /// <summary>The coordinator this connection talks to.</summary>
    public ClusterAddress Address => _cluster.Address;

    /// <summary>Connects to the coordinator at <paramref name="address"/> (<c>host:port</c>, what <c>--cluster</c> takes).</summary>
    /// <param name="tlsCertificate">The cluster's PKCS#12 certificate when it runs with TLS (password in NTK_TLS_PASSWORD); null for plain TCP.</param>
    /// <param name="window">Blocks in flight per round; 0 lets the coordinator size it to the workers Up. Results do not depend on it.</param>
    /// <exception cref="JobFailedException">No coordinator answers there.</exception>
    public static async Task<ClusterExecutor> ConnectAsync(string address, string? tlsCertificate = null, int window = 0)
    {
        var executor = new ClusterExecutor();
        executor._cluster = await RemoteCluster.ConnectAsync(ClusterAddress.Parse(address, "the cluster address"), TransportTls.Resolve(tlsCertificate),
            update => executor._progress?.Report(update), window).ConfigureAwait(false);
        return executor;
    }

    public Task<FitOutcome> FitAsync(Dataset train, FitSettings settings, IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        RunAsync<FitOutcome>(new SubmitFit(train, null, settings), progress, cancel);

    public Task<NetworkOutcome> TrainNetworkAsync(Dataset train, Dataset? test, NetworkSettings settings, IProgress<ProgressUpdate>? progress,
        CancellationToken cancel) =>
        RunAsync<NetworkOutcome>(new SubmitTrainNetwork(train, test, settings), progress, cancel);

    public Task<SpectralOutcome> AnalyzeSpectrumAsync(Dataset train, FitSettings settings, double epsilon, double delta, int exactRowLimit,
        IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        RunAsync<SpectralOutcome>(new SubmitSpectral(train, settings, epsilon, delta, exactRowLimit), progress, cancel);

    public Task<Matrix<double>> PredictAsync(IPredictiveModel model, Matrix<double> x, IProgress<ProgressUpdate>? progress, CancellationToken cancel) =>
        RunAsync<Matrix<double>>(new SubmitPredict(model, x), progress, cancel);

    private async Task<T> RunAsync<T>(object submission, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
    {
        await _oneJob.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            _progress = progress;
            return await _cluster.RunAsync<T>(submission).WaitAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            _progress = null;
            _oneJob.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync().ConfigureAwait(false);
        _oneJob.Dispose();
    }
}

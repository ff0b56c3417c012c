using NtkCluster.Fit;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Jobs;

namespace NtkCluster.Coordinator.Hosting;

/// <summary>
/// Local mode of <c>ntk fit</c> without an actor system: in-memory and streamed fits (and the predictions a classifier's
/// scores need) run on <see cref="InProcessBlockRounds"/> — the library's own executor — and any other job goes to a
/// <see cref="LocalCluster"/> started the first time one is submitted.
/// </summary>
/// <remarks>
/// Why: a one-node Akka cluster (remoting with an ephemeral TLS certificate, cluster join, sharding) took about a fifth
/// of a 150 000-row fit's wall time to start and stop (issue 18, docs/performance.md), for jobs whose blocks never leave
/// the process. The job code is the same (<see cref="KrrFitter"/>), the blocks are the same
/// (<see cref="BlockComputations"/>) and their partials are reduced in the same block order, so the model is bitwise
/// the one of the sharded local mode and of a cluster (tests check both). Failures are reported as the coordinator
/// reports them: bad input as <see cref="InvalidInputException"/> (exit code 2), anything else as
/// <see cref="JobFailedException"/>.
/// </remarks>
public sealed class InProcessJobRunner : IJobRunner
{
    private readonly int _workers;
    private readonly Action<ProgressUpdate> _progress;
    private readonly TimeSpan? _blockTimeout;
    private LocalCluster? _cluster;

    /// <param name="workers">Blocks computed at once; the model does not depend on it.</param>
    /// <param name="blockTimeout">Used only by the <see cref="LocalCluster"/> of jobs this runner does not run itself.</param>
    public InProcessJobRunner(int workers, Action<ProgressUpdate>? progress = null, TimeSpan? blockTimeout = null)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker");
        _workers = workers;
        _progress = progress ?? (_ => { });
        _blockTimeout = blockTimeout;
    }

    public int Window => _workers;

    /// <summary>Whether this runner computes <paramref name="submission"/> itself (else a local cluster does).</summary>
    public static bool RunsInProcess(object submission) => submission is SubmitFit or SubmitStreamedFit or SubmitPredict;

    public async Task<T> RunAsync<T>(object submission)
    {
        if (!RunsInProcess(submission))
        {
            _cluster ??= await LocalCluster.StartAsync(_workers, _progress, _blockTimeout);
            return await _cluster.RunAsync<T>(submission);
        }
        object outcome;
        try
        {
            // Off the caller's thread, as a job actor runs off the submitter's; the rounds' blocks go to the thread pool.
            outcome = await Task.Run(() => RunInProcessAsync(submission));
        }
        catch (Exception e)
        {
            // As the coordinator answers (JobActor) and LocalCluster.RunAsync rethrows: the exit codes stay those of local mode.
            if (e is InvalidInputException) throw new InvalidInputException(e.Message);
            throw new JobFailedException(e.Message);
        }
        return outcome is T result ? result : throw new JobFailedException($"unexpected answer {outcome.GetType().Name}");
    }

    private async Task<object> RunInProcessAsync(object submission)
    {
        var rounds = new InProcessBlockRounds(_workers, _progress);
        return submission switch
        {
            // The job ids of the coordinator's first job of each kind; they name blocks and never enter a result.
            SubmitFit fit => (object)await new KrrFitter(rounds).FitEvaluatedAsync("fit", fit.Train, fit.Test, fit.Settings),
            SubmitStreamedFit fit => (object)await new KrrFitter(rounds).FitStreamedEvaluatedAsync("fit", fit.Train, fit.TrainRows, fit.Preprocessing,
                fit.Test, fit.TestRows, fit.Settings),
            SubmitPredict predict => (object)await new ModelPredictor(rounds).PredictAsync("predict", predict.Model, predict.X),
            _ => throw new InvalidOperationException($"not an in-process job: {submission.GetType().Name}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

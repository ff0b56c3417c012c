using System.Diagnostics;
using Akka.Actor;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Protocol.Progress;

namespace NtkCluster.Coordinator.Jobs;

/// <summary>
/// One job, from start to answer: a child of the coordinator that runs the job's rounds and solve, answers the
/// submitter, and stops. It runs on the compute dispatcher because the solve is CPU-heavy.
/// </summary>
public sealed class JobActor : ReceiveActor
{
    private sealed record Start : INoSerializationVerificationNeeded;

    public JobActor(string jobId, object submission, WorkerRegions regions, RoundOptions options, IActorRef replyTo, Action<ProgressUpdate> progress)
    {
        var region = regions.Blocks;
        ReceiveAsync<Start>(async _ =>
        {
            object answer;
            try
            {
                answer = submission switch
                {
                    SubmitFit fit => await RunFitAsync(jobId, fit, region, options, progress),
                    SubmitStreamedFit fit => await RunStreamedFitAsync(jobId, fit, region, options, progress),
                    SubmitSpectral spectral => await new SpectralAnalyzer(new BlockRounds(region, options, progress)).AnalyzeAsync(jobId, spectral),
                    SubmitSweep sweep => await new SweepRunner(new BlockRounds(region, options, progress)).RunAsync(jobId, sweep),
                    SubmitTrainNetwork nn => await new NetworkTrainer(new BlockRounds(region, options, progress), regions.Neurons).TrainAsync(jobId, nn),
                    SubmitPredict predict => await new ModelPredictor(region, options, progress).PredictAsync(jobId, predict.Model, predict.X),
                    SubmitFoldFits fold => await new FoldFitter(new BlockRounds(region, options, progress)).FitAsync(jobId, fold),
                    _ => throw new InvalidOperationException($"unknown job {submission.GetType().Name}"),
                };
            }
            catch (Exception e)
            {
                answer = new JobFailed(e.Message, e is NtkCluster.Numerics.Errors.InvalidInputException);
            }
            replyTo.Tell(answer);
            Context.Stop(Self);
        });
    }

    protected override void PreStart() => Self.Tell(new Start());

    private static async Task<FitOutcome> RunFitAsync(string jobId, SubmitFit job, IActorRef region, RoundOptions options, Action<ProgressUpdate> progress)
    {
        var clock = Stopwatch.StartNew();
        var fitter = new KrrFitter(region, options, progress);
        var model = await fitter.FitAsync(jobId, job.Train, job.Settings);
        var predictor = new ModelPredictor(region, options, progress);
        double trainMse = fitter.LastTrainMse is double fromNormalEquations
            ? FromNormalEquations(fromNormalEquations, progress)
            : Metrics.MeanSquaredError(job.Train.Y, await predictor.PredictAsync(jobId + "-train", model, job.Train.X, "training-error blocks"));
        if (job.Test is null) return new FitOutcome(model, trainMse, null, null, clock.Elapsed.TotalSeconds, fitter.LastSampling);
        var testPredictions = await predictor.PredictAsync(jobId + "-test", model, job.Test.X, "test-error blocks");
        return new FitOutcome(model, trainMse, Metrics.MeanSquaredError(job.Test.Y, testPredictions), testPredictions,
            clock.Elapsed.TotalSeconds, fitter.LastSampling);
    }

    /// <summary>
    /// A streamed fit, then its training error — from the normal equations when they can be trusted
    /// (<see cref="NtkCluster.Numerics.Solvers.RidgeResidual"/>: the identity ‖Y−Ψβ‖² = YᵀY − 2βᵀΨᵀY + βᵀΨᵀΨβ cancels
    /// catastrophically when the fit is nearly exact, and is then not used), else by streaming the file once more
    /// through the predict path — and its test error by streaming the test file.
    /// </summary>
    private static async Task<FitOutcome> RunStreamedFitAsync(string jobId, SubmitStreamedFit job, IActorRef region, RoundOptions options,
        Action<ProgressUpdate> progress)
    {
        var clock = Stopwatch.StartNew();
        var fitter = new KrrFitter(region, options, progress);
        var model = await fitter.FitStreamedAsync(jobId, job.Train, job.TrainRows, job.Preprocessing, job.Settings);
        var predictor = new ModelPredictor(region, options, progress);
        double trainMse;
        if (fitter.LastTrainMse is double fromNormalEquations) trainMse = FromNormalEquations(fromNormalEquations, progress);
        else
        {
            progress(ProgressUpdate.Note($"training error: streaming {job.Train.Path} again"));
            trainMse = Mean(await predictor.SquaredErrorsAsync(jobId + "-train", model, job.Train.Blocks(),
                new BlockPlan(job.TrainRows, job.Train.BlockSize).Count, "training-error blocks"), job.Train, job.TrainRows);
        }
        double? testMse = null;
        if (job.Test is not null)
        {
            progress(ProgressUpdate.Note($"test error: streaming {job.Test.Path}"));
            testMse = Mean(await predictor.SquaredErrorsAsync(jobId + "-test", model, job.Test.Blocks(),
                new BlockPlan(job.TestRows, job.Test.BlockSize).Count, "test-error blocks"), job.Test, job.TestRows);
        }
        return new FitOutcome(model, trainMse, testMse, null, clock.Elapsed.TotalSeconds, fitter.LastSampling);
    }

    /// <summary>A primal fit's training error from ΨᵀΨ, Ψᵀy and yᵀy: no second pass over the training rows.</summary>
    private static double FromNormalEquations(double mse, Action<ProgressUpdate> progress)
    {
        progress(ProgressUpdate.Note("training error from the normal equations (yᵀy − 2βᵀΨᵀy + βᵀΨᵀΨβ), no pass over the rows"));
        return mse;
    }

    private static double Mean(SquaredErrorSum errors, RowBlockSource source, int rows) => errors.Rows == rows
        ? errors.Mean
        : throw new NtkCluster.Numerics.Errors.InvalidInputException(
            $"{source.Path} changed while it was being read: {rows} rows at first, {errors.Rows} later");
}

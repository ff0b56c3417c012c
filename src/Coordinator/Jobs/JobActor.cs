using Akka.Actor;
using NtkCluster.Coordinator.Transport;
using NtkCluster.Fit;
using NtkCluster.Networks;
using NtkCluster.Numerics.Execution;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Spectral;
using NtkCluster.Validation;

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
                // One implementation of every job, in the library: here its rounds go to the sharded entities.
                var rounds = new ShardedBlockRounds(regions, options, progress);
                answer = new JobSucceeded(submission switch
                {
                    SubmitFit fit => await new KrrFitter(rounds).FitEvaluatedAsync(jobId, fit.Train, fit.Test, fit.Settings),
                    SubmitStreamedFit fit => await new KrrFitter(rounds).FitStreamedEvaluatedAsync(jobId, fit.Train, fit.TrainRows, fit.Preprocessing,
                        fit.Test, fit.TestRows, fit.Settings),
                    SubmitPartitionedFit fit => await new KrrFitter(rounds).FitPartitionedEvaluatedAsync(jobId, fit.TrainSource, fit.Train,
                        fit.Columns, fit.Test, fit.Split, fit.Settings),
                    SubmitSpectral spectral => await new SpectralAnalyzer(rounds).AnalyzeAsync(jobId, spectral.Train, spectral.Settings,
                        spectral.Epsilon, spectral.Delta, spectral.ExactRowLimit),
                    SubmitPartitionedSpectral spectral => await new SpectralAnalyzer(rounds).AnalyzePartitionedAsync(jobId, spectral.TrainSource,
                        spectral.Train, spectral.Columns, spectral.Split, spectral.Settings, spectral.Epsilon, spectral.Delta, spectral.ExactRowLimit),
                    SubmitSweep sweep => await new SweepRunner(rounds).RunAsync(jobId, sweep.Train, sweep.Test, sweep.Settings, sweep.FeatureCounts,
                        sweep.Repeats, sweep.ExactRowLimit),
                    SubmitTrainNetwork nn => await new NetworkTrainer(rounds).TrainAsync(jobId, nn.Train, nn.Test, nn.Settings, nn.Checkpointing),
                    SubmitPartitionedTrainNetwork nn => await new PartitionedNetworkTrainer(rounds).TrainAsync(jobId, nn.TrainSource, nn.Train,
                        nn.Columns, nn.Test, nn.Split, nn.Settings, nn.Checkpointing),
                    SubmitPredict predict => await new ModelPredictor(rounds).PredictAsync(jobId, predict.Model, predict.X),
                    // The workers cannot write the output: the parts stream back to the client through the job's session.
                    SubmitPartitionedPredict { StreamTo: { } session } predict => await rounds.StreamedPartitionPredictionsAsync(jobId,
                        await ((IBlockRounds)rounds).CountedAsync(jobId, predict.Partitions, source: null), predict.Model, predict.Columns, session,
                        keep: predict.Keep),
                    SubmitPartitionedPredict predict => await new ModelPredictor(rounds).PredictPartitionsAsync(jobId, predict.Model,
                        predict.Partitions, predict.Columns, predict.Directory, keep: predict.Keep),
                    SubmitPartitionedCrossValidation cv => await new PartitionedCrossValidator(rounds).RunAsync(jobId, cv.TrainSource, cv.Train,
                        cv.Columns, cv.Split, cv.Folds, cv.KernelSpecs, cv.Lambdas, cv.Settings),
                    SubmitPartitionedSweep sweep => await new PartitionedSweepRunner(rounds).RunAsync(jobId, sweep.TrainSource, sweep.Train,
                        sweep.Columns, sweep.Test, sweep.Split, sweep.Settings, sweep.FeatureCounts, sweep.Repeats, sweep.ExactRowLimit),
                    SubmitPartitionedScan scan => await PartitionScanJob.RunAsync(rounds, jobId, scan),
                    SubmitFoldFits fold => await new FoldFitter(rounds).FitAsync(jobId, fold.Train, fold.Held, fold.Settings, fold.Lambdas),
                    _ => throw new InvalidOperationException($"unknown job {submission.GetType().Name}"),
                });
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
}

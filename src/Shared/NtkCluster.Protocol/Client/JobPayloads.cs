using System.Runtime.Serialization;
using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Networks;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Spectral;
using NtkCluster.Validation;

namespace NtkCluster.Protocol.Client;

/// <summary>
/// A job as a client ships it to a cluster coordinator: the <c>Submit*</c> record, and how its rounds should run
/// (blocks in flight, 0 = the cluster's default; the block timeout, null = the default; how a partitioned job's rows
/// reach the workers, <c>--rows</c>).
/// </summary>
public sealed record JobRequest(object Submission, int Window, double? BlockTimeoutSeconds,
    NtkCluster.Numerics.Partitions.RowDelivery Rows = NtkCluster.Numerics.Partitions.RowDelivery.Auto) : INoSerializationVerificationNeeded;

/// <summary>
/// The bytes of a job's submission and of its outcome as they cross between client and coordinator (in chunks, see
/// <see cref="ChunkedTransfer"/>): data sets, settings, models and matrices in the
/// primitives of <see cref="PayloadWriter"/> and <see cref="NumericsPayloads"/>, models in the model file's schema
/// (<see cref="ModelCodec"/>) — doubles as raw IEEE-754 bits, so
/// the coordinator fits exactly the numbers the client read, and the client writes exactly the model it fitted.
/// </summary>
/// <remarks>
/// Every field of every record is written by hand, in declaration order; a settings or outcome record that gains a
/// field must gain it here too (the round-trip tests compare every property). Not shipped: a streamed fit (it reads
/// its files on the node that runs it, so it stays local) and <see cref="SamplingOutcome.KernelMatrix"/> (an n×n
/// matrix the commands never print).
/// </remarks>
public static class JobPayloads
{
    /// <summary>The first byte of every job payload; bump it when a layout changes.</summary>
    /// <remarks>3: models (predict submissions, fit and network outcomes) end with their leverage provenance, network
    /// models with their checkpoint state, train-nn submissions with what --checkpoint/--resume need, and network
    /// settings with the step cap of --steps auto. 4: models in the model file's schema (<see cref="ModelCodec"/>'s
    /// binary encoding, classifiers' classes included). 5: requests carry <see cref="JobRequest.Rows"/>.</remarks>
    public const byte FormatVersion = 5;

    // Tags are part of the protocol: never reuse one for something else.
    private const byte FitTag = 1, SpectralTag = 2, SweepTag = 3, NetworkTag = 4, PredictTag = 5, FoldFitsTag = 6, PartitionedFitTag = 7,
        PartitionedPredictTag = 8, PartitionedSpectralTag = 9, PartitionedNetworkTag = 10, PartitionedCrossValidationTag = 11,
        PartitionedSweepTag = 12, PartitionedScanTag = 13;

    // ------------------------------------------------------------------------------------------------ submissions

    public static byte[] WriteRequest(JobRequest request)
    {
        var w = new PayloadWriter(1 << 16);
        w.WriteByte(FormatVersion);
        w.WriteInt32(request.Window);
        if (w.WritePresence(request.BlockTimeoutSeconds)) w.WriteDouble(request.BlockTimeoutSeconds!.Value);
        w.WriteByte((byte)request.Rows);
        switch (request.Submission)
        {
            case SubmitFit fit:
                w.WriteByte(FitTag);
                w.WriteDataset(fit.Train);
                w.WriteOptionalDataset(fit.Test);
                w.WriteFitSettings(fit.Settings);
                break;
            case SubmitSpectral spectral:
                w.WriteByte(SpectralTag);
                w.WriteDataset(spectral.Train);
                w.WriteFitSettings(spectral.Settings);
                w.WriteDouble(spectral.Epsilon);
                w.WriteDouble(spectral.Delta);
                w.WriteInt32(spectral.ExactRowLimit);
                break;
            case SubmitSweep sweep:
                w.WriteByte(SweepTag);
                w.WriteDataset(sweep.Train);
                w.WriteOptionalDataset(sweep.Test);
                w.WriteFitSettings(sweep.Settings);
                w.WriteInt32(sweep.FeatureCounts.Length);
                foreach (int m in sweep.FeatureCounts) w.WriteInt32(m);
                w.WriteInt32(sweep.Repeats);
                w.WriteInt32(sweep.ExactRowLimit);
                break;
            case SubmitTrainNetwork nn:
                w.WriteByte(NetworkTag);
                w.WriteDataset(nn.Train);
                w.WriteOptionalDataset(nn.Test);
                w.WriteNetworkSettings(nn.Settings);
                w.WriteCheckpointing(nn.Checkpointing);
                break;
            case SubmitPredict predict:
                w.WriteByte(PredictTag);
                w.WriteModel(predict.Model);
                w.WriteMatrix(predict.X);
                break;
            case SubmitFoldFits fold:
                w.WriteByte(FoldFitsTag);
                w.WriteDataset(fold.Train);
                w.WriteDataset(fold.Held);
                w.WriteFitSettings(fold.Settings);
                w.WriteDoubles(fold.Lambdas);
                break;
            case SubmitPartitionedFit fit:
                // Descriptors only: the workers read the partitions from the same paths.
                w.WriteByte(PartitionedFitTag);
                w.WriteString(fit.TrainSource);
                w.WriteDataPartitions(fit.Train);
                w.WritePartitionColumns(fit.Columns);
                if (w.WritePresence(fit.Test)) w.WriteDataPartitions(fit.Test!);
                w.WriteOptionalRowSplit(fit.Split);
                w.WriteFitSettings(fit.Settings);
                break;
            case SubmitPartitionedPredict predict:
                // Descriptors and the model only: the workers read the partitions and write the parts themselves.
                w.WriteByte(PartitionedPredictTag);
                w.WriteString(predict.Source);
                w.WriteDataPartitions(predict.Partitions);
                w.WriteModel(predict.Model);
                if (w.WritePresence(predict.Columns)) w.WriteStrings(predict.Columns!);
                w.WriteString(predict.Directory);
                w.WriteByte((byte)predict.Delivery);
                if (w.WritePresence(predict.Keep)) w.WriteStrings(predict.Keep!);
                break;
            case SubmitPartitionedScan scan:
                w.WriteByte(PartitionedScanTag);
                w.WriteString(scan.TrainSource);
                w.WriteDataPartitions(scan.Train);
                w.WritePartitionColumns(scan.Columns);
                w.WriteOptionalRowSplit(scan.Split);
                w.WriteBool(scan.Categories);
                if (w.WritePresence(scan.Forced)) w.WriteStrings(scan.Forced!);
                w.WriteInt32((int)scan.Missing);
                w.WriteBool(scan.TextLabels);
                break;
            case SubmitPartitionedSpectral spectral:
                w.WriteByte(PartitionedSpectralTag);
                w.WriteString(spectral.TrainSource);
                w.WriteDataPartitions(spectral.Train);
                w.WritePartitionColumns(spectral.Columns);
                w.WriteOptionalRowSplit(spectral.Split);
                w.WriteFitSettings(spectral.Settings);
                w.WriteDouble(spectral.Epsilon);
                w.WriteDouble(spectral.Delta);
                w.WriteInt32(spectral.ExactRowLimit);
                break;
            case SubmitPartitionedTrainNetwork nn:
                // Descriptors only, as a partitioned fit; then what --checkpoint/--resume need, as a train-nn job.
                w.WriteByte(PartitionedNetworkTag);
                w.WriteString(nn.TrainSource);
                w.WriteDataPartitions(nn.Train);
                w.WritePartitionColumns(nn.Columns);
                if (w.WritePresence(nn.Test)) w.WriteDataPartitions(nn.Test!);
                w.WriteOptionalRowSplit(nn.Split);
                w.WriteNetworkSettings(nn.Settings);
                w.WriteCheckpointing(nn.Checkpointing);
                break;
            case SubmitPartitionedCrossValidation cv:
                w.WriteByte(PartitionedCrossValidationTag);
                w.WriteString(cv.TrainSource);
                w.WriteDataPartitions(cv.Train);
                w.WritePartitionColumns(cv.Columns);
                w.WriteOptionalRowSplit(cv.Split);
                w.WriteRowFolds(cv.Folds);
                w.WriteStrings(cv.KernelSpecs);
                w.WriteDoubles(cv.Lambdas);
                w.WriteFitSettings(cv.Settings);
                break;
            case SubmitPartitionedSweep sweep:
                w.WriteByte(PartitionedSweepTag);
                w.WriteString(sweep.TrainSource);
                w.WriteDataPartitions(sweep.Train);
                w.WritePartitionColumns(sweep.Columns);
                if (w.WritePresence(sweep.Test)) w.WriteDataPartitions(sweep.Test!);
                w.WriteOptionalRowSplit(sweep.Split);
                w.WriteFitSettings(sweep.Settings);
                w.WriteInt32(sweep.FeatureCounts.Length);
                foreach (int m in sweep.FeatureCounts) w.WriteInt32(m);
                w.WriteInt32(sweep.Repeats);
                w.WriteInt32(sweep.ExactRowLimit);
                break;
            default:
                JobKind.OfShipped(request.Submission); // throws with the reason
                throw new ArgumentException($"{request.Submission.GetType().Name} cannot be sent to a cluster");
        }
        return w.ToPayload();
    }

    /// <exception cref="SerializationException">A truncated, corrupt or foreign payload.</exception>
    public static JobRequest ReadRequest(byte[] payload) => Guard("job submission", () =>
    {
        var r = new PayloadReader(payload);
        ReadVersion(ref r);
        int window = r.ReadInt32("the window");
        double? timeout = r.ReadPresence("the block timeout") ? r.ReadDouble("the block timeout") : null;
        int rowsAt = r.Position;
        byte rows = r.ReadByte("the row delivery");
        if (rows > (byte)NtkCluster.Numerics.Partitions.RowDelivery.Shipped)
            throw new SerializationException($"corrupt payload: unknown row delivery {rows} at offset {rowsAt}");
        int at = r.Position;
        object submission = r.ReadByte("the job tag") switch
        {
            FitTag => new SubmitFit(r.ReadDataset(), r.ReadOptionalDataset(), r.ReadFitSettings()),
            SpectralTag => new SubmitSpectral(r.ReadDataset(), r.ReadFitSettings(), r.ReadDouble("ε"), r.ReadDouble("δ"), r.ReadInt32("the exact-row limit")),
            SweepTag => ReadSweep(ref r),
            NetworkTag => ReadTrainNetwork(ref r),
            PredictTag => new SubmitPredict(r.ReadModel(), r.ReadMatrix("the rows to predict")),
            FoldFitsTag => new SubmitFoldFits(r.ReadDataset(), r.ReadDataset(), r.ReadFitSettings(), r.ReadDoubles("the lambdas")),
            PartitionedFitTag => new SubmitPartitionedFit(r.ReadString("the training source"), r.ReadDataPartitions(), r.ReadPartitionColumns(),
                r.ReadPresence("the test partitions") ? r.ReadDataPartitions() : null, r.ReadOptionalRowSplit(), r.ReadFitSettings()),
            PartitionedPredictTag => new SubmitPartitionedPredict(r.ReadString("the data source"), r.ReadDataPartitions(), r.ReadModel(),
                r.ReadPresence("the columns") ? r.ReadStrings("the columns") : null, r.ReadString("the output directory"))
            {
                Delivery = ReadOutputDelivery(ref r),
                Keep = r.ReadPresence("the kept columns") ? r.ReadStrings("the kept columns") : null,
            },
            PartitionedScanTag => new SubmitPartitionedScan(r.ReadString("the training source"), r.ReadDataPartitions(), r.ReadPartitionColumns(),
                r.ReadOptionalRowSplit(), r.ReadBool("whether to take the census"),
                r.ReadPresence("the --categorical columns") ? r.ReadStrings("the --categorical columns") : null,
                (NtkCluster.Numerics.Data.MissingPolicy)r.ReadInt32("the missing policy"), r.ReadBool("whether to scan the labels")),
            PartitionedSpectralTag => new SubmitPartitionedSpectral(r.ReadString("the training source"), r.ReadDataPartitions(), r.ReadPartitionColumns(),
                r.ReadOptionalRowSplit(), r.ReadFitSettings(), r.ReadDouble("ε"), r.ReadDouble("δ"), r.ReadInt32("the exact-row limit")),
            PartitionedNetworkTag => new SubmitPartitionedTrainNetwork(r.ReadString("the training source"), r.ReadDataPartitions(),
                r.ReadPartitionColumns(), r.ReadPresence("the test partitions") ? r.ReadDataPartitions() : null, r.ReadOptionalRowSplit(),
                r.ReadNetworkSettings(), ReadCheckpointing(ref r)),
            PartitionedCrossValidationTag => new SubmitPartitionedCrossValidation(r.ReadString("the training source"), r.ReadDataPartitions(),
                r.ReadPartitionColumns(), r.ReadOptionalRowSplit(), r.ReadRowFolds(), r.ReadStrings("the kernels"), r.ReadDoubles("the lambdas"),
                r.ReadFitSettings()),
            PartitionedSweepTag => ReadPartitionedSweep(ref r),
            var tag => throw new SerializationException($"corrupt payload: unknown job tag {tag} at offset {at}"),
        };
        r.ExpectEnd();
        return new JobRequest(submission, window, timeout, (NtkCluster.Numerics.Partitions.RowDelivery)rows);
    });

    private static NtkCluster.Numerics.Partitions.OutputDelivery ReadOutputDelivery(ref PayloadReader r)
    {
        byte delivery = r.ReadByte("the output delivery");
        return delivery <= (byte)NtkCluster.Numerics.Partitions.OutputDelivery.Streamed
            ? (NtkCluster.Numerics.Partitions.OutputDelivery)delivery
            : throw new SerializationException($"the output delivery {delivery} is not one this program knows");
    }

    private static SubmitTrainNetwork ReadTrainNetwork(ref PayloadReader r)
    {
        var train = r.ReadDataset();
        var test = r.ReadOptionalDataset();
        var settings = r.ReadNetworkSettings();
        return new SubmitTrainNetwork(train, test, settings, ReadCheckpointing(ref r));
    }

    // The client's paths travel as names only: the checkpoints come back to the client, which writes them.
    private static void WriteCheckpointing(this PayloadWriter w, NetworkCheckpointing? checkpointing)
    {
        w.WriteOptionalString(checkpointing?.SavePath);
        if (w.WritePresence(checkpointing?.ResumeFrom))
        {
            w.WriteModel(checkpointing!.ResumeFrom!);
            w.WriteString(checkpointing.ResumePath ?? "the checkpoint");
        }
    }

    private static NetworkCheckpointing? ReadCheckpointing(ref PayloadReader r)
    {
        string? savePath = r.ReadOptionalString("the checkpoint path");
        NetworkModel? resume = null;
        string? resumePath = null;
        if (r.ReadPresence("the checkpoint to resume"))
        {
            resume = ReadCheckpointModel(ref r);
            resumePath = r.ReadString("the checkpoint's path");
        }
        return savePath is null && resume is null
            ? null
            : new NetworkCheckpointing(savePath, resume, resumePath) { Sink = savePath is null ? null : NoClientSink };
    }

    private static NetworkModel ReadCheckpointModel(ref PayloadReader r) =>
        r.ReadModel() as NetworkModel is { Checkpoint: not null } checkpoint
            ? checkpoint
            : throw new SerializationException("corrupt payload: not a network checkpoint");

    /// <summary>
    /// What a shipped job's checkpoints go to until its session connects them to the client: a path from the client
    /// must never be written on the coordinator's disk, so a job run without a session fails instead.
    /// </summary>
    public static string? NoClientSink(NetworkModel checkpoint) =>
        throw new JobFailedException("this train-nn job's checkpoints belong to its client, and no client session is connected to take them");

    /// <summary>A checkpoint as the coordinator ships it to the client that asked for it (which writes it as a model file).</summary>
    public static byte[] WriteCheckpoint(NetworkModel checkpoint)
    {
        if (checkpoint.Checkpoint is null) throw new ArgumentException("a network model without resume state is not a checkpoint", nameof(checkpoint));
        var w = new PayloadWriter(1 << 16);
        w.WriteByte(FormatVersion);
        w.WriteModel(checkpoint);
        return w.ToPayload();
    }

    /// <exception cref="SerializationException">A truncated, corrupt or foreign payload.</exception>
    public static NetworkModel ReadCheckpoint(byte[] payload) => Guard("checkpoint", () =>
    {
        var r = new PayloadReader(payload);
        ReadVersion(ref r);
        var model = ReadCheckpointModel(ref r);
        r.ExpectEnd();
        return model;
    });

    private static SubmitSweep ReadSweep(ref PayloadReader r)
    {
        var train = r.ReadDataset();
        var test = r.ReadOptionalDataset();
        var settings = r.ReadFitSettings();
        var counts = new int[r.ReadCount("the feature counts", 4)];
        for (int i = 0; i < counts.Length; i++) counts[i] = r.ReadInt32("a feature count");
        return new SubmitSweep(train, test, settings, counts, r.ReadInt32("the repeats"), r.ReadInt32("the exact-row limit"));
    }

    // ------------------------------------------------------------------------------------------------ outcomes

    public static byte[] WriteOutcome(object outcome)
    {
        var w = new PayloadWriter(1 << 16);
        w.WriteByte(FormatVersion);
        switch (outcome)
        {
            case FitOutcome fit:
                w.WriteByte(FitTag);
                w.WriteModel(fit.Model);
                w.WriteDouble(fit.TrainMse);
                w.WriteOptionalDouble(fit.TestMse);
                if (w.WritePresence(fit.TestPredictions)) w.WriteMatrix(fit.TestPredictions!);
                w.WriteDouble(fit.Seconds);
                if (w.WritePresence(fit.Sampling))
                {
                    var s = fit.Sampling!;
                    w.WriteFeatureDraws(s.Draws);
                    w.WriteString(s.Mode);
                    if (w.WritePresence(s.PoolScores)) w.WriteDoubles(s.PoolScores);
                    w.WriteOptionalDouble(s.ExactStatisticalDimension);
                    w.WriteOptionalDouble(s.FirstStageEpsilon);
                    w.WriteOptionalDouble(s.ScoringRows);
                }
                if (w.WritePresence(fit.Classification))
                {
                    var c = fit.Classification!;
                    w.WriteClassLabels(c.Classes);
                    w.WriteClassificationScore(c.Train);
                    if (w.WritePresence(c.Test)) w.WriteClassificationScore(c.Test!);
                }
                if (w.WritePresence(fit.TrainRows)) w.WriteInt64(fit.TrainRows!.Value);
                if (w.WritePresence(fit.TestRows)) w.WriteInt64(fit.TestRows!.Value);
                break;
            case PartitionScanOutcome scan:
                w.WriteByte(PartitionedScanTag);
                NtkCluster.Numerics.Data.ModelCodec.WriteCategorical(w, scan.Encoding);
                if (w.WritePresence(scan.LabelNames)) w.WriteStrings(scan.LabelNames!);
                break;
            case SpectralOutcome s:
                w.WriteByte(SpectralTag);
                w.WriteDouble(s.Epsilon); w.WriteBool(s.EpsilonIsExact); w.WriteInt32(s.RowsUsed); w.WriteInt32(s.Rows);
                w.WriteDouble(s.SLambda); w.WriteBool(s.SLambdaIsExact); w.WriteDouble(s.SQ); w.WriteDouble(s.MBound);
                w.WriteString(s.Sampling); w.WriteString(s.ScoreMode); w.WriteDouble(s.MaxTau); w.WriteDouble(s.MeanTau);
                w.WriteOptionalDouble(s.FirstStageEpsilon); w.WriteDouble(s.KernelNorm); w.WriteStrings(s.Caveats.ToArray()); w.WriteDouble(s.Seconds);
                break;
            case SweepOutcome s:
                w.WriteByte(SweepTag);
                w.WriteInt32(s.Points.Count);
                foreach (var p in s.Points)
                {
                    w.WriteInt32(p.Features); w.WriteString(p.Sampling); w.WriteDouble(p.Epsilon); w.WriteDouble(p.Error);
                    w.WriteDouble(p.TrainError); w.WriteDouble(p.Seconds);
                }
                w.WriteOptionalDouble(s.ExactError); w.WriteBool(s.EpsilonIsExact); w.WriteBool(s.HasTest); w.WriteOptionalDouble(s.SLambda);
                w.WriteInt32(s.Rows); w.WriteInt32(s.Repeats); w.WriteDouble(s.Seconds); w.WriteDouble(s.PoolFloor); w.WriteInt32(s.PoolSize);
                break;
            case NetworkOutcome n:
                w.WriteByte(NetworkTag);
                w.WriteModel(n.Model);
                w.WriteDouble(n.LearningRate); w.WriteDouble(n.TrainMse); w.WriteOptionalDouble(n.TestMse);
                w.WriteOptionalDouble(n.TrainGap); w.WriteOptionalDouble(n.TestGap); w.WriteOptionalDouble(n.KrrTrainMse); w.WriteOptionalDouble(n.KrrTestMse);
                w.WriteDouble(n.MaxWeightMove); w.WriteOptionalDouble(n.KernelDrift); w.WriteDouble(n.PatternFlips); w.WriteOptionalDouble(n.ConvergenceExponent);
                w.WriteStrings(n.Warnings.ToArray());
                w.WriteInt32(n.Trajectory.Count);
                foreach (var p in n.Trajectory)
                {
                    w.WriteInt32(p.Step); w.WriteDouble(p.Loss); w.WriteOptionalDouble(p.TrainGap); w.WriteOptionalDouble(p.KernelDrift);
                }
                w.WriteMatrix(n.TrainPredictions);
                if (w.WritePresence(n.TestPredictions)) w.WriteMatrix(n.TestPredictions!);
                w.WriteDouble(n.Seconds);
                break;
            case Matrix<double> predictions:
                w.WriteByte(PredictTag);
                w.WriteMatrix(predictions);
                break;
            case PredictionPart[] parts:
                w.WriteByte(PartitionedPredictTag);
                w.WritePredictionParts(parts);
                break;
            case FoldPredictions fold:
                w.WriteByte(FoldFitsTag);
                w.WriteInt32(fold.Held.Length);
                foreach (var m in fold.Held) w.WriteMatrix(m);
                w.WriteDouble(fold.Seconds);
                break;
            case PartitionedCrossValidationOutcome cv:
                w.WriteByte(PartitionedCrossValidationTag);
                w.WriteStrings(cv.KernelSpecs);
                w.WriteDoubles(cv.Lambdas);
                w.WriteInt32(cv.Scores.Length);
                foreach (var scores in cv.Scores) w.WriteDoubles(scores);
                w.WriteInt32(cv.FoldRows.Length);
                foreach (long rows in cv.FoldRows) w.WriteInt64(rows);
                w.WriteDouble(cv.Seconds);
                if (w.WritePresence(cv.Classes)) w.WriteClassLabels(cv.Classes!);
                if (w.WritePresence(cv.Pooled))
                {
                    w.WriteInt32(cv.Pooled!.Length);
                    foreach (var score in cv.Pooled) w.WriteClassificationScore(score);
                }
                w.WriteOptionalDouble(cv.TrainBaseline);
                break;
            default:
                throw new ArgumentException($"an outcome of type {outcome.GetType().Name} cannot be sent to a client");
        }
        return w.ToPayload();
    }

    /// <exception cref="SerializationException">A truncated, corrupt or foreign payload.</exception>
    public static object ReadOutcome(byte[] payload) => Guard("job outcome", () =>
    {
        var r = new PayloadReader(payload);
        ReadVersion(ref r);
        int at = r.Position;
        object outcome = r.ReadByte("the outcome tag") switch
        {
            FitTag => ReadFitOutcome(ref r),
            PartitionedScanTag => new PartitionScanOutcome(NtkCluster.Numerics.Data.ModelCodec.ReadCategorical(ref r) ?? [],
                r.ReadPresence("the text labels") ? r.ReadStrings("the text labels") : null),
            SpectralTag => new SpectralOutcome(r.ReadDouble("ε"), r.ReadBool("ε exact"), r.ReadInt32("rows used"), r.ReadInt32("rows"),
                r.ReadDouble("s_λ"), r.ReadBool("s_λ exact"), r.ReadDouble("s_q"), r.ReadDouble("the M bound"), r.ReadString("the sampling"),
                r.ReadString("the score mode"), r.ReadDouble("max τ"), r.ReadDouble("mean τ"), r.ReadOptionalDouble("ε₁"), r.ReadDouble("‖K‖"),
                r.ReadStrings("the caveats"), r.ReadDouble("the seconds")),
            SweepTag => ReadSweepOutcome(ref r),
            NetworkTag => ReadNetworkOutcome(ref r),
            PredictTag => r.ReadMatrix("the predictions"),
            FoldFitsTag => ReadFoldPredictions(ref r),
            PartitionedPredictTag => r.ReadPredictionParts(),
            PartitionedCrossValidationTag => ReadPartitionedCrossValidation(ref r),
            var tag => throw new SerializationException($"corrupt payload: unknown outcome tag {tag} at offset {at}"),
        };
        r.ExpectEnd();
        return outcome;
    });

    private static FitOutcome ReadFitOutcome(ref PayloadReader r)
    {
        var model = r.ReadModel() as KrrModel ?? throw new SerializationException("corrupt payload: a fit's model is not a KRR model");
        double trainMse = r.ReadDouble("the training MSE");
        double? testMse = r.ReadOptionalDouble("the test MSE");
        var testPredictions = r.ReadPresence("the test predictions") ? r.ReadMatrix("the test predictions") : null;
        double seconds = r.ReadDouble("the seconds");
        SamplingOutcome? sampling = null;
        if (r.ReadPresence("the sampling outcome"))
        {
            var draws = r.ReadFeatureDraws();
            string mode = r.ReadString("the sampling mode");
            var scores = r.ReadPresence("the pool scores") ? r.ReadDoubles("the pool scores") : null;
            sampling = new SamplingOutcome(draws, mode, scores, r.ReadOptionalDouble("s_λ"), r.ReadOptionalDouble("ε₁"), null)
            {
                ScoringRows = r.ReadOptionalDouble("the scoring rows") is double rows ? checked((int)rows) : null,
            };
        }
        ClassifierScores? classification = null;
        if (r.ReadPresence("the classification"))
            classification = new ClassifierScores(r.ReadClassLabels(), r.ReadClassificationScore(),
                r.ReadPresence("the test classification") ? r.ReadClassificationScore() : null);
        long? trainRows = r.ReadPresence("the training rows") ? r.ReadInt64("the training rows") : null;
        long? testRows = r.ReadPresence("the test rows") ? r.ReadInt64("the test rows") : null;
        return new FitOutcome(model, trainMse, testMse, testPredictions, seconds, sampling, classification, trainRows, testRows);
    }

    private static FoldPredictions ReadFoldPredictions(ref PayloadReader r)
    {
        var held = new Matrix<double>[r.ReadCount("the fold's predictions", 8)];
        for (int i = 0; i < held.Length; i++) held[i] = r.ReadMatrix("a λ's predictions");
        return new FoldPredictions(held, r.ReadDouble("the seconds"));
    }

    private static PartitionedCrossValidationOutcome ReadPartitionedCrossValidation(ref PayloadReader r)
    {
        var kernels = r.ReadStrings("the kernels");
        var lambdas = r.ReadDoubles("the lambdas");
        var scores = new double[r.ReadCount("the grid's scores", 4)][];
        for (int g = 0; g < scores.Length; g++) scores[g] = r.ReadDoubles("a grid point's fold scores");
        var foldRows = new long[r.ReadCount("the fold sizes", 8)];
        for (int f = 0; f < foldRows.Length; f++) foldRows[f] = r.ReadInt64("a fold's rows");
        var outcome = new PartitionedCrossValidationOutcome(kernels, lambdas, scores, foldRows, r.ReadDouble("the seconds"))
        {
            Classes = r.ReadPresence("the classes") ? r.ReadClassLabels() : null,
        };
        ClassificationScore[]? pooled = null;
        if (r.ReadPresence("the pooled scores"))
        {
            pooled = new ClassificationScore[r.ReadCount("the pooled scores", 4)];
            for (int g = 0; g < pooled.Length; g++) pooled[g] = r.ReadClassificationScore();
        }
        double? baseline = r.ReadOptionalDouble("the baseline MSE");
        return outcome with { Pooled = pooled, TrainBaseline = baseline };
    }

    private static SubmitPartitionedSweep ReadPartitionedSweep(ref PayloadReader r)
    {
        string source = r.ReadString("the training source");
        var train = r.ReadDataPartitions();
        var columns = r.ReadPartitionColumns();
        var test = r.ReadPresence("the test partitions") ? r.ReadDataPartitions() : null;
        var split = r.ReadOptionalRowSplit();
        var settings = r.ReadFitSettings();
        var counts = new int[r.ReadCount("the feature counts", 4)];
        for (int i = 0; i < counts.Length; i++) counts[i] = r.ReadInt32("a feature count");
        return new SubmitPartitionedSweep(source, train, columns, test, split, settings, counts, r.ReadInt32("the repeats"), r.ReadInt32("the exact-row limit"));
    }

    private static SweepOutcome ReadSweepOutcome(ref PayloadReader r)
    {
        var points = new SweepPoint[r.ReadCount("the sweep points", 40)];
        for (int i = 0; i < points.Length; i++)
            points[i] = new SweepPoint(r.ReadInt32("M"), r.ReadString("the sampling"), r.ReadDouble("ε"), r.ReadDouble("the error"),
                r.ReadDouble("the training error"), r.ReadDouble("the seconds"));
        return new SweepOutcome(points, r.ReadOptionalDouble("the exact error"), r.ReadBool("ε exact"), r.ReadBool("has test"),
            r.ReadOptionalDouble("s_λ"), r.ReadInt32("rows"), r.ReadInt32("repeats"), r.ReadDouble("the seconds"), r.ReadDouble("the pool floor"),
            r.ReadInt32("the pool size"));
    }

    private static NetworkOutcome ReadNetworkOutcome(ref PayloadReader r)
    {
        var model = r.ReadModel() as NetworkModel ?? throw new SerializationException("corrupt payload: a network job's model is not a network");
        double lr = r.ReadDouble("η"), trainMse = r.ReadDouble("the training MSE");
        double? testMse = r.ReadOptionalDouble("the test MSE"), trainGap = r.ReadOptionalDouble("the train gap"), testGap = r.ReadOptionalDouble("the test gap");
        double? krrTrain = r.ReadOptionalDouble("the KRR training MSE"), krrTest = r.ReadOptionalDouble("the KRR test MSE");
        double move = r.ReadDouble("the weight move");
        double? drift = r.ReadOptionalDouble("the kernel drift");
        double flips = r.ReadDouble("the pattern flips");
        double? exponent = r.ReadOptionalDouble("the convergence exponent");
        var warnings = r.ReadStrings("the warnings");
        var trajectory = new TrainingPoint[r.ReadCount("the trajectory", 14)];
        for (int i = 0; i < trajectory.Length; i++)
            trajectory[i] = new TrainingPoint(r.ReadInt32("a step"), r.ReadDouble("a loss"), r.ReadOptionalDouble("a gap"), r.ReadOptionalDouble("a kernel drift"));
        var trainPredictions = r.ReadMatrix("the training predictions");
        var testPredictions = r.ReadPresence("the test predictions") ? r.ReadMatrix("the test predictions") : null;
        return new NetworkOutcome(model, lr, trainMse, testMse, trainGap, testGap, krrTrain, krrTest, move, drift, flips, exponent,
            warnings, trajectory, trainPredictions, testPredictions, r.ReadDouble("the seconds"));
    }

    // ------------------------------------------------------------------------------------------------ parts

    private static void WriteDataset(this PayloadWriter w, Dataset d)
    {
        w.WriteStrings(d.FeatureNames);
        w.WriteMatrix(d.X);
        w.WriteStrings(d.TargetNames);
        w.WriteMatrix(d.Y);
        // Which columns are one-hot (categorical features), so the job's --standardize leaves them 0/1.
        if (w.WritePresence(d.OneHot))
        {
            w.WriteInt32(d.OneHot!.Length);
            foreach (bool oneHot in d.OneHot) w.WriteBool(oneHot);
        }
    }

    private static Dataset ReadDataset(this ref PayloadReader r)
    {
        var d = new Dataset(r.ReadStrings("the feature names"), r.ReadMatrix("the features"), r.ReadStrings("the target names"), r.ReadMatrix("the targets"));
        if (!r.ReadPresence("the one-hot columns")) return d;
        int count = r.ReadInt32("the one-hot column count");
        if (count != d.FeatureNames.Length) throw new SerializationException($"corrupt payload: {count} one-hot flags for {d.FeatureNames.Length} feature columns");
        var oneHot = new bool[count];
        for (int c = 0; c < count; c++) oneHot[c] = r.ReadBool("a one-hot flag");
        return new Dataset(d.FeatureNames, d.X, d.TargetNames, d.Y) { OneHot = oneHot };
    }

    private static void WriteOptionalDataset(this PayloadWriter w, Dataset? d)
    {
        if (w.WritePresence(d)) w.WriteDataset(d!);
    }

    private static Dataset? ReadOptionalDataset(this ref PayloadReader r) => r.ReadPresence("the test set") ? r.ReadDataset() : null;

    private static void WriteFitSettings(this PayloadWriter w, FitSettings s)
    {
        w.WriteString(s.KernelSpec); w.WriteDouble(s.Lambda); w.WriteBool(s.Exact); w.WriteInt32(s.Features); w.WriteString(s.Sampling.Name());
        w.WriteString(s.LeverageMode.Name()); w.WriteInt32(s.PoolSize); w.WriteInt32(s.FirstStageFeatures); w.WriteUInt64(s.Seed);
        w.WriteBool(s.Standardize); w.WriteBool(s.ScaleTarget); w.WriteBool(s.Normalize);
    }

    private static FitSettings ReadFitSettings(this ref PayloadReader r) => new()
    {
        KernelSpec = r.ReadString("the kernel"), Lambda = r.ReadDouble("λ"), Exact = r.ReadBool("exact"), Features = r.ReadInt32("M"),
        Sampling = Option(r.ReadString("the sampling"), OptionNames.ParseSampling),
        LeverageMode = Option(r.ReadString("the leverage mode"), OptionNames.ParseScoring), PoolSize = r.ReadInt32("the pool size"),
        FirstStageFeatures = r.ReadInt32("the first stage"), Seed = r.ReadUInt64("the seed"), Standardize = r.ReadBool("standardize"),
        ScaleTarget = r.ReadBool("scale-target"), Normalize = r.ReadBool("normalize"),
    };

    private static void WriteNetworkSettings(this PayloadWriter w, NetworkSettings s)
    {
        w.WriteInt32(s.Width); w.WriteString(s.Init.Name()); w.WriteDouble(s.Lambda); w.WriteDouble(s.Kappa); w.WriteOptionalDouble(s.LearningRate);
        w.WriteInt32(s.Steps); w.WriteUInt64(s.Seed); w.WriteBool(s.Standardize); w.WriteBool(s.ScaleTarget); w.WriteBool(s.Normalize);
        w.WriteBool(s.Reference); w.WriteInt32(s.CheckpointEvery); w.WriteString(s.LeverageMode.Name()); w.WriteInt32(s.PoolSize);
        w.WriteBool(s.TrackKernelDrift); w.WriteBool(s.AutoSteps);
    }

    private static NetworkSettings ReadNetworkSettings(this ref PayloadReader r) => new()
    {
        Width = r.ReadInt32("the width"), Init = Option(r.ReadString("the init"), OptionNames.ParseInitialization), Lambda = r.ReadDouble("λ"), Kappa = r.ReadDouble("κ"),
        LearningRate = r.ReadOptionalDouble("η"), Steps = r.ReadInt32("the steps"), Seed = r.ReadUInt64("the seed"),
        Standardize = r.ReadBool("standardize"), ScaleTarget = r.ReadBool("scale-target"), Normalize = r.ReadBool("normalize"),
        Reference = r.ReadBool("reference"), CheckpointEvery = r.ReadInt32("the checkpoint interval"),
        LeverageMode = Option(r.ReadString("the leverage mode"), OptionNames.ParseScoring), PoolSize = r.ReadInt32("the pool size"),
        TrackKernelDrift = r.ReadBool("track kernel drift"), AutoSteps = r.ReadBool("auto steps"),
    };

    /// <summary>An option's name from the wire as its typed value; an unknown name is a corrupt payload, not bad input.</summary>
    private static T Option<T>(string name, Func<string, string, T> parse)
    {
        try
        {
            return parse(name, "option");
        }
        catch (NtkCluster.Numerics.Errors.InvalidInputException e)
        {
            throw new SerializationException($"corrupt payload: {e.Message}");
        }
    }

    private static void ReadVersion(ref PayloadReader r)
    {
        byte version = r.ReadByte("the format version");
        if (version != FormatVersion)
            throw new SerializationException($"job payload format {version}, this program reads {FormatVersion}: client and coordinator must run the same version of ntk");
    }

    private delegate T Reader<out T>();

    /// <summary>Turns what a bad payload makes the constructors throw (shape checks) into a <see cref="SerializationException"/>.</summary>
    private static T Guard<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new SerializationException($"corrupt {what}: {e.Message}", e);
        }
    }
}

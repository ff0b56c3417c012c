using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Cluster.Tests.Serialization;
using NtkCluster.Coordinator.Hosting;
using NtkCluster.Coordinator.Jobs;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Networks;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Protocol.Client;
using NtkCluster.Protocol.Hosting;
using NtkCluster.Protocol.Jobs;
using NtkCluster.Protocol.Serialization;
using NtkCluster.Spectral;
using NtkCluster.Validation;
using Xunit;

namespace NtkCluster.Cluster.Tests.MultiNode;

/// <summary>
/// The client ↔ coordinator wire format: every <see cref="IClientMessage"/> through Akka's serialization as a node
/// resolves it, every job submission and outcome through <see cref="JobPayloads"/>, bit for bit — and the chunked
/// transfer's bookkeeping.
/// </summary>
[Collection(SerializationCollection.Name)]
public sealed class ClientProtocolTests(SerializationFixture fixture)
{
    /// <summary>A node's actor system (the production configuration, never joined), shared with the serialization tests.</summary>
    private readonly ActorSystem _system = fixture.System;

    public static TheoryData<string> MessageNames => new(Messages().Select(m => m.GetType().Name));

    private static IEnumerable<IClientMessage> Messages()
    {
        var chunk = new byte[ChunkedTransfer.ClientChunkBytes];
        new Random(3).NextBytes(chunk);
        yield return new OpenJob("r-1", "fit", 123_456_789_012, 235_474, "0.1.0");
        yield return new JobOpened("r-1");
        yield return new JobRefused("r-1", "version ∑ mismatch", true);
        yield return new TransferChunk("r-1", 7, chunk);
        yield return new TransferAck("r-1", 7);
        yield return new JobStarted("r-1", "fit-abc-1", 6, 3);
        yield return new JobProgress("r-1", ProgressUpdate.Count("step", 3_000_000_000_123, 4_000_000_000_000, "steps", "loss 1.5, train gap 0.25 — é"));
        yield return new JobFinished("r-1", 1_000_000, 2);
        yield return new JobError("r-1", "block 3 failed", false);
        yield return new JobCheckpoint("r-1", "r-1/checkpoint-500", 500, 3_000_001, 6);
        yield return new StatusRequest("s-1");
        yield return new ClusterStatus("s-1", "akka.tcp://ntk@127.0.0.1:4053", "0.1.0",
            [new NodeStatus("akka.tcp://ntk@127.0.0.1:4053", ["coordinator"], "Up", true, 0),
             new NodeStatus("akka.tcp://ntk@127.0.0.1:4054", ["worker"], "Up", false, 8)],
            [new JobStatus("nn-1", "train-nn", 1_700_000_000_123, "step 10/100", "akka.tcp://ntk-client@127.0.0.1:40000"),
             new JobStatus("fit-2", "fit", 1_700_000_000_456, null, "akka.tcp://ntk-client@10.0.0.2:40001")]);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_client_message_round_trips_through_its_own_serializer(string name)
    {
        var message = Messages().Single(m => m.GetType().Name == name);
        var serializer = Assert.IsType<ClientMessageSerializer>(_system.Serialization.FindSerializerFor(message));
        byte[] bytes = serializer.ToBinary(message);
        var back = _system.Serialization.Deserialize(bytes, serializer.Identifier, serializer.Manifest(message));
        BitwiseEquality.AssertSame(message, back);
        if (message is TransferChunk c) Assert.True(bytes.Length < c.Data.Length + 64, "a chunk's bytes travel raw");
    }

    public static TheoryData<string> ProgressSamples => new(Updates().Select(u => u.Name));

    /// <summary>Every shape of progress update: a count with and without a total and detail, a note, a warning.</summary>
    private static IEnumerable<(string Name, ProgressUpdate Update)> Updates()
    {
        yield return ("count", ProgressUpdate.Count("Gram blocks", 3, 10, "blocks"));
        yield return ("count-start", ProgressUpdate.Count("Gram blocks", 0, 10, "blocks"));
        yield return ("count-no-total", ProgressUpdate.Count("training-error blocks", long.MaxValue, null, "blocks"));
        yield return ("count-detail", ProgressUpdate.Count("sweep fits", 7, 18, "fits", "M=100 plain seed 0: ε=1.23, error 2583"));
        yield return ("note", ProgressUpdate.Note("solving the 400×400 system"));
        yield return ("notice", ProgressUpdate.Notice("rows: read by the workers from the shared path"));
        yield return ("warning", ProgressUpdate.Warning("worker node akka.tcp://ntk@127.0.0.1:4054 is unreachable; 3 block(s) wait"));
        yield return ("empty", new ProgressUpdate(ProgressKind.Count, "", -1, 0, "", ""));
    }

    [Theory]
    [MemberData(nameof(ProgressSamples))]
    public void Every_kind_of_progress_update_round_trips_bit_for_bit(string name)
    {
        var message = new JobProgress("r-9", Updates().Single(u => u.Name == name).Update);
        var serializer = Assert.IsType<ClientMessageSerializer>(_system.Serialization.FindSerializerFor(message));
        Assert.Equal(ClientMessageSerializer.JobProgressManifest, serializer.Manifest(message));
        var back = Assert.IsType<JobProgress>(_system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, serializer.Manifest(message)));
        BitwiseEquality.AssertSame(message, back);
        Assert.Equal(message, back); // the record's own equality too: nothing lost, nothing added
    }

    [Fact]
    public void A_progress_update_of_an_unknown_kind_is_refused()
    {
        var serializer = new ClientMessageSerializer((ExtendedActorSystem)_system);
        var bytes = serializer.ToBinary(new JobProgress("r", ProgressUpdate.Note("n")));
        // Layout: version byte, the request id (4-byte length + 1 byte), then the kind byte.
        Assert.Equal((byte)ProgressKind.Note, bytes[6]);
        bytes[6] = 7;
        Assert.Contains("progress kind", Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, ClientMessageSerializer.JobProgressManifest)).Message);
    }

    [Fact]
    public void Corrupt_and_foreign_client_payloads_fail_with_a_serialization_exception()
    {
        var serializer = new ClientMessageSerializer((ExtendedActorSystem)_system);
        var bytes = serializer.ToBinary(new JobProgress("r", ProgressUpdate.Count("Gram blocks", 1, 2, "blocks")));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^2], ClientMessageSerializer.JobProgressManifest));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "c-unknown"));
        bytes[0] = 99;
        Assert.Contains("format version", Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, ClientMessageSerializer.JobProgressManifest)).Message);
        var chunk = serializer.ToBinary(new TransferChunk("r", 0, new byte[10]));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(chunk[..^1], ClientMessageSerializer.ChunkManifest));
    }

    private static Dataset Data(int rows, int seed, int targets = 1) => new(
        Enumerable.Range(1, 3).Select(j => $"x{j}").ToArray(), MessageSamples.AwkwardMatrix(rows, 3, seed),
        Enumerable.Range(1, targets).Select(j => $"y{j}").ToArray(), MessageSamples.Random(rows, targets, seed + 1));

    /// <summary>Every settings property set to something other than its default, so a property the codec forgets fails.</summary>
    private static readonly FitSettings Fit = new()
    {
        KernelSpec = "laplace:gamma=0.3", Lambda = 1e-3, Exact = true, Features = 77, Sampling = FeatureSampling.Leverage, LeverageMode = OptionNames.ParseScoring("scalable"),
        PoolSize = 5000, FirstStageFeatures = 33, Seed = ulong.MaxValue - 5, Standardize = true, ScaleTarget = true, Normalize = true,
    };

    private static readonly NetworkSettings Network = new()
    {
        Width = 4096, Init = NetworkInitialization.Leverage, Lambda = 0.5, Kappa = 0.25, LearningRate = 0.01, Steps = 12345, Seed = 42, Standardize = true,
        ScaleTarget = true, Normalize = true, Reference = false, CheckpointEvery = 17, LeverageMode = OptionNames.ParseScoring("exact"), PoolSize = 999,
        TrackKernelDrift = true, AutoSteps = true,
    };

    [Fact]
    public void The_settings_samples_set_every_property()
    {
        foreach (var (sample, blank) in new (object, object)[]
                 {
                     (Fit, new FitSettings { KernelSpec = "", Lambda = 0 }),
                     (Network, new NetworkSettings { Width = 0, Lambda = 0, Steps = 0 }),
                 })
            foreach (var p in sample.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
                Assert.False(Equals(p.GetValue(sample), p.GetValue(blank)), $"{sample.GetType().Name}.{p.Name} has its default value in the sample");
    }

    public static TheoryData<string> SubmissionNames => new(Submissions().Select(s => s.Name));

    private static IEnumerable<(string Name, JobRequest Request)> Submissions()
    {
        yield return ("fit", new JobRequest(new SubmitFit(Data(50, 1, 2), Data(20, 2, 2), Fit), 0, null));
        yield return ("fit-no-test", new JobRequest(new SubmitFit(Data(50, 1), null, Fit with { Exact = false }), 12, 2.5));
        // One-hot columns (categorical features) travel with the data, so the job's --standardize leaves them 0/1.
        yield return ("fit-one-hot", new JobRequest(new SubmitFit(new Dataset(["x", "c=a", "c=b"], MessageSamples.Random(12, 3, 7), ["y"], MessageSamples.Random(12, 1, 8))
        {
            OneHot = [false, true, true],
        }, null, Fit), 0, null));
        yield return ("spectral", new JobRequest(new SubmitSpectral(Data(40, 3), Fit, 0.25, 0.1, 3000), 3, null));
        yield return ("sweep", new JobRequest(new SubmitSweep(Data(40, 4), Data(10, 5), Fit, [10, 20, 40], 3, 2000), 0, 60));
        yield return ("train-nn", new JobRequest(new SubmitTrainNetwork(Data(30, 6), Data(10, 7), Network), 0, null));
        yield return ("train-nn-defaults", new JobRequest(new SubmitTrainNetwork(Data(30, 6), null, Network with { LearningRate = null }), 1, null));
        yield return ("train-nn-checkpointed", new JobRequest(new SubmitTrainNetwork(Data(30, 6), null, Network,
            new NetworkCheckpointing("runs/ü run.ckpt", MessageSamples.CheckpointedNetwork(30, 3, 5), "old/run.ckpt")), 0, null));
        yield return ("train-nn-resumed", new JobRequest(new SubmitTrainNetwork(Data(30, 6), null, Network,
            new NetworkCheckpointing(null, MessageSamples.CheckpointedNetwork(30, 3, 6), "run.ckpt")), 0, null));
        yield return ("train-nn-checkpoint-only", new JobRequest(new SubmitTrainNetwork(Data(30, 6), null, Network,
            new NetworkCheckpointing("run.ckpt", null, null)), 0, null));
        yield return ("predict", new JobRequest(new SubmitPredict(MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 20, 4), MessageSamples.AwkwardMatrix(25, 3, 9)), 0, null));
        yield return ("cv-fold", new JobRequest(new SubmitFoldFits(Data(30, 8, 2), Data(10, 9, 2), Fit, [1e-3, 0.5, 7]), 0, null));
        yield return ("fit-partitioned", new JobRequest(new SubmitPartitionedFit("data/part-*.csv",
            [MessageSamples.CsvPartition, MessageSamples.ParquetPartition], new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "b"], ["y"], ["y", "b", "a"]),
            [MessageSamples.ParquetPartition], null, Fit with { Exact = false }), 2, null));
        yield return ("fit-partitioned-split", new JobRequest(new SubmitPartitionedFit("data", [MessageSamples.CsvPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y", "z"], null), null,
            new NtkCluster.Numerics.Partitions.RowSplit(77, 0.25, false), Fit with { Exact = false }), 0, 9));
        yield return ("predict-partitioned", new JobRequest(new SubmitPartitionedPredict("data/part-*.csv",
            [MessageSamples.CsvPartition, MessageSamples.ParquetPartition], MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 20, 4), ["x2", "x1", "x3"],
            "/shared/.predictions.0123456789ab.partial"), 0, null));
        yield return ("predict-partitioned-keep", new JobRequest(new SubmitPartitionedPredict("data", [MessageSamples.CsvPartition],
            MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 20, 4), ["x2", "x1", "x3"], "/shared/.predictions.0123456789ab.partial")
        {
            Delivery = NtkCluster.Numerics.Partitions.OutputDelivery.Streamed,
            Keep = ["id", "name, é"],
        }, 0, null));
        yield return ("predict-partitioned-network", new JobRequest(new SubmitPartitionedPredict("data", [MessageSamples.ParquetPartition],
            MessageSamples.Network(30, 3, 5), null, "/shared/out/.ntk-partial-0123456789ab"), 3, 1.5));
        yield return ("spectral-partitioned", new JobRequest(new SubmitPartitionedSpectral("data/part-*.csv",
            [MessageSamples.CsvPartition, MessageSamples.ParquetPartition], new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "b"], ["y"], ["y", "b", "a"]),
            null, Fit with { Exact = false, Sampling = FeatureSampling.Leverage }, 0.25, 0.1, 3000), 2, null));
        yield return ("spectral-partitioned-split", new JobRequest(new SubmitPartitionedSpectral("data", [MessageSamples.CsvPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y", "z"], null), new NtkCluster.Numerics.Partitions.RowSplit(77, 0.25, false),
            Fit with { Exact = false }, 1e-3, 0.5, 10), 0, 9));
        yield return ("train-nn-partitioned", new JobRequest(new SubmitPartitionedTrainNetwork("data/part-*.csv",
            [MessageSamples.CsvPartition, MessageSamples.ParquetPartition], new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "b"], ["y"], ["y", "b", "a"]),
            [MessageSamples.ParquetPartition], null, Network), 2, null));
        yield return ("train-nn-partitioned-checkpointed", new JobRequest(new SubmitPartitionedTrainNetwork("data", [MessageSamples.CsvPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y"], null), null, new NtkCluster.Numerics.Partitions.RowSplit(77, 0.25, false),
            Network with { LearningRate = null }, new NetworkCheckpointing("runs/ü run.ckpt", MessageSamples.CheckpointedNetwork(30, 1, 5), "old/run.ckpt")), 0, 9));
        yield return ("cv-partitioned", new JobRequest(new SubmitPartitionedCrossValidation("data/part-*.csv",
            [MessageSamples.CsvPartition, MessageSamples.ParquetPartition], new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "b"], ["y"], null),
            new NtkCluster.Numerics.Partitions.RowSplit(77, 0.25, false), new NtkCluster.Numerics.Partitions.RowFolds(ulong.MaxValue, 7),
            ["rbf:gamma=0.1", "rbf:gamma=1"], [1e-3, 0.5, double.Epsilon], Fit with { Exact = false }), 0, null));
        yield return ("cv-partitioned-plain", new JobRequest(new SubmitPartitionedCrossValidation("data", [MessageSamples.CsvPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y", "z"], ["z", "a", "y"]), null,
            new NtkCluster.Numerics.Partitions.RowFolds(0, 2), ["ntk"], [1], Fit with { Exact = false }), 3, 9));
        yield return ("sweep-partitioned", new JobRequest(new SubmitPartitionedSweep("data", [MessageSamples.CsvPartition, MessageSamples.ParquetPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "b"], ["y"], null), [MessageSamples.ParquetPartition], null,
            Fit with { Exact = false }, [10, 20, 40], 3, 2000), 0, 60));
        yield return ("sweep-partitioned-split", new JobRequest(new SubmitPartitionedSweep("d/*.parquet", [MessageSamples.ParquetPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y", "z"], ["y", "a", "z"]), null,
            new NtkCluster.Numerics.Partitions.RowSplit(8, 0.5, false), Fit with { Exact = false }, [5], 1, 10), 2, null));
        yield return ("scan-partitioned", new JobRequest(new SubmitPartitionedScan("data/part-*.csv", [MessageSamples.CsvPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a", "color"], ["kind"], null) { Classify = true, Separator = ';' },
            new NtkCluster.Numerics.Partitions.RowSplit(77, 0.25, false), true, ["a"], NtkCluster.Numerics.Data.MissingPolicy.Median, true), 0, null));
        yield return ("scan-partitioned-census", new JobRequest(new SubmitPartitionedScan("d/*.parquet", [MessageSamples.ParquetPartition],
            new NtkCluster.Numerics.Partitions.PartitionColumns(["a"], ["y"], ["a", "y"]), null, true, null,
            NtkCluster.Numerics.Data.MissingPolicy.Refuse, false), 2, 30));
        yield return ("predict-network", new JobRequest(new SubmitPredict(MessageSamples.Network(30, 3, 5), MessageSamples.Random(5, 3, 9)), 0, null));
    }

    [Theory]
    [MemberData(nameof(SubmissionNames))]
    public void Every_submission_round_trips_bit_for_bit(string name)
    {
        var request = Submissions().Single(s => s.Name == name).Request;
        var back = JobPayloads.ReadRequest(JobPayloads.WriteRequest(request));
        BitwiseEquality.AssertSame(request, back);
    }

    /// <summary>
    /// A shipped train-nn job's checkpoint path names a file on the client: the coordinator must never write it on its
    /// own disk. Until a session connects the checkpoints to the client, taking one fails the job.
    /// </summary>
    [Fact]
    public void A_shipped_checkpoint_path_is_never_written_on_the_coordinator()
    {
        var request = Submissions().Single(s => s.Name == "train-nn-checkpoint-only").Request;
        var back = (SubmitTrainNetwork)JobPayloads.ReadRequest(JobPayloads.WriteRequest(request)).Submission;
        Assert.NotNull(back.Checkpointing!.Sink);
        Assert.Throws<JobFailedException>(() => back.Checkpointing.Take(MessageSamples.CheckpointedNetwork(10, 3, 1)));
        Assert.False(File.Exists("run.ckpt"));
    }

    [Fact]
    public void A_checkpoint_travels_to_the_client_bit_for_bit_and_a_corrupt_one_is_refused()
    {
        var checkpoint = MessageSamples.CheckpointedNetwork(40, 3, 8);
        var bytes = JobPayloads.WriteCheckpoint(checkpoint);
        BitwiseEquality.AssertSame(checkpoint, JobPayloads.ReadCheckpoint(bytes));
        Assert.Throws<SerializationException>(() => JobPayloads.ReadCheckpoint(bytes[..^3]));
        Assert.Throws<ArgumentException>(() => JobPayloads.WriteCheckpoint(MessageSamples.Network(10, 3, 1)));
        var plain = new NtkCluster.Protocol.Serialization.PayloadWriter();
        plain.WriteByte(JobPayloads.FormatVersion);
        NtkCluster.Protocol.Serialization.NumericsPayloads.WriteModel(plain, MessageSamples.Network(10, 3, 1));
        Assert.Contains("not a network checkpoint", Assert.Throws<SerializationException>(() => JobPayloads.ReadCheckpoint(plain.ToPayload())).Message);
    }

    public static TheoryData<string> OutcomeNames => new(Outcomes().Select(o => o.Name));

    private static IEnumerable<(string Name, object Outcome)> Outcomes()
    {
        var draws = PlainSampler.Sample(new RbfKernel(0.5), 3, 20, 4);
        yield return ("fit", new FitOutcome(MessageSamples.PrimalModel(new RbfKernel(0.5), 3, 20, 4, new LeverageProvenance("exact", 3)), 0.125, 0.5, MessageSamples.AwkwardMatrix(7, 2, 1), 1.5,
            new SamplingOutcome(draws, "exact", [1, 2, double.NaN], 3.5, null, null)));
        yield return ("fit-exact", new FitOutcome(MessageSamples.ExactModel(new NtkKernel(), 10, 3, 2), 0.25, null, null, 0.01));
        yield return ("spectral", new SpectralOutcome(2.5, false, 3000, 5000, 68.7, false, 70.1, 12345.6, "leverage", "scalable", 9.5, 1.25, 0.3, 44.0,
            ["note one", "λ ≥ ‖K‖"], 3.25));
        yield return ("sweep", new SweepOutcome([new SweepPoint(10, "plain", 14.2, 3916, 3000, 0.5), new SweepPoint(10, "leverage", double.NaN, 4374, 2000, 0.75)],
            2583, true, true, 68.7, 354, 5, 12.5, 1.7, 10000));
        yield return ("sweep-bare", new SweepOutcome([], null, false, false, null, 10, 1, 0.1));
        yield return ("train-nn", new NetworkOutcome(MessageSamples.Network(30, 3, 5), 0.04, 0.5, 0.75, 0.1, 0.2, 0.3, 0.4, 1.5, 0.06, 0.0986, 0.097,
            ["warning one", "warning two"], [new TrainingPoint(0, 261.2, 1.02, 0), new TrainingPoint(10, 83.6, null, 0.0125), new TrainingPoint(20, 1.5, 0.5)],
            MessageSamples.Random(30, 1, 3), MessageSamples.Random(10, 1, 4), 1.03));
        yield return ("train-nn-bare", new NetworkOutcome(MessageSamples.Network(10, 3, 5), 0.04, 0.5, null, null, null, null, null, 1.5, null, 0, null,
            [], [], MessageSamples.Random(30, 1, 3), null, 1.03));
        yield return ("predict", MessageSamples.AwkwardMatrix(9, 2, 8));
        yield return ("predict-partitioned", new NtkCluster.Numerics.Partitions.PredictionPart[]
        {
            new("part-00000.csv", 1024, 23_456, "0123456789abcdef0123456789abcdef"), new("part-00001.csv", 0, 11, "ffffffffffffffffffffffffffffffff"),
        });
        yield return ("predict-partitioned-none", Array.Empty<NtkCluster.Numerics.Partitions.PredictionPart>());
        yield return ("cv-partitioned", new PartitionedCrossValidationOutcome(["rbf:gamma=0.1", "ntk"], [1e-3, 0.5],
            [[1.5, 2.5, double.NaN], [0.25, -0.0, 3], [1, 2, 3], [4, 5, double.PositiveInfinity]], [100, 0, 7], 1.25));
        yield return ("cv-partitioned-classify", new PartitionedCrossValidationOutcome(["ntk"], [1e-3], [[0.5, 1, 0.75]], [4, 2, 4], 0.5)
        {
            Classes = new NtkCluster.Numerics.Classification.ClassLabels("digit", [-3, 0, 7]),
        });
        yield return ("cv-partitioned-classify-pooled", new PartitionedCrossValidationOutcome(["ntk"], [1e-3, 1], [[0.5, 1, 0.75], [1, 1, 1]], [4, 2, 4], 0.5)
        {
            Classes = new NtkCluster.Numerics.Classification.ClassLabels("digit", [-3, 0, 7]),
            Pooled =
            [
                new NtkCluster.Numerics.Classification.ClassificationScore(7, 10, 1, [5]) { Confusion = [3, 0, 1, 0, 2, 0, 1, 0, 2] },
                NtkCluster.Numerics.Classification.ClassificationScore.None,
            ],
        });
        yield return ("cv-partitioned-baseline", new PartitionedCrossValidationOutcome(["ntk"], [1e-3], [[0.5, 1, 0.75]], [4, 2, 4], 0.5)
        {
            TrainBaseline = 0.1 + 0.2,
        });
        yield return ("scan", new PartitionScanOutcome(
            [new NtkCluster.Numerics.Data.CategoricalColumn { Name = "color", Codes = false, Categories = ["Teal", "blue, dark", "é"], Fill = "Teal" },
             new NtkCluster.Numerics.Data.CategoricalColumn { Name = "grade", Codes = true, Categories = ["2", "10"] }],
            ["SUV", "sedan, 4-door", ""]));
        yield return ("scan-bare", new PartitionScanOutcome([], null));
        yield return ("cv-fold", new FoldPredictions([MessageSamples.AwkwardMatrix(9, 2, 8), MessageSamples.Random(9, 2, 3)], 0.75));
    }

    [Theory]
    [MemberData(nameof(OutcomeNames))]
    public void Every_outcome_round_trips_bit_for_bit(string name)
    {
        var outcome = Outcomes().Single(o => o.Name == name).Outcome;
        var back = JobPayloads.ReadOutcome(JobPayloads.WriteOutcome(outcome));
        BitwiseEquality.AssertSame(outcome, back);
    }

    [Fact]
    public void Truncated_or_corrupt_job_payloads_fail_with_a_serialization_exception()
    {
        var payload = JobPayloads.WriteRequest(Submissions().First().Request);
        Assert.Throws<SerializationException>(() => JobPayloads.ReadRequest(payload[..^1]));
        Assert.Throws<SerializationException>(() => JobPayloads.ReadRequest([.. payload, 0]));
        var wrongVersion = (byte[])payload.Clone();
        wrongVersion[0] = 200;
        Assert.Contains("same version", Assert.Throws<SerializationException>(() => JobPayloads.ReadRequest(wrongVersion)).Message);
        var outcome = JobPayloads.WriteOutcome(Outcomes().First().Outcome);
        Assert.Throws<SerializationException>(() => JobPayloads.ReadOutcome(outcome[..(outcome.Length / 2)]));
    }

    [Fact]
    public void A_streamed_fit_is_refused_for_a_cluster_with_the_reason()
    {
        var e = Assert.ThrowsAny<NtkCluster.Numerics.Errors.InvalidInputException>(() => JobKind.OfShipped(
            new SubmitStreamedFit(null!, 0, null!, null, 0, Fit)));
        Assert.Contains("locally", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkedTransfer.ClientChunkBytes - 1)]
    [InlineData(ChunkedTransfer.ClientChunkBytes)]
    [InlineData(3 * ChunkedTransfer.ClientChunkBytes + 17)]
    [InlineData(9 * ChunkedTransfer.ClientChunkBytes)]
    public void Chunks_reassemble_the_payload_with_a_bounded_window(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var probe = new ChunkCollector();
        var sender = ChunkSender.ToClient("t", payload, probe, ActorRefs.NoSender!);
        var receiver = ChunkAssembly.Announced("t", length, sender.Chunks);
        sender.Start();
        int maxInFlight = 0;
        while (probe.Chunks.Count > 0)
        {
            maxInFlight = Math.Max(maxInFlight, probe.Chunks.Count);
            var chunk = probe.Chunks.Dequeue();
            Assert.True(chunk.Data.Length <= ChunkedTransfer.ClientChunkBytes);
            receiver.Add(chunk);
            sender.OnAck(new TransferAck("t", chunk.Index));
        }
        Assert.True(sender.Done && receiver.IsComplete);
        Assert.True(maxInFlight <= ChunkedTransfer.ClientWindow, $"{maxInFlight} chunks in flight");
        Assert.Equal(payload, receiver.Join());
    }

    [Fact]
    public void A_receiver_refuses_chunks_out_of_order_or_of_the_wrong_size()
    {
        var receiver = ChunkAssembly.Announced("t", ChunkedTransfer.ClientChunkBytes + 5, 2);
        Assert.Throws<InvalidOperationException>(() => receiver.Add(new TransferChunk("t", 1, new byte[5])));
        Assert.Throws<InvalidOperationException>(() => receiver.Add(new TransferChunk("t", 0, new byte[5])));
        Assert.Throws<InvalidOperationException>(() => ChunkAssembly.Announced("t", 10, 2));
        Assert.Throws<InvalidOperationException>(() => ChunkAssembly.Announced("t", -1, 0));
    }

    /// <summary>Collects what a <see cref="ChunkSender"/> tells, in order.</summary>
    private sealed class ChunkCollector : MinimalActorRef
    {
        public Queue<TransferChunk> Chunks { get; } = new();

        public override ActorPath Path { get; } = new RootActorPath(new Address("akka", "test")) / "collector";

        public override IActorRefProvider Provider => throw new NotSupportedException();

        protected override void TellInternal(object message, IActorRef sender) => Chunks.Enqueue((TransferChunk)message);
    }
}

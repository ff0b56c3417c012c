using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Sampling;
using NtkCluster.Numerics.Solvers;
using NtkCluster.Protocol.Messages;

namespace NtkCluster.Cluster.Tests.Serialization;

/// <summary>
/// Samples of every message type, small but with every optional field both present and absent and with the
/// doubles that break text formats (NaN with a payload, −0, ±∞, subnormals).
/// </summary>
public static class MessageSamples
{
    /// <summary>A quiet NaN with payload bits, a signalling NaN and a negative NaN: all must arrive unchanged.</summary>
    public static readonly double[] Awkward =
    [
        BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001),
        BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_1234)), -0.0, 0.0, double.PositiveInfinity,
        double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1.0 / 3.0,
    ];

    public static Matrix<double> Random(int rows, int columns, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, columns, (_, _) => rng.NextDouble() * 4 - 2);
    }

    /// <summary>A matrix whose values cycle through <see cref="Awkward"/> and random numbers.</summary>
    public static Matrix<double> AwkwardMatrix(int rows, int columns, int seed)
    {
        var m = Random(rows, columns, seed);
        var data = m.AsColumnMajorArray();
        for (int i = 0; i < data.Length; i += 3) data[i] = Awkward[i / 3 % Awkward.Length];
        return m;
    }

    /// <summary>An exactly symmetric n×n matrix with <see cref="Awkward"/> values on and above the diagonal, mirrored.</summary>
    public static Matrix<double> AwkwardSymmetric(int n, int seed)
    {
        var m = AwkwardMatrix(n, n, seed);
        for (int j = 0; j < n; j++)
            for (int i = j + 1; i < n; i++)
                m[i, j] = m[j, i];
        return m;
    }

    /// <summary>A census with text, a numeric column, a column past the limit, and cells in ordinal order (as the wire writes them).</summary>
    public static CategoryCensus CensusSample()
    {
        var census = new CategoryCensus(["color", "code", "id"]) { Rows = long.MaxValue - 1 };
        census.Text[0] = true;
        census.Counts[0][""] = 1;
        census.Counts[0]["Red, dark"] = 7;
        census.Counts[0]["blue"] = long.MaxValue;
        census.Counts[0]["\u00e9t\u00e9"] = 2;
        census.Counts[1]["01"] = 3;
        census.Counts[1]["1"] = 4;
        census.More[2] = true;
        census.Text[2] = true;
        return census;
    }

    /// <summary>A census taken with a split: its training side's rows and counts (a subset of its counts) travel too.</summary>
    public static CategoryCensus SplitCensusSample()
    {
        var census = new CategoryCensus(["color", "code", "id"], split: true) { Rows = 40, KeptRows = long.MaxValue - 3 };
        census.Text[0] = true;
        census.Counts[0]["Red, dark"] = 7;
        census.Counts[0]["blue"] = 9;
        census.Counts[0]["\u00e9t\u00e9"] = 2;
        census.Kept![0]["Red, dark"] = 5;
        census.Kept[0]["blue"] = long.MaxValue;
        census.Counts[1]["01"] = 3;
        census.Counts[1]["1"] = 4;
        census.Kept[1]["1"] = 4;
        census.More[2] = true;
        census.Text[2] = true;
        return census;
    }

    public static Preprocessor Preprocessing(int d, int t) => Preprocessor.Fit(Random(20, d, 1), Random(20, t, 2), true, true, true);

    /// <param name="leverage">Given: the model records it as a leverage-sampled one (its draws stay plain ones).</param>
    public static KrrModel PrimalModel(IFeatureKernel kernel, int d, int features, int seed, LeverageProvenance? leverage = null)
    {
        var draws = PlainSampler.Sample(kernel, d, features, (ulong)seed);
        return new KrrModel
        {
            ProgramVersion = "0.1.0-test", Kernel = kernel, Lambda = 0.1, Seed = ulong.MaxValue - (ulong)seed,
            Sampling = leverage is null ? "plain" : "leverage", Leverage = leverage,
            Formulation = RidgeFormulation.Primal, FeatureNames = Enumerable.Range(1, d).Select(j => $"x{j} (é, ∑)").ToArray(),
            TargetNames = ["y", "z"], Preprocessing = Preprocessing(d, 2), Draws = draws,
            Coefficients = Random(draws.ColumnCount, 2, seed + 1),
        };
    }

    public static KrrModel ExactModel(IFeatureKernel kernel, int n, int d, int seed) => new()
    {
        ProgramVersion = "0.1.0-test", Kernel = kernel, Lambda = 0.25, Seed = 7, Sampling = "none", Formulation = RidgeFormulation.Exact,
        FeatureNames = Enumerable.Range(1, d).Select(j => $"f{j}").ToArray(), TargetNames = ["target"], Preprocessing = Preprocessing(d, 1),
        TrainingInputs = Random(n, d, seed), DualCoefficients = Random(n, 1, seed + 1),
    };

    public static NetworkModel Network(int width, int d, int seed)
    {
        var rng = new System.Random(seed);
        return new NetworkModel
        {
            ProgramVersion = "0.1.0-test", FeatureNames = Enumerable.Range(1, d).Select(j => $"x{j}").ToArray(), TargetNames = ["y"],
            Preprocessing = Preprocessing(d, 1), Init = "leverage", Leverage = new LeverageProvenance("scalable", 123456), Seed = 99, Setup = new NetworkSetup(width, 0.5, 0.01, 0.3), Steps = 12,
            Weights = Random(width, d, seed), Signs = Enumerable.Range(0, width).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray(),
            Factors = Enumerable.Range(0, width).Select(_ => 0.5 + rng.NextDouble()).ToArray(),
        };
    }

    /// <summary>A <c>train-nn --checkpoint</c> file's model: a network with its resume state, awkward values included.</summary>
    public static NetworkModel CheckpointedNetwork(int width, int d, int seed) => new()
    {
        ProgramVersion = "0.1.0-test", FeatureNames = Enumerable.Range(1, d).Select(j => $"x{j}").ToArray(), TargetNames = ["y"],
        Preprocessing = Preprocessing(d, 1), Init = "gaussian", Seed = 7, Setup = new NetworkSetup(width, 0.5, 0.01, 0.3), Steps = 40,
        Weights = Random(width, d, seed), Signs = Enumerable.Range(0, width).Select(i => i % 3 == 0 ? -1.0 : 1.0).ToArray(),
        Factors = Enumerable.Range(0, width).Select(i => 1.0 + i).ToArray(),
        Checkpoint = new NetworkCheckpoint
        {
            InitialWeights = AwkwardMatrix(width, d, seed + 1), Settings = "width=30;init=gaussian;lambda=0.01", DataFingerprint = "ab12",
            Trajectory = [new TrainingPoint(0, 261.5, 1.25, null), new TrainingPoint(20, double.PositiveInfinity, null, 0.0125), new TrainingPoint(39, -0.0, double.NaN, 3)],
        },
    };

    public static ExactLeverageScorer ExactScorer(IFeatureKernel kernel, int n, int d, int seed)
    {
        var x = Random(n, d, seed);
        return ExactLeverageScorer.Create(kernel, x, kernel.Evaluate(x, x), 0.1);
    }

    public static FirstStageLeverageScorer FirstStageScorer(IFeatureKernel kernel, int n, int d, int seed)
    {
        var x = Random(n, d, seed);
        var firstStage = PlainSampler.Sample(kernel, d, 15, (ulong)seed);
        var z = FeatureMap.Build(firstStage, x);
        return new FirstStageLeverageScorer(kernel, x, firstStage, z.TransposeThisAndMultiply(z), 0.1, 0.3);
    }

    private static NeuronBlockSetup Setup(int count, int d, int n) =>
        new(new NetworkSetup(2500, 1.5, 0.01, 0.125), Random(count, d, 3), Enumerable.Range(0, count).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray(),
            Enumerable.Range(0, count).Select(i => 1.0 + i / 10.0).ToArray(), Random(n, d, 4));

    /// <summary>Samples by message type; a new message type without samples fails the reflection test.</summary>
    /// <summary>The second byte range of a CSV file: first row and lines before it not yet counted.</summary>
    public static DataPartition CsvPartition { get; } = new(0, "/data/parts/part-00001.csv", DataFormat.Csv,
        new FileFingerprint(1L << 33, new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc).AddTicks(7), "0123456789abcdef0123456789abcdef"),
        -1, 67_108_913, 134_217_800, null, null, null);

    /// <summary>A Parquet row group, counted.</summary>
    public static DataPartition ParquetPartition { get; } = new(3, "data/é x.parquet", DataFormat.Parquet,
        new FileFingerprint(5000, DateTime.UnixEpoch, "ffffffffffffffffffffffffffffffff"), 2, 0, 5000, 1000, 3000, null);

    public static IReadOnlyDictionary<Type, Func<INtkMessage[]>> ByType { get; } = new Dictionary<Type, Func<INtkMessage[]>>
    {
        [typeof(BuildGramBlock)] = () =>
        [
            new BuildGramBlock("fit-1a2b3c4d5e6f7-1", 3, PlainSampler.Sample(new RbfKernel(0.5), 3, 7, 1), Random(11, 3, 1), AwkwardMatrix(11, 2, 2)),
            new BuildGramBlock("j", 0, PlainSampler.Sample(new NtkKernel(), 3, 2, 1), Random(0, 3, 1), Random(0, 1, 2)),
        ],
        [typeof(GramBlockComputed)] = () =>
        [
            new GramBlockComputed("j", 1, AwkwardSymmetric(7, 3), AwkwardMatrix(7, 2, 4)),
            new GramBlockComputed("j", 2, AwkwardSymmetric(1, 5), AwkwardMatrix(1, 1, 6)),
            new GramBlockComputed("j", 3, AwkwardSymmetric(0, 5), AwkwardMatrix(0, 3, 6)),
        ],
        [typeof(BuildOuterBlock)] = () => [new BuildOuterBlock("j", 2, PlainSampler.Sample(new LaplaceKernel(0.3), 4, 9, 2), 4, 5, Random(6, 4, 5))],
        [typeof(OuterBlockComputed)] = () => [new OuterBlockComputed("j", 2, AwkwardSymmetric(6, 6)), new OuterBlockComputed("j", 3, AwkwardSymmetric(0, 7))],
        [typeof(ProjectFeatureBlock)] = () =>
            [new ProjectFeatureBlock("j", 5, PlainSampler.Sample(new NtkKernel(), 4, 9, 3), 0, 9, Random(6, 4, 7), Random(6, 3, 8))],
        [typeof(FeatureBlockProjected)] = () => [new FeatureBlockProjected("j", 5, AwkwardMatrix(36, 3, 9))],
        [typeof(BuildKernelRows)] = () => [new BuildKernelRows("j", 1, "rbf:gamma=0.1", Random(3, 2, 10), Random(8, 2, 11))],
        [typeof(KernelRowsComputed)] = () => [new KernelRowsComputed("j", 1, AwkwardMatrix(3, 8, 12))],
        [typeof(ScoreCandidateBlock)] = () =>
        [
            new ScoreCandidateBlock("j", 0, "j-tau", ExactScorer(new RbfKernel(0.4), 12, 3, 13), Random(5, 4, 14)),
            new ScoreCandidateBlock("j", 1, "j-tau", ExactScorer(new NtkKernel(), 12, 3, 15), Random(5, 3, 16)),
            new ScoreCandidateBlock("j", 2, "j-τ", FirstStageScorer(new LaplaceKernel(0.2), 12, 3, 17), Random(5, 4, 18)),
            new ScoreCandidateBlock("j", 3, "j-tau", null, Random(5, 4, 19)),
        ],
        [typeof(ScorerMissing)] = () => [new ScorerMissing("j", 3)],
        [typeof(CandidateBlockScored)] = () => [new CandidateBlockScored("j", 9, Awkward), new CandidateBlockScored("j", 10, [])],
        [typeof(PredictBlock)] = () =>
        [
            new PredictBlock("j", 0, PrimalModel(new RbfKernel(0.5), 3, 6, 19), Random(4, 3, 20)),
            new PredictBlock("j", 1, ExactModel(new LaplaceKernel(0.5), 9, 3, 21), Random(4, 3, 22)),
            new PredictBlock("j", 2, Network(5, 3, 23), Random(4, 3, 24)),
        ],
        [typeof(BlockPredicted)] = () => [new BlockPredicted("j", 0, AwkwardMatrix(4, 2, 25))],
        [typeof(BlockFailed)] = () => [new BlockFailed("j", 4, "NumericalFailureException: K+λI is not positive definite — ✗"), new BlockFailed("", -1, "")],
        [typeof(LoadNeuronBlock)] = () =>
        [
            new LoadNeuronBlock("nn-1", 1, Setup(5, 3, 8), Random(5, 3, 26), 500, [Awkward, [], [1.0, 2.0]]),
            new LoadNeuronBlock("nn-1", 0, Setup(5, 3, 8), Random(5, 3, 27), 0, Array.Empty<double[]>()),
        ],
        [typeof(NeuronBlockLoaded)] = () => [new NeuronBlockLoaded("nn-1", 1, 502, Awkward, 12.5)],
        [typeof(NeuronStep)] = () => [new NeuronStep("nn-1", 2, 41, Awkward)],
        [typeof(NeuronStepDone)] = () => [new NeuronStepDone("nn-1", 2, 42, Awkward, double.NaN)],
        [typeof(NeuronBlockMissing)] = () => [new NeuronBlockMissing("nn-1", 2, null), new NeuronBlockMissing("nn-1", 2, 17)],
        [typeof(InspectNeuronBlock)] = () => [new InspectNeuronBlock("nn-1", 0, 40, null, false), new InspectNeuronBlock("nn-1", 0, 40, Random(3, 3, 28), true)],
        [typeof(NeuronBlockInspected)] = () =>
        [
            new NeuronBlockInspected("nn-1", 0, 40, AwkwardMatrix(5, 3, 29), 0.75, long.MaxValue, AwkwardSymmetric(8, 30), AwkwardSymmetric(8, 31), Awkward),
            new NeuronBlockInspected("nn-1", 1, 40, Random(5, 3, 32), -0.0, 0, null, null, null),
        ],
        [typeof(ReleaseNeuronBlock)] = () => [new ReleaseNeuronBlock("nn-1", 3)],
        [typeof(CountPartition)] = () => [new CountPartition("fit-1", 0, CsvPartition), new CountPartition("fit-1", 3, ParquetPartition)],
        [typeof(PartitionCounted)] = () => [new PartitionCounted("fit-1", 3, 1_000_000, 0), new PartitionCounted("fit-1", 0, long.MaxValue, -1)],
        [typeof(ComputePartitionMoments)] = () =>
        [
            new ComputePartitionMoments("fit-1", 0, CsvPartition, new PartitionColumns(["a", "b"], ["y"], null), null),
            new ComputePartitionMoments("fit-1", 3, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], ["z", "a", "y"]),
                new RowSplit(ulong.MaxValue, 0.2, false)),
            // --separator and --missing on a partitioned dataset: the policy, the fills, a median search's step.
            new ComputePartitionMoments("fit-1", 1, CsvPartition, new PartitionColumns(["a", "b"], ["y"], null)
            {
                Separator = '\t', Missing = MissingPolicy.Median, Fills = [-0.0, double.Epsilon],
                Probe = new MedianProbe([ulong.MaxValue, 0, 0x8000_0000_0000_0001UL, 7], 3),
            }, null),
            new ComputePartitionMoments("fit-1", 2, CsvPartition, new PartitionColumns(["a"], ["y"], null) { Separator = ';', Missing = MissingPolicy.Refuse }, null),
            // Categorical features on a partitioned dataset: the encoding (text and numeric codes, with and without a fill),
            // read where the partition is, and --unknown-category error.
            new ComputePartitionMoments("fit-1", 4, CsvPartition, new PartitionColumns(["a", "c=blue", "c=red", "k=2", "k=10"], ["y"], null)
            {
                Missing = MissingPolicy.Mean, UnknownCategoryIsError = true,
                Categorical =
                [
                    new CategoricalColumn { Name = "c", Categories = ["blue", "red"], Fill = "red" },
                    new CategoricalColumn { Name = "k", Codes = true, Categories = ["2", "10"] },
                ],
            }, null),
        ],
        [typeof(PartitionMomentsComputed)] = () =>
        [
            new PartitionMomentsComputed("fit-1", 2, new PartitionMoments(ColumnMoments.FromState(7, Awkward[..4], Awkward[4..8]), ColumnMoments.Of(Random(9, 2, 33)))),
            new PartitionMomentsComputed("fit-1", 0, new PartitionMoments(new ColumnMoments(0), new ColumnMoments(1))),
            new PartitionMomentsComputed("fit-1", 1, new PartitionMoments(ColumnMoments.Of(Random(4, 2, 34)), new ColumnMoments(1))
            {
                Missing = new MissingCensus(2, 1, histogram: true) { Rows = 9, WithoutTarget = 2, DroppedIncomplete = long.MaxValue, PresentSums = [Awkward[0], -0.0] },
            }),
        ],
        [typeof(BuildPartitionGram)] = () =>
        [
            new BuildPartitionGram("fit-1", 1, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(3, 0.5, true),
                Preprocessing(3, 1), PlainSampler.Sample(new RbfKernel(0.5), 3, 7, 1)),
            new BuildPartitionGram("fit-1", 3, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], ["a", "y", "z"]), null,
                new Preprocessor(), PlainSampler.Sample(new NtkKernel(), 1, 2, 1)),
            // A fold's training side within a split's training side, and a fold of every row (cross-validation's per-fold fits).
            new BuildPartitionGram("cv-1-f2-k0-l1", 2, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null),
                RowSplit.OfFold(new RowSplit(3, 0.5, false), new RowFolds(ulong.MaxValue, 7), 6, held: false), Preprocessing(3, 1),
                PlainSampler.Sample(new RbfKernel(0.5), 3, 7, 1)),
            new BuildPartitionGram("cv-1-f0-k0-l0", 0, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], null),
                RowSplit.OfFold(null, new RowFolds(5, 2), 0, held: true), new Preprocessor(), PlainSampler.Sample(new NtkKernel(), 1, 2, 1)),
        ],
        [typeof(PartitionGramComputed)] = () =>
        [
            new PartitionGramComputed("fit-1", 1, new PartitionGram(AwkwardSymmetric(7, 34), AwkwardMatrix(7, 2, 35), Awkward[..2], 4096)),
            new PartitionGramComputed("fit-1", 0, new PartitionGram(AwkwardSymmetric(0, 36), AwkwardMatrix(0, 1, 37), [0.0], 0)),
        ],
        [typeof(PartitionSquaredErrors)] = () =>
        [
            new PartitionSquaredErrors("fit-1-test", 0, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), null,
                PrimalModel(new RbfKernel(0.5), 3, 6, 38)),
            new PartitionSquaredErrors("fit-1-test", 3, ParquetPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(1, 0.1, true),
                PrimalModel(new NtkKernel(), 3, 4, 39)),
        ],
        [typeof(PartitionErrorsComputed)] = () =>
            [new PartitionErrorsComputed("fit-1-test", 2, SquaredErrorSum.FromState(12, Awkward)), new PartitionErrorsComputed("j", 0, new SquaredErrorSum(1))],
        [typeof(PartitionUnreadable)] = () =>
            [new PartitionUnreadable("fit-1", 2, "10.0.0.7:4053", "/data/part-0002.csv: the file is gone since the job started — ✗"), new PartitionUnreadable("", 0, "", "")],
        [typeof(WritePartitionPredictions)] = () =>
        [
            new WritePartitionPredictions("predict-1", 0, CsvPartition, PrimalModel(new RbfKernel(0.5), 3, 6, 40), null, 1,
                "/out/.predictions.0a1b2c3d4e5f.partial", "part-00000.csv"),
            new WritePartitionPredictions("predict-1", 3, ParquetPartition,
                PrimalModel(new NtkKernel(), 3, 4, 41).AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [-3, 7])),
                ["b", "a", "label"], long.MaxValue, "/out/é x/.ntk-partial-ffffffffffff", "part-100003.csv"),
            new WritePartitionPredictions("predict-1", 1, CsvPartition, PrimalModel(new RbfKernel(0.5), 3, 6, 40), ["a", "b", "c"], 7,
                "/out/.predictions.0a1b2c3d4e5f.partial", "part-00001.csv") { Keep = ["id", "nom, é", ""] },
        ],
        [typeof(StreamPartitionPredictions)] = () =>
        [
            new StreamPartitionPredictions("predict-2", 0, CsvPartition, PrimalModel(new RbfKernel(0.5), 3, 6, 42), null, 1, "part-00000.csv",
                "akka.tcp://ntk@10.0.0.1:4053/user/gateway/job-0a1b"),
            new StreamPartitionPredictions("predict-2", 3, ParquetPartition,
                PrimalModel(new NtkKernel(), 3, 4, 43).AsClassifier(new NtkCluster.Numerics.Classification.ClassLabels("label", [-3, 7])),
                ["b", "a", "label"], long.MaxValue, "part-100003.csv", ""),
            new StreamPartitionPredictions("predict-2", 1, CsvPartition, PrimalModel(new RbfKernel(0.5), 3, 6, 42), ["a", "b", "c"], 7, "part-00001.csv",
                "akka.tcp://ntk@10.0.0.1:4053/user/gateway/job-0a1b") { Keep = ["id", "nom, é"] },
        ],
        [typeof(PartitionPredictionsWritten)] = () =>
        [
            new PartitionPredictionsWritten("predict-1", 2, new PredictionPart("part-00002.csv", 1_000_000, 21_474_836_480, "0123456789abcdef0123456789abcdef")),
            new PartitionPredictionsWritten("", 0, new PredictionPart("", 0, 0, "")),
            // A part with categories unseen in training: its row count and each categorical column's cells, last in the payload.
            new PartitionPredictionsWritten("predict-2", 1, new PredictionPart("part-00001.csv", 300, 4_096, "ffeeddccbbaa99887766554433221100")
            {
                UnseenCategoryRows = 7,
                UnseenPerColumn = [5, 0, long.MaxValue],
            }),
        ],
        [typeof(FindPartitionSampleKeys)] = () =>
        [
            new FindPartitionSampleKeys("spectral-1-sample-k1", 0, CsvPartition, null, 0, 3000, ulong.MaxValue),
            new FindPartitionSampleKeys("spectral-1-sample-k2", 3, ParquetPartition, new RowSplit(9, 0.3, false), ulong.MaxValue, 1, 0x8000_0000_0000_0001UL),
        ],
        [typeof(PartitionSampleKeysFound)] = () =>
        [
            new PartitionSampleKeysFound("spectral-1-sample-k1", 2, [new RowSampleKey(0, 0), new RowSampleKey(7, long.MaxValue), new RowSampleKey(ulong.MaxValue, 12)]),
            new PartitionSampleKeysFound("spectral-1-sample-k1", 0, []),
        ],
        [typeof(ReadPartitionRows)] = () =>
        [
            new ReadPartitionRows("spectral-1-sample-rows", 4, CsvPartition, new PartitionColumns(["a", "b"], ["y"], null), [0, 5, 1_000_000_000_000]),
            new ReadPartitionRows("spectral-1-sample-rows", 0, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], ["z", "a", "y"]), []),
        ],
        [typeof(PartitionRowsRead)] = () =>
        [
            new PartitionRowsRead("spectral-1-sample-rows", 4, new SampledRows([3, 9, long.MaxValue], AwkwardMatrix(3, 2, 40), AwkwardMatrix(3, 1, 41))),
            new PartitionRowsRead("spectral-1-sample-rows", 0, new SampledRows([], AwkwardMatrix(0, 2, 42), AwkwardMatrix(0, 2, 43))),
        ],
        [typeof(ScorePartitionCandidates)] = () =>
        [
            new ScorePartitionCandidates("fit-1-tau", 5, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(3, 0.5, false),
                Preprocessing(3, 1), PlainSampler.Sample(new RbfKernel(0.5), 3, 7, 1), AwkwardMatrix(4, 3, 42)),
            new ScorePartitionCandidates("fit-1-tau", 0, ParquetPartition, new PartitionColumns(["a"], ["y"], null), null,
                new Preprocessor(), PlainSampler.Sample(new NtkKernel(), 1, 2, 1), Random(1, 1, 43)),
        ],
        [typeof(PartitionCandidatesScored)] = () =>
        [
            new PartitionCandidatesScored("fit-1-tau", 5, new FirstStageScoreSums(AwkwardMatrix(6, 8, 44), Awkward[..8], 1300)),
            new PartitionCandidatesScored("fit-1-tau", 0, FirstStageScoreSums.Zero(0, 0)),
        ],
        [typeof(FindPartitionLabels)] = () =>
        [
            new FindPartitionLabels("fit-1-labels", 0, CsvPartition, new PartitionColumns(["a", "b"], ["label"], null) { Classify = true }, null),
            new FindPartitionLabels("fit-1-labels", 3, ParquetPartition, new PartitionColumns(["a"], ["y"], ["a", "y"])
                { Classify = true, Classes = new NtkCluster.Numerics.Classification.ClassLabels("y", [long.MinValue, -1, 0, 7]) },
                new RowSplit(4, 0.25, true)),
        ],
        [typeof(PartitionLabelsFound)] = () =>
            [new PartitionLabelsFound("fit-1-labels", 2, [long.MinValue, -3, 0, 9, long.MaxValue]), new PartitionLabelsFound("j", 0, [])],
        [typeof(TakePartitionCategoryCensus)] = () =>
        [
            new TakePartitionCategoryCensus("scan-1-census", 0, CsvPartition, new PartitionColumns(["color", "size"], ["y"], null) { Separator = ';' }),
            new TakePartitionCategoryCensus("scan-1-census", 2, ParquetPartition, new PartitionColumns(["a"], ["y"], ["a", "y"])),
            new TakePartitionCategoryCensus("scan-2-census", 1, CsvPartition, new PartitionColumns(["color"], ["y"], null), new RowSplit(7, 0.3, TestSide: false)),
        ],
        [typeof(PartitionCategoryCensusTaken)] = () =>
        [
            new PartitionCategoryCensusTaken("scan-1-census", 1, CensusSample()),
            new PartitionCategoryCensusTaken("scan-2-census", 1, SplitCensusSample()),
            new PartitionCategoryCensusTaken("j", 0, new CategoryCensus([])),
        ],
        [typeof(ScanPartitionTextLabels)] = () =>
        [
            new ScanPartitionTextLabels("scan-1-labels", 0, CsvPartition, new PartitionColumns(["a", "b"], ["kind"], null) { Classify = true }, null),
            new ScanPartitionTextLabels("scan-1-labels", 3, CsvPartition, new PartitionColumns(["a"], ["kind"], ["a", "kind"]) { Classify = true },
                new RowSplit(4, 0.25, false)),
        ],
        [typeof(PartitionTextLabelsScanned)] = () =>
        [
            new PartitionTextLabelsScanned("scan-1-labels", 2, new TextLabelPartial(true, false, ["SUV", "sedan, 4-door", "\u00e9t\u00e9", ""], 160)),
            new PartitionTextLabelsScanned("j", 0, new TextLabelPartial(false, true, [], 0)),
        ],
        [typeof(ScorePartitionClassifier)] = () =>
        [
            new ScorePartitionClassifier("fit-1-train-accuracy", 1, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null) { Classify = true },
                null, PrimalModel(new RbfKernel(0.5), 3, 6, 45), new NtkCluster.Numerics.Classification.ClassLabels("y=", [1, 2])),
            // Text classes: their names travel with the classes and with the classifier model.
            new ScorePartitionClassifier("fit-2-test-accuracy", 0, CsvPartition, new PartitionColumns(["a", "b", "c"], ["kind"], null) { Classify = true },
                null, PrimalModel(new RbfKernel(0.5), 3, 6, 46).AsClassifier(NtkCluster.Numerics.Classification.ClassLabels.Named("kind", ["Bus", "a, b"])),
                NtkCluster.Numerics.Classification.ClassLabels.Named("kind", ["Bus", "a, b"])),
        ],
        [typeof(PartitionClassifierScored)] = () =>
        [
            new PartitionClassifierScored("fit-1-train-accuracy", 4, new NtkCluster.Numerics.Classification.ClassificationScore(97, 100, 2, [-5, 11])),
            new PartitionClassifierScored("j", 0, NtkCluster.Numerics.Classification.ClassificationScore.None),
            new PartitionClassifierScored("fit-1-test-accuracy", 2,
                new NtkCluster.Numerics.Classification.ClassificationScore(5, 7, 1, [-1]) { Confusion = [3, 1, 0, 2] }),
        ],
        [typeof(ComputePartitionNetwork)] = () =>
        [
            new ComputePartitionNetwork("nn-1-s7", 2, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(4, 0.3, false),
                Preprocessing(3, 1), new NetworkPoint(NetworkRoundKind.Gradient, AwkwardMatrix(5, 3, 40), Awkward[..5], -0.0, null)),
            new ComputePartitionNetwork("nn-1-h0-3", 0, ParquetPartition, new PartitionColumns(["a"], ["y"], ["y", "a"]), null,
                new Preprocessor(), new NetworkPoint(NetworkRoundKind.KernelProduct, Random(4, 1, 41), [0.5, 0.5, 0.5, 0.5], 1.0, AwkwardMatrix(4, 1, 42))),
        ],
        [typeof(PartitionNetworkComputed)] = () =>
        [
            new PartitionNetworkComputed("nn-1-s7", 2, new NetworkRoundPartial(AwkwardMatrix(5, 3, 43), double.NaN, 4096, long.MaxValue)),
            new PartitionNetworkComputed("nn-1-s7", 0, NetworkRoundPartial.Zero(0, 2)),
        ],
        [typeof(ComputePartitionGap)] = () =>
        [
            new ComputePartitionGap("nn-1-gap", 1, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(2, 0.4, true),
                Network(30, 3, 5), PrimalModel(new NtkKernel(), 3, 4, 44)),
            new ComputePartitionGap("nn-1-gap", 0, ParquetPartition, new PartitionColumns(["a", "b", "c"], ["y"], ["c", "b", "a", "y"]), null,
                PrimalModel(new RbfKernel(0.5), 3, 6, 45), Network(20, 3, 6)),
        ],
        [typeof(PartitionGapComputed)] = () =>
            [new PartitionGapComputed("nn-1-gap", 3, new PredictionGap(Awkward[0], -0.0, long.MaxValue)), new PartitionGapComputed("j", 0, PredictionGap.Zero)],
        [typeof(BuildPartitionFoldGrams)] = () =>
        [
            new BuildPartitionFoldGrams("cv-1-k0-gram", 1, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), new RowSplit(3, 0.5, false),
                new RowFolds(ulong.MaxValue, 5), Preprocessing(3, 1), PlainSampler.Sample(new RbfKernel(0.5), 3, 7, 1)),
            new BuildPartitionFoldGrams("cv-1-k1-gram", 3, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], ["a", "y", "z"]), null,
                new RowFolds(0, 2), new Preprocessor(), PlainSampler.Sample(new NtkKernel(), 1, 2, 1)),
        ],
        [typeof(PartitionFoldGramsComputed)] = () =>
        [
            new PartitionFoldGramsComputed("cv-1-k0-gram", 1, [new PartitionGram(AwkwardSymmetric(7, 40), AwkwardMatrix(7, 2, 41), Awkward[..2], 4096),
                new PartitionGram(AwkwardSymmetric(7, 42), AwkwardMatrix(7, 2, 43), Awkward[2..4], 0)]),
            new PartitionFoldGramsComputed("cv-1-k0-gram", 0, []),
        ],
        [typeof(PartitionFoldSquaredErrors)] = () =>
        [
            new PartitionFoldSquaredErrors("cv-1-k0-err", 0, CsvPartition, new PartitionColumns(["a", "b", "c"], ["y"], null), null, new RowFolds(7, 3),
                new FoldModels(Preprocessing(3, 1), PlainSampler.Sample(new RbfKernel(0.5), 3, 4, 2),
                    [AwkwardMatrix(8, 2, 44), Random(8, 2, 45), Random(8, 2, 46)], 2)),
            new PartitionFoldSquaredErrors("cv-1-k0-err", 2, ParquetPartition, new PartitionColumns(["a"], ["y", "z"], null), new RowSplit(1, 0.1, false),
                new RowFolds(7, 2), new FoldModels(new Preprocessor(), PlainSampler.Sample(new NtkKernel(), 1, 2, 1), [Random(2, 2, 47), Random(2, 2, 48)], 1)),
        ],
        [typeof(PartitionFoldErrorsComputed)] = () =>
        [
            new PartitionFoldErrorsComputed("cv-1-k0-err", 2, [SquaredErrorSum.FromState(12, Awkward), SquaredErrorSum.FromState(0, [0.5, -0.0])]),
            new PartitionFoldErrorsComputed("j", 0, []),
        ],
        [typeof(BlockCommandChunk)] = () =>
        [
            new BlockCommandChunk("fit-1.gram.3", long.MaxValue, 2, 3, "gram", [0, 1, 2, 255, 128]),
            new BlockCommandChunk("j.score.0", 0, 0, 1, "score", []),
        ],
        [typeof(BlockReplyChunk)] = () =>
        [
            new BlockReplyChunk(637_000_000_000_000_001, 0, 10, "gram-r", Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
            new BlockReplyChunk(-1, 4, 5, "krows-r", []),
        ],
    };
}

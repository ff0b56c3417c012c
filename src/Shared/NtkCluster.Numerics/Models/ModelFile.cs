using System.Text.Json;
using System.Text.Json.Serialization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Models;

/// <summary>
/// The model file: UTF-8 JSON, documented in docs/model-format.md. JSON because users open model files to see
/// what they hold; doubles are written in shortest round-trip form, so nothing is lost. Written atomically.
/// </summary>
public static class ModelFile
{
    public const string FormatTag = "ntk-model";

    /// <summary>The newest version this program reads. Version 2 adds classifiers (<c>task</c>, <c>label_column</c>,
    /// <c>classes</c>); regression models are still written as version 1, so older programs keep reading them, and
    /// refuse a classifier instead of mistaking its class scores for predictions.</summary>
    public const int FormatVersion = 2;

    private const int RegressionFormatVersion = 1;

    // Members the document does not know are skipped (System.Text.Json's default, kept on purpose): optional fields
    // added later, such as leverage_mode and pool, leave files readable by the programs that predate them.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Save(KrrModel model, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(ToDocument(model), Options) + "\n");

    public static void Save(NetworkModel model, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(ToDocument(model), Options) + "\n");

    /// <summary>A kernel ridge model; a network model file is refused with a message saying so.</summary>
    public static KrrModel Load(string path) => LoadAny(path) as KrrModel
        ?? throw new InvalidInputException($"{path}: is a network model, not a kernel ridge model");

    /// <summary>Any model this program writes: kernel ridge (exact or random features) or a trained network.</summary>
    public static IPredictiveModel LoadAny(string path)
    {
        if (Directory.Exists(path)) throw new InvalidInputException($"{path}: is a directory, not a model file");
        if (!File.Exists(path)) throw new InvalidInputException($"model file not found: {path}");
        ModelDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<ModelDocument>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $":{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new InvalidInputException($"{path}{where}: not a readable NtkCluster model (truncated or not JSON)");
        }
        if (doc is null || doc.Format != FormatTag)
            throw new InvalidInputException($"{path}: not an NtkCluster model file (no \"format\": \"{FormatTag}\")");
        if (doc.FormatVersion is not int version || version < 1 || version > FormatVersion)
            throw new InvalidInputException($"{path}: model format version {doc.FormatVersion} is not supported (this program reads 1..{FormatVersion})");
        try
        {
            return FromDocument(doc);
        }
        catch (Exception e) when (e is ArgumentException or NullReferenceException or InvalidOperationException or InvalidInputException)
        {
            throw new InvalidInputException($"{path}: inconsistent model file: {e.Message}");
        }
    }

    private static ModelDocument ToDocument(KrrModel m) => new()
    {
        Format = FormatTag,
        FormatVersion = m.IsClassifier ? FormatVersion : RegressionFormatVersion,
        Task = m.IsClassifier ? "classify" : null,
        LabelColumn = m.Classes?.Column,
        Classes = m.Classes?.Labels,
        ProgramVersion = m.ProgramVersion,
        Kind = m.IsExact ? "exact" : "random-features",
        Formulation = m.Formulation.ToString().ToLowerInvariant(),
        Kernel = m.Kernel.Spec,
        Lambda = m.Lambda,
        Seed = m.Seed,
        Sampling = m.Sampling,
        FeatureNames = m.FeatureNames,
        TargetNames = m.TargetNames,
        Preprocessing = m.Preprocessing,
        Draws = m.Draws is null ? null : StoredMatrix.From(m.Draws.Draws),
        Weights = m.Draws?.Weights,
        Coefficients = m.Coefficients is null ? null : StoredMatrix.From(m.Coefficients),
        TrainingInputs = m.TrainingInputs is null ? null : StoredMatrix.From(m.TrainingInputs),
        DualCoefficients = m.DualCoefficients is null ? null : StoredMatrix.From(m.DualCoefficients),
        LeverageMode = m.Leverage?.Mode,
        Pool = m.Leverage?.Pool,
    };

    private static ModelDocument ToDocument(NetworkModel m) => new()
    {
        Format = FormatTag,
        FormatVersion = RegressionFormatVersion,
        ProgramVersion = m.ProgramVersion,
        Kind = "network",
        Formulation = "network",
        Kernel = "ntk",
        Lambda = m.Setup.Lambda,
        Seed = m.Seed,
        Sampling = m.Init,
        LeverageMode = m.Leverage?.Mode,
        Pool = m.Leverage?.Pool,
        FeatureNames = m.FeatureNames,
        TargetNames = m.TargetNames,
        Preprocessing = m.Preprocessing,
        Kappa = m.Setup.Kappa,
        LearningRate = m.Setup.LearningRate,
        Steps = m.Steps,
        NetworkWeights = StoredMatrix.From(m.Weights),
        Signs = m.Signs,
        Factors = m.Factors,
        Checkpoint = m.Checkpoint is not { } c ? null : new StoredCheckpoint
        {
            InitialWeights = StoredMatrix.From(c.InitialWeights), Settings = c.Settings, DataFingerprint = c.DataFingerprint,
            // A diverged run's loss can be infinite, which JSON cannot hold: it is stored as null and read back as NaN.
            Trajectory = c.Trajectory.Select(p => new StoredPoint
            {
                Step = p.Step, Loss = double.IsFinite(p.Loss) ? p.Loss : null, TrainGap = Finite(p.TrainGap), KernelDrift = Finite(p.KernelDrift),
            }).ToArray(),
        },
    };

    private static double? Finite(double? v) => v is double x && double.IsFinite(x) ? x : null;

    private static IPredictiveModel FromDocument(ModelDocument d)
    {
        if (d.Task is not (null or "regress" or "classify")) throw new InvalidInputException($"unknown task '{d.Task}' (known: regress, classify)");
        if (d.Formulation == "network")
        {
            if (d.Task == "classify") throw new InvalidInputException("a network model cannot be a classifier");
            return NetworkFromDocument(d);
        }
        var model = KrrFromDocument(d);
        if (d.Task != "classify") return model;
        var column = Required(d.LabelColumn, "label_column");
        var labels = Required(d.Classes, "classes");
        if (labels.Length != model.TargetNames.Length)
            throw new InvalidInputException($"{labels.Length} classes for {model.TargetNames.Length} score columns");
        return model.AsClassifier(new ClassLabels(column, labels));
    }

    private static NetworkModel NetworkFromDocument(ModelDocument d)
    {
        var features = Required(d.FeatureNames, "feature_names");
        var targets = Required(d.TargetNames, "target_names");
        var pre = Required(d.Preprocessing, "preprocessing");
        CheckPreprocessing(pre, features, targets);
        if (targets.Length != 1) throw new InvalidInputException("a network model has exactly one target");
        var w = Required(d.NetworkWeights, "network_weights").ToMatrix(-1, features.Length, "network_weights");
        var signs = Required(d.Signs, "signs");
        var factors = Required(d.Factors, "factors");
        if (signs.Length != w.RowCount || factors.Length != w.RowCount)
            throw new InvalidInputException($"signs and factors need {w.RowCount} entries, one per neuron");
        if (signs.Any(a => a is not (1.0 or -1.0))) throw new InvalidInputException("signs must be +1 or -1");
        if (factors.Any(c => !(c > 0) || !double.IsFinite(c))) throw new InvalidInputException("factors must be finite and positive");
        if (d.Kappa is not double kappa || !(kappa > 0) || !double.IsFinite(kappa)) throw new InvalidInputException("kappa must be a positive number");
        if (!(d.Lambda > 0)) throw new InvalidInputException("lambda must be > 0");
        string init = d.Sampling ?? "gaussian";
        return new NetworkModel
        {
            ProgramVersion = d.ProgramVersion ?? "", FeatureNames = features, TargetNames = targets, Preprocessing = pre,
            Init = init, Leverage = LeverageFromDocument(d, init), Seed = d.Seed, Steps = d.Steps ?? 0,
            Setup = new Networks.NetworkSetup(w.RowCount, kappa, d.Lambda, d.LearningRate ?? 0),
            Weights = w, Signs = signs, Factors = factors,
            Checkpoint = d.Checkpoint is not { } c ? null : new NetworkCheckpoint
            {
                InitialWeights = Required(c.InitialWeights, "checkpoint.initial_weights").ToMatrix(w.RowCount, features.Length, "checkpoint.initial_weights"),
                Settings = Required(c.Settings, "checkpoint.settings"),
                DataFingerprint = Required(c.DataFingerprint, "checkpoint.data_fingerprint"),
                Trajectory = Required(c.Trajectory, "checkpoint.trajectory")
                    .Select(p => new CheckpointPoint(p.Step, p.Loss ?? double.NaN, p.TrainGap, p.KernelDrift)).ToArray(),
            },
        };
    }

    private static void CheckPreprocessing(Preprocessor pre, string[] features, string[] targets)
    {
        if (pre.FeatureMeans.Length != features.Length || pre.FeatureScales.Length != features.Length
            || pre.TargetMeans.Length != targets.Length || pre.TargetScales.Length != targets.Length)
            throw new InvalidInputException("preprocessing does not match the feature and target names");
        if (features.Distinct().Count() != features.Length || targets.Distinct().Count() != targets.Length)
            throw new InvalidInputException("duplicate column names");
        if (pre.FeatureScales.Concat(pre.TargetScales).Any(v => !(v > 0) || !double.IsFinite(v))
            || pre.FeatureMeans.Concat(pre.TargetMeans).Any(v => !double.IsFinite(v)))
            throw new InvalidInputException("preprocessing has a non-finite mean or a scale that is not positive");
    }

    private static KrrModel KrrFromDocument(ModelDocument d)
    {
        var kernel = KernelSpec.Parse(Required(d.Kernel, "kernel"));
        var features = Required(d.FeatureNames, "feature_names");
        var targets = Required(d.TargetNames, "target_names");
        var pre = Required(d.Preprocessing, "preprocessing");
        CheckPreprocessing(pre, features, targets);
        if (!(d.Lambda > 0)) throw new InvalidInputException("lambda must be > 0");
        var formulation = Required(d.Formulation, "formulation") switch
        {
            "exact" => RidgeFormulation.Exact,
            "primal" => RidgeFormulation.Primal,
            "dual" => RidgeFormulation.Dual,
            var other => throw new InvalidInputException($"unknown formulation '{other}'"),
        };
        int dims = features.Length, t = targets.Length;
        // Without "sampling": none for an exact model, plain for random features (the readers' long-standing defaults).
        string sampling = d.Sampling ?? (formulation == RidgeFormulation.Exact ? "none" : "plain");
        if (formulation == RidgeFormulation.Exact)
        {
            var x = Required(d.TrainingInputs, "training_inputs").ToMatrix(-1, dims, "training_inputs");
            var alpha = Required(d.DualCoefficients, "dual_coefficients").ToMatrix(x.RowCount, t, "dual_coefficients");
            return new KrrModel
            {
                ProgramVersion = d.ProgramVersion ?? "", Kernel = kernel, Lambda = d.Lambda, Seed = d.Seed,
                Sampling = sampling, Leverage = LeverageFromDocument(d, sampling), Formulation = formulation,
                FeatureNames = features, TargetNames = targets, Preprocessing = pre, TrainingInputs = x, DualCoefficients = alpha,
            };
        }
        var w = Required(d.Draws, "draws").ToMatrix(-1, kernel.DrawDimension(dims), "draws");
        var weights = Required(d.Weights, "weights");
        if (weights.Length != w.RowCount) throw new InvalidInputException($"weights has {weights.Length} entries for {w.RowCount} draws");
        var draws = new FeatureDraws(kernel, dims, w, weights);
        var beta = Required(d.Coefficients, "coefficients").ToMatrix(draws.ColumnCount, t, "coefficients");
        return new KrrModel
        {
            ProgramVersion = d.ProgramVersion ?? "", Kernel = kernel, Lambda = d.Lambda, Seed = d.Seed,
            Sampling = sampling, Leverage = LeverageFromDocument(d, sampling), Formulation = formulation,
            FeatureNames = features, TargetNames = targets, Preprocessing = pre, Draws = draws, Coefficients = beta,
        };
    }

    /// <summary>
    /// <c>leverage_mode</c> and <c>pool</c>: both or neither, and only on a model sampled (or a network initialized) by
    /// leverage scores. Neither is what files from before they were recorded have, so that still loads, as unknown.
    /// </summary>
    private static LeverageProvenance? LeverageFromDocument(ModelDocument d, string sampling)
    {
        if (d.LeverageMode is null && d.Pool is null) return null;
        if (sampling != "leverage")
            throw new InvalidInputException($"\"leverage_mode\" and \"pool\" belong to leverage-sampled models, not to sampling '{sampling}'");
        var mode = Required(d.LeverageMode, "leverage_mode");
        if (d.Pool is not int pool) throw new InvalidInputException("missing \"pool\" (it goes with \"leverage_mode\")");
        if (!LeverageProvenance.Modes.Contains(mode))
            throw new InvalidInputException($"unknown leverage_mode '{mode}' (known: {string.Join(", ", LeverageProvenance.Modes)})");
        if (pool < 1) throw new InvalidInputException($"pool must be at least 1, got {pool}");
        return new LeverageProvenance(mode, pool);
    }

    private static T Required<T>(T? value, string name) where T : class =>
        value ?? throw new InvalidInputException($"missing \"{name}\"");

    /// <summary>The on-disk shape of a model; see docs/model-format.md.</summary>
    private sealed class ModelDocument
    {
        public string? Format { get; set; }
        public int? FormatVersion { get; set; }
        public string? ProgramVersion { get; set; }
        public string? Kind { get; set; }
        public string? Task { get; set; }
        public string? LabelColumn { get; set; }
        public long[]? Classes { get; set; }
        public string? Formulation { get; set; }
        public string? Kernel { get; set; }
        public double Lambda { get; set; }
        public ulong Seed { get; set; }
        public string? Sampling { get; set; }
        public string? LeverageMode { get; set; }
        public int? Pool { get; set; }
        public string[]? FeatureNames { get; set; }
        public string[]? TargetNames { get; set; }
        public Preprocessor? Preprocessing { get; set; }
        public StoredMatrix? Draws { get; set; }
        public double[]? Weights { get; set; }
        public StoredMatrix? Coefficients { get; set; }
        public StoredMatrix? TrainingInputs { get; set; }
        public StoredMatrix? DualCoefficients { get; set; }
        public double? Kappa { get; set; }
        public double? LearningRate { get; set; }
        public int? Steps { get; set; }
        public StoredMatrix? NetworkWeights { get; set; }
        public double[]? Signs { get; set; }
        public double[]? Factors { get; set; }
        public StoredCheckpoint? Checkpoint { get; set; }
    }

    /// <summary>A train-nn checkpoint's resume state (<see cref="NetworkCheckpoint"/>).</summary>
    private sealed class StoredCheckpoint
    {
        public StoredMatrix? InitialWeights { get; set; }
        public string? Settings { get; set; }
        public string? DataFingerprint { get; set; }
        public StoredPoint[]? Trajectory { get; set; }
    }

    private sealed class StoredPoint
    {
        public int Step { get; set; }
        public double? Loss { get; set; }
        public double? TrainGap { get; set; }
        public double? KernelDrift { get; set; }
    }

    /// <summary>A matrix as rows, columns and its values in row-major order.</summary>
    private sealed class StoredMatrix
    {
        public int Rows { get; set; }
        public int Cols { get; set; }
        public double[]? Values { get; set; }

        public static StoredMatrix From(Matrix<double> m) => new()
        {
            Rows = m.RowCount, Cols = m.ColumnCount, Values = m.ToRowMajorArray(),
        };

        public Matrix<double> ToMatrix(int expectedRows, int expectedCols, string name)
        {
            if (Values is null || Rows <= 0 || Cols <= 0 || (long)Rows * Cols != Values.Length)
                throw new InvalidInputException($"\"{name}\" is not a {Rows}×{Cols} matrix");
            if (Cols != expectedCols || (expectedRows >= 0 && Rows != expectedRows))
                throw new InvalidInputException($"\"{name}\" is {Rows}×{Cols}, expected {(expectedRows >= 0 ? expectedRows.ToString() : "n")}×{expectedCols}");
            return Matrix<double>.Build.DenseOfRowMajor(Rows, Cols, Values);
        }
    }
}

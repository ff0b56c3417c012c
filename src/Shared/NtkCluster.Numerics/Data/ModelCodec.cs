using System.Text.Json;
using System.Text.Json.Serialization;
using NtkCluster.Numerics.Classification;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Models;
using NtkCluster.Numerics.Networks;
using NtkCluster.Numerics.Solvers;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The one model serialization: a model maps to and from the versioned <see cref="ModelRecord"/> schema here, and
/// the record has two encodings of the same fields — the model file's JSON (<see cref="ToJson"/>,
/// <see cref="ParseJson"/>; docs/model-format.md) and a binary one for the cluster wire (<see cref="WriteBinary"/>,
/// <see cref="ReadBinary"/>), which the model file, the block messages and the client↔coordinator job payloads all
/// use. Loading from either checks the same things (<see cref="CheckFormat"/>, <see cref="FromRecord"/>).
/// </summary>
/// <remarks>
/// Why the wire does not carry the JSON: a 4096×1024 draws matrix is 32 MiB as raw doubles and about 2.4 times that
/// as shortest round-trip text, which also takes far longer to format and parse than a copy; and JSON cannot hold the
/// NaN payloads, ±∞ and −0 a model sent between nodes must keep bit for bit (a diverged run's trajectory, say). The
/// binary encoding writes every double as its raw bits and every matrix straight from its storage.
/// </remarks>
public static class ModelCodec
{
    public const string FormatTag = "ntk-model";

    /// <summary>The newest version this program reads. Version 2 adds classifiers (<c>task</c>, <c>label_column</c>,
    /// <c>classes</c>); regression models are still written as version 1, so older programs keep reading them, and
    /// refuse a classifier instead of mistaking its class scores for predictions. Version 3 adds text classes
    /// (<c>class_names</c>); only a classifier of text labels is written as version 3, so a program that predates them
    /// refuses it rather than predicting the codes 0, 1, … as labels, and integer classifiers stay version 2.</summary>
    public const int FormatVersion = 3;

    private const int ClassifierFormatVersion = 2;

    private const int RegressionFormatVersion = 1;

    // Members the document does not know are skipped (System.Text.Json's default, kept on purpose): optional fields
    // added later, such as leverage_mode and pool, leave files readable by the programs that predate them.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    // ------------------------------------------------------------------------------------------------ JSON

    /// <summary>The model file's text: one line of JSON (without the final newline).</summary>
    public static string ToJson(IPredictiveModel model) => JsonSerializer.Serialize(ToRecord(model), JsonOptions);

    /// <summary>The record a model file's text holds, unchecked (see <see cref="CheckFormat"/>, <see cref="FromRecord"/>).</summary>
    /// <exception cref="JsonException">Not JSON, truncated, or a field of the wrong type.</exception>
    public static ModelRecord? ParseJson(string json) => JsonSerializer.Deserialize<ModelRecord>(json, JsonOptions);

    // ------------------------------------------------------------------------------------------------ binary

    /// <summary>The record's binary encoding: its fields in declaration order, optional ones after a presence flag.</summary>
    public static void WriteBinary(IBinaryFieldWriter w, IPredictiveModel model)
    {
        ArgumentNullException.ThrowIfNull(w);
        var d = ToRecord(model);
        WriteOptional(w, d.Format);
        WriteOptional(w, d.FormatVersion);
        WriteOptional(w, d.ProgramVersion);
        WriteOptional(w, d.Kind);
        WriteOptional(w, d.Task);
        WriteOptional(w, d.LabelColumn);
        if (w.WritePresence(d.Classes))
        {
            w.WriteInt32(d.Classes!.Length);
            foreach (long label in d.Classes) w.WriteUInt64(unchecked((ulong)label));
        }
        if (w.WritePresence(d.ClassNames)) w.WriteStrings(d.ClassNames!);
        WriteOptional(w, d.Formulation);
        WriteOptional(w, d.Kernel);
        w.WriteDouble(d.Lambda);
        w.WriteUInt64(d.Seed);
        WriteOptional(w, d.Sampling);
        WriteOptional(w, d.LeverageMode);
        WriteOptional(w, d.Pool);
        if (w.WritePresence(d.FeatureNames)) w.WriteStrings(d.FeatureNames!);
        if (w.WritePresence(d.TargetNames)) w.WriteStrings(d.TargetNames!);
        if (w.WritePresence(d.Preprocessing))
            WritePreprocessor(w, d.Preprocessing!);
        WriteOptional(w, d.Draws);
        WriteOptional(w, d.Weights);
        WriteOptional(w, d.Coefficients);
        WriteOptional(w, d.TrainingInputs);
        WriteOptional(w, d.DualCoefficients);
        WriteOptional(w, d.Kappa);
        WriteOptional(w, d.LearningRate);
        WriteOptional(w, d.Steps);
        WriteOptional(w, d.NetworkWeights);
        WriteOptional(w, d.Signs);
        WriteOptional(w, d.Factors);
        if (w.WritePresence(d.Checkpoint))
        {
            var c = d.Checkpoint!;
            WriteOptional(w, c.InitialWeights);
            WriteOptional(w, c.Settings);
            WriteOptional(w, c.DataFingerprint);
            if (w.WritePresence(c.Trajectory))
            {
                w.WriteInt32(c.Trajectory!.Length);
                foreach (var p in c.Trajectory)
                {
                    w.WriteInt32(p.Step);
                    w.WriteDouble(p.Loss);
                    WriteOptional(w, p.TrainGap);
                    WriteOptional(w, p.KernelDrift);
                }
            }
        }
    }

    /// <summary>A model written by <see cref="WriteBinary"/>, with the checks a model file gets.</summary>
    /// <exception cref="InvalidInputException">A foreign or newer format, or an inconsistent model.</exception>
    public static IPredictiveModel ReadBinary<TReader>(ref TReader r) where TReader : IBinaryFieldReader, allows ref struct
    {
        var d = new ModelRecord
        {
            Format = ReadOptionalString(ref r, "the model format"),
            FormatVersion = r.ReadPresence("the model format version") ? r.ReadInt32("the model format version") : null,
            ProgramVersion = ReadOptionalString(ref r, "the program version"),
            Kind = ReadOptionalString(ref r, "the model kind"),
            Task = ReadOptionalString(ref r, "the task"),
            LabelColumn = ReadOptionalString(ref r, "the label column"),
        };
        if (r.ReadPresence("the classes"))
        {
            var classes = new long[r.ReadCount("the classes", 8)];
            for (int i = 0; i < classes.Length; i++) classes[i] = unchecked((long)r.ReadUInt64("a class"));
            d.Classes = classes;
        }
        if (r.ReadPresence("the class names")) d.ClassNames = r.ReadStrings("the class names");
        d.Formulation = ReadOptionalString(ref r, "the formulation");
        d.Kernel = ReadOptionalString(ref r, "the kernel");
        d.Lambda = r.ReadDouble("λ");
        d.Seed = r.ReadUInt64("the seed");
        d.Sampling = ReadOptionalString(ref r, "the sampling");
        d.LeverageMode = ReadOptionalString(ref r, "the leverage mode");
        d.Pool = ReadOptionalInt(ref r, "the pool size");
        d.FeatureNames = r.ReadPresence("the feature names") ? r.ReadStrings("the feature names") : null;
        d.TargetNames = r.ReadPresence("the target names") ? r.ReadStrings("the target names") : null;
        if (r.ReadPresence("the preprocessing"))
            d.Preprocessing = ReadPreprocessor(ref r);
        d.Draws = ReadOptionalMatrix(ref r, "the draws");
        d.Weights = ReadOptionalDoubles(ref r, "the draw weights");
        d.Coefficients = ReadOptionalMatrix(ref r, "β");
        d.TrainingInputs = ReadOptionalMatrix(ref r, "the training inputs");
        d.DualCoefficients = ReadOptionalMatrix(ref r, "α");
        d.Kappa = ReadOptionalDouble(ref r, "κ");
        d.LearningRate = ReadOptionalDouble(ref r, "η");
        d.Steps = ReadOptionalInt(ref r, "the steps");
        d.NetworkWeights = ReadOptionalMatrix(ref r, "the network weights");
        d.Signs = ReadOptionalDoubles(ref r, "the signs");
        d.Factors = ReadOptionalDoubles(ref r, "the factors");
        if (r.ReadPresence("the checkpoint"))
        {
            var c = new StoredCheckpoint
            {
                InitialWeights = ReadOptionalMatrix(ref r, "the initial weights"),
                Settings = ReadOptionalString(ref r, "the checkpoint's settings"),
                DataFingerprint = ReadOptionalString(ref r, "the data fingerprint"),
            };
            if (r.ReadPresence("the checkpoint's trajectory"))
            {
                var points = new StoredPoint[r.ReadCount("the checkpoint's trajectory", 14)];
                for (int i = 0; i < points.Length; i++)
                {
                    points[i] = new StoredPoint
                    {
                        Step = r.ReadInt32("a step"), Loss = r.ReadDouble("a loss"),
                        TrainGap = ReadOptionalDouble(ref r, "a gap"), KernelDrift = ReadOptionalDouble(ref r, "a kernel drift"),
                    };
                }
                c.Trajectory = points;
            }
            d.Checkpoint = c;
        }
        CheckFormat(d);
        return FromRecord(d);
    }

    /// <summary>Preprocessing in the binary encoding: inside a model, and alone in the commands that preprocess rows where they are read.</summary>
    public static void WritePreprocessor(IBinaryFieldWriter w, Preprocessor p)
    {
        w.WriteBool(p.Standardize);
        w.WriteBool(p.ScaleTarget);
        w.WriteBool(p.Normalize);
        w.WriteDoubles(p.FeatureMeans);
        w.WriteDoubles(p.FeatureScales);
        w.WriteDoubles(p.TargetMeans);
        w.WriteDoubles(p.TargetScales);
        WriteOptional(w, p.Missing);
        if (w.WritePresence(p.FeatureFills)) w.WriteDoubles(p.FeatureFills!);
        WriteCategorical(w, p.Categorical);
    }

    /// <summary>A categorical encoding (null: none), as a model and a partitioned job's columns carry it.</summary>
    public static void WriteCategorical(IBinaryFieldWriter w, CategoricalColumn[]? categorical)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.WritePresence(categorical))
        {
            w.WriteInt32(categorical!.Length);
            foreach (var c in categorical)
            {
                w.WriteString(c.Name);
                w.WriteBool(c.Codes);
                w.WriteStrings(c.Categories);
                WriteOptional(w, c.Fill);
            }
        }
    }

    public static Preprocessor ReadPreprocessor<TReader>(ref TReader r) where TReader : IBinaryFieldReader, allows ref struct => new()
    {
        Standardize = r.ReadBool("standardize"),
        ScaleTarget = r.ReadBool("scale-target"),
        Normalize = r.ReadBool("normalize"),
        FeatureMeans = r.ReadDoubles("the feature means"),
        FeatureScales = r.ReadDoubles("the feature scales"),
        TargetMeans = r.ReadDoubles("the target means"),
        TargetScales = r.ReadDoubles("the target scales"),
        Missing = r.ReadPresence("the missing-value policy") ? r.ReadString("the missing-value policy") : null,
        FeatureFills = ReadOptionalDoubles(ref r, "the missing-value fills"),
        Categorical = ReadCategorical(ref r),
    };

    /// <summary>What <see cref="WriteCategorical"/> wrote.</summary>
    public static CategoricalColumn[]? ReadCategorical<TReader>(ref TReader r) where TReader : IBinaryFieldReader, allows ref struct
    {
        if (!r.ReadPresence("the categorical features")) return null;
        var columns = new CategoricalColumn[r.ReadCount("the categorical feature count", 4)];
        for (int k = 0; k < columns.Length; k++)
        {
            string name = r.ReadString("a categorical feature's name");
            bool codes = r.ReadBool("a categorical feature's kind");
            var categories = r.ReadStrings("the categories");
            columns[k] = new CategoricalColumn { Name = name, Codes = codes, Categories = categories, Fill = ReadOptionalString(ref r, "a category fill") };
        }
        return columns;
    }

    private static void WriteOptional(IBinaryFieldWriter w, string? value)
    {
        if (w.WritePresence(value)) w.WriteString(value!);
    }

    private static void WriteOptional(IBinaryFieldWriter w, int? value)
    {
        if (w.WritePresence(value)) w.WriteInt32(value!.Value);
    }

    private static void WriteOptional(IBinaryFieldWriter w, double? value)
    {
        if (w.WritePresence(value)) w.WriteDouble(value!.Value);
    }

    private static void WriteOptional(IBinaryFieldWriter w, double[]? values)
    {
        if (w.WritePresence(values)) w.WriteDoubles(values);
    }

    private static void WriteOptional(IBinaryFieldWriter w, StoredMatrix? matrix)
    {
        if (w.WritePresence(matrix)) w.WriteMatrix(matrix!.AsMatrix());
    }

    private static string? ReadOptionalString<TReader>(ref TReader r, string what) where TReader : IBinaryFieldReader, allows ref struct =>
        r.ReadPresence(what) ? r.ReadString(what) : null;

    private static int? ReadOptionalInt<TReader>(ref TReader r, string what) where TReader : IBinaryFieldReader, allows ref struct =>
        r.ReadPresence(what) ? r.ReadInt32(what) : null;

    private static double? ReadOptionalDouble<TReader>(ref TReader r, string what) where TReader : IBinaryFieldReader, allows ref struct =>
        r.ReadPresence(what) ? r.ReadDouble(what) : null;

    private static double[]? ReadOptionalDoubles<TReader>(ref TReader r, string what) where TReader : IBinaryFieldReader, allows ref struct =>
        r.ReadPresence(what) ? r.ReadDoubles(what) : null;

    private static StoredMatrix? ReadOptionalMatrix<TReader>(ref TReader r, string what) where TReader : IBinaryFieldReader, allows ref struct =>
        r.ReadPresence(what) ? new StoredMatrix(r.ReadMatrix(what)) : null;

    // ------------------------------------------------------------------------------------------------ model ↔ record

    public static ModelRecord ToRecord(IPredictiveModel model) => model switch
    {
        KrrModel krr => ToRecord(krr),
        NetworkModel network => ToRecord(network),
        null => throw new ArgumentNullException(nameof(model)),
        _ => throw new ArgumentException($"a model of type {model.GetType().FullName} has no model format", nameof(model)),
    };

    private static ModelRecord ToRecord(KrrModel m) => new()
    {
        Format = FormatTag,
        FormatVersion = m.Classes is { IsText: true } ? FormatVersion : m.IsClassifier ? ClassifierFormatVersion : RegressionFormatVersion,
        Task = m.IsClassifier ? "classify" : null,
        LabelColumn = m.Classes?.Column,
        // Text classes are named, their codes (0 … C−1) implied by the order; integer classes are the integers.
        Classes = m.Classes is { IsText: true } ? null : m.Classes?.Labels,
        ClassNames = m.Classes?.Names,
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
        Draws = Stored(m.Draws?.Draws),
        Weights = m.Draws?.Weights,
        Coefficients = Stored(m.Coefficients),
        TrainingInputs = Stored(m.TrainingInputs),
        DualCoefficients = Stored(m.DualCoefficients),
        LeverageMode = m.Leverage?.Mode,
        Pool = m.Leverage?.Pool,
    };

    private static ModelRecord ToRecord(NetworkModel m) => new()
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
        NetworkWeights = Stored(m.Weights),
        Signs = m.Signs,
        Factors = m.Factors,
        Checkpoint = m.Checkpoint is not { } c ? null : new StoredCheckpoint
        {
            InitialWeights = Stored(c.InitialWeights), Settings = c.Settings, DataFingerprint = c.DataFingerprint,
            Trajectory = c.Trajectory.Select(p => new StoredPoint { Step = p.Step, Loss = p.Loss, TrainGap = p.TrainGap, KernelDrift = p.KernelDrift }).ToArray(),
        },
    };

    private static StoredMatrix? Stored(MathNet.Numerics.LinearAlgebra.Matrix<double>? m) => m is null ? null : new StoredMatrix(m);

    /// <summary>The tag and the version: a foreign record, or one newer than this program, is refused.</summary>
    /// <exception cref="InvalidInputException">Says which.</exception>
    public static void CheckFormat(ModelRecord? record)
    {
        if (record is null || record.Format != FormatTag)
            throw new InvalidInputException($"not an NtkCluster model file (no \"format\": \"{FormatTag}\")");
        if (record.FormatVersion is not int version || version < 1 || version > FormatVersion)
            throw new InvalidInputException($"model format version {record.FormatVersion} is not supported (this program reads 1..{FormatVersion})");
    }

    /// <summary>The model a record describes, after checking it is consistent: shapes, names, preprocessing, values.</summary>
    /// <exception cref="InvalidInputException">What is inconsistent.</exception>
    public static IPredictiveModel FromRecord(ModelRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return Build(record);
        }
        catch (Exception e) when (e is ArgumentException or NullReferenceException or InvalidOperationException)
        {
            throw new InvalidInputException(e.Message);
        }
    }

    private static IPredictiveModel Build(ModelRecord d)
    {
        if (d.Task is not (null or "regress" or "classify")) throw new InvalidInputException($"unknown task '{d.Task}' (known: regress, classify)");
        if (d.Formulation == "network")
        {
            if (d.Task == "classify") throw new InvalidInputException("a network model cannot be a classifier");
            return NetworkFromRecord(d);
        }
        var model = KrrFromRecord(d);
        if (d.Task != "classify") return model;
        var column = Required(d.LabelColumn, "label_column");
        if (d.ClassNames is { } names)
        {
            if (d.Classes is not null) throw new InvalidInputException("a classifier has classes or class_names, not both");
            if (names.Length != model.TargetNames.Length)
                throw new InvalidInputException($"{names.Length} class names for {model.TargetNames.Length} score columns");
            if (names.Any(n => n is null)) throw new InvalidInputException("class_names holds a null");
            return model.AsClassifier(ClassLabels.Named(column, names));
        }
        var labels = Required(d.Classes, "classes");
        if (labels.Length != model.TargetNames.Length)
            throw new InvalidInputException($"{labels.Length} classes for {model.TargetNames.Length} score columns");
        return model.AsClassifier(new ClassLabels(column, labels));
    }

    private static NetworkModel NetworkFromRecord(ModelRecord d)
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
        CheckLambda(d.Lambda);
        if (d.LearningRate is double lr && !(lr >= 0 && double.IsFinite(lr))) throw new InvalidInputException("learning_rate must be a finite number ≥ 0");
        CheckFinite(w, "network_weights");
        string init = d.Sampling ?? "gaussian";
        if (init is not ("gaussian" or "leverage")) throw new InvalidInputException($"unknown initialization '{TextForDisplay.Name(init, 40)}' (known: gaussian, leverage)");
        return new NetworkModel
        {
            ProgramVersion = d.ProgramVersion ?? "", FeatureNames = features, TargetNames = targets, Preprocessing = pre,
            Init = init, Leverage = LeverageFromRecord(d, init), Seed = d.Seed, Steps = d.Steps ?? 0,
            Setup = new NetworkSetup(w.RowCount, kappa, d.Lambda, d.LearningRate ?? 0),
            Weights = w, Signs = signs, Factors = factors,
            Checkpoint = d.Checkpoint is not { } c ? null : new NetworkCheckpoint
            {
                InitialWeights = Required(c.InitialWeights, "checkpoint.initial_weights").ToMatrix(w.RowCount, features.Length, "checkpoint.initial_weights"),
                Settings = Required(c.Settings, "checkpoint.settings"),
                DataFingerprint = Required(c.DataFingerprint, "checkpoint.data_fingerprint"),
                Trajectory = Required(c.Trajectory, "checkpoint.trajectory")
                    .Select(p => new TrainingPoint(p.Step, p.Loss, p.TrainGap, p.KernelDrift)).ToArray(),
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
        if (pre.Missing is not (null or "drop" or "mean" or "median"))
            throw new InvalidInputException($"unknown missing-value policy '{pre.Missing}' (known: {MissingValues.Choices})");
        if ((pre.Missing is "mean" or "median") != (pre.FeatureFills is not null)
            || (pre.FeatureFills is { } fills && (fills.Length != features.Length || fills.Any(v => !double.IsFinite(v)))))
            throw new InvalidInputException("missing-value fills do not match the policy and the feature names, or are not finite");
        // Each categorical column's one-hot features are among the feature names, and its fill among its categories.
        foreach (var c in pre.Categorical ?? [])
        {
            if (c is null || c.Categories is not { Length: > 0 } categories || categories.Any(k => k is null)
                || categories.Any(k => Array.IndexOf(features, c.FeatureName(k)) < 0)
                || (c.Codes && categories.Any(k => CategoricalColumn.Canonical(k) != k))
                || (c.Fill is { } fill && Array.IndexOf(categories, fill) < 0))
                throw new InvalidInputException($"categorical column '{c?.Name}' does not match the feature names");
        }
    }

    private static KrrModel KrrFromRecord(ModelRecord d)
    {
        var kernel = KernelSpec.Parse(Required(d.Kernel, "kernel"));
        var features = Required(d.FeatureNames, "feature_names");
        var targets = Required(d.TargetNames, "target_names");
        var pre = Required(d.Preprocessing, "preprocessing");
        CheckPreprocessing(pre, features, targets);
        CheckLambda(d.Lambda);
        var formulation = Required(d.Formulation, "formulation") switch
        {
            "exact" => RidgeFormulation.Exact,
            "primal" => RidgeFormulation.Primal,
            "dual" => RidgeFormulation.Dual,
            var other => throw new InvalidInputException($"unknown formulation '{TextForDisplay.Name(other, 40)}' (known: exact, primal, dual, network)"),
        };
        int dims = features.Length, t = targets.Length;
        // Without "sampling": none for an exact model, plain for random features (the readers' long-standing defaults).
        string sampling = d.Sampling ?? (formulation == RidgeFormulation.Exact ? "none" : "plain");
        // Known values only (issue 15, item 14: "sampling": "zzz" loaded): an exact model samples nothing.
        if (formulation == RidgeFormulation.Exact ? sampling != "none" : sampling is not ("plain" or "leverage"))
            throw new InvalidInputException($"unknown sampling '{TextForDisplay.Name(sampling, 40)}' for a{(formulation == RidgeFormulation.Exact ? "n exact model (known: none)" : " random-feature model (known: plain, leverage)")}");
        if (formulation == RidgeFormulation.Exact)
        {
            var x = Required(d.TrainingInputs, "training_inputs").ToMatrix(-1, dims, "training_inputs");
            var alpha = Required(d.DualCoefficients, "dual_coefficients").ToMatrix(x.RowCount, t, "dual_coefficients");
            CheckFinite(x, "training_inputs");
            CheckFinite(alpha, "dual_coefficients");
            return new KrrModel
            {
                ProgramVersion = d.ProgramVersion ?? "", Kernel = kernel, Lambda = d.Lambda, Seed = d.Seed,
                Sampling = sampling, Leverage = LeverageFromRecord(d, sampling), Formulation = formulation,
                FeatureNames = features, TargetNames = targets, Preprocessing = pre, TrainingInputs = x, DualCoefficients = alpha,
            };
        }
        var w = Required(d.Draws, "draws").ToMatrix(-1, kernel.DrawDimension(dims), "draws");
        var weights = Required(d.Weights, "weights");
        if (weights.Length != w.RowCount) throw new InvalidInputException($"weights has {weights.Length} entries for {w.RowCount} draws");
        var draws = new FeatureDraws(kernel, dims, w, weights);
        var beta = Required(d.Coefficients, "coefficients").ToMatrix(draws.ColumnCount, t, "coefficients");
        CheckFinite(w, "draws");
        if (weights.Any(v => !double.IsFinite(v))) throw new InvalidInputException("\"weights\" holds a number that is not finite");
        CheckFinite(beta, "coefficients");
        return new KrrModel
        {
            ProgramVersion = d.ProgramVersion ?? "", Kernel = kernel, Lambda = d.Lambda, Seed = d.Seed,
            Sampling = sampling, Leverage = LeverageFromRecord(d, sampling), Formulation = formulation,
            FeatureNames = features, TargetNames = targets, Preprocessing = pre, Draws = draws, Coefficients = beta,
        };
    }

    /// <summary>
    /// <c>leverage_mode</c> and <c>pool</c>: both or neither, and only on a model sampled (or a network initialized) by
    /// leverage scores. Neither is what files from before they were recorded have, so that still loads, as unknown.
    /// </summary>
    private static LeverageProvenance? LeverageFromRecord(ModelRecord d, string sampling)
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

    /// <summary>λ as a fit needs it: positive and finite (a 100 001-digit λ read as infinity loaded before).</summary>
    private static void CheckLambda(double lambda)
    {
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new InvalidInputException("lambda must be a finite number > 0");
    }

    /// <summary>A model's numbers are finite: predictions from an infinite or NaN coefficient would be NaN.</summary>
    private static void CheckFinite(MathNet.Numerics.LinearAlgebra.Matrix<double> m, string name)
    {
        foreach (double v in m.Enumerate())
        {
            if (!double.IsFinite(v)) throw new InvalidInputException($"\"{name}\" holds a number that is not finite");
        }
    }

    private static T Required<T>(T? value, string name) where T : class =>
        value ?? throw new InvalidInputException($"missing \"{name}\"");
}

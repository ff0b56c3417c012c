using System.Globalization;
using NtkCluster.Numerics.Models;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// What <c>ntk inspect</c> reports about a model file: one ordered list of named fields, so the text and the
/// <c>--json</c> output cannot disagree. Fields that do not apply to the model's kind are absent; a field that
/// applies but the file does not record (the leverage mode of a file written before it was stored) is null: JSON null,
/// "not recorded" in text.
/// </summary>
public static class ModelSummary
{
    /// <summary>What the text form shows for a field the file does not record.</summary>
    public const string NotRecorded = "not recorded";

    /// <summary>The fields, in display order. Values are strings, numbers, booleans, string/number arrays or null.</summary>
    public static IReadOnlyList<(string Key, object? Value)> Of(IPredictiveModel model, long fileBytes)
    {
        var fields = new List<(string, object?)>();
        void Add(string key, object? value) => fields.Add((key, value));
        // A leverage model says how its scores were computed: the mode that ran and the pool (null when not recorded).
        void AddLeverage(string sampling, LeverageProvenance? leverage)
        {
            if (sampling != "leverage") return;
            Add("leverage_mode", leverage?.Mode);
            Add("pool", leverage?.Pool);
        }
        switch (model)
        {
            case KrrModel k:
                Add("kind", k.IsClassifier ? "classifier" : k.IsExact ? "exact-krr" : "random-features");
                Add("task", k.IsClassifier ? "classify" : "regress");
                Add("formulation", k.Formulation.ToString().ToLowerInvariant());
                Add("kernel", k.Kernel.Spec);
                Add("lambda", k.Lambda);
                if (k.IsExact) Add("n_train", k.TrainingInputs!.RowCount);
                else
                {
                    Add("features", k.FeatureCount);
                    Add("feature_columns", k.Draws!.ColumnCount);
                    Add("sampling", k.Sampling);
                    AddLeverage(k.Sampling, k.Leverage);
                    Add("seed", k.Seed);
                }
                if (k.Classes is { } classes)
                {
                    Add("label_column", classes.Column);
                    if (classes.IsText) Add("classes", classes.Names!);
                    else Add("classes", classes.Labels);
                }
                break;
            case NetworkModel n:
                Add("kind", "network");
                Add("task", "regress");
                Add("formulation", "network");
                Add("kernel", "ntk");
                Add("lambda", n.Setup.Lambda);
                Add("width", n.Setup.Width);
                Add("init", n.Init);
                AddLeverage(n.Init, n.Leverage);
                Add("steps", n.Steps);
                Add("kappa", n.Setup.Kappa);
                Add("learning_rate", n.Setup.LearningRate);
                Add("seed", n.Seed);
                break;
            default:
                throw new ArgumentException($"unknown model type {model.GetType().Name}", nameof(model));
        }
        Add("feature_names", model.FeatureNames);
        Add("target_names", model.TargetNames);
        Add("standardize", model.Preprocessing.Standardize);
        Add("scale_target", model.Preprocessing.ScaleTarget);
        Add("normalize", model.Preprocessing.Normalize);
        // Only models with categorical features show their encoding: "color: blue|green|red (missing: red)" per column.
        if (model.Preprocessing.Categorical is { } categorical)
            Add("categorical", categorical.Select(c => $"{c.Name}{(c.Codes ? " (codes)" : "")}: {string.Join("|", c.Categories)}" +
                                                       (c.Fill is null ? "" : $" (missing: {c.Fill})")).ToArray());
        Add("program_version", ProgramVersionOf(model));
        Add("file_bytes", fileBytes);
        return fields;
    }

    private static string ProgramVersionOf(IPredictiveModel model) => model switch
    {
        KrrModel k => k.ProgramVersion,
        NetworkModel n => n.ProgramVersion,
        _ => "",
    };

    /// <summary>The fields as "key: value" lines, arrays comma-separated.</summary>
    public static string Text(IReadOnlyList<(string Key, object? Value)> fields)
    {
        int width = fields.Max(f => f.Key.Length) + 2;
        var sb = new System.Text.StringBuilder();
        foreach (var (key, value) in fields) sb.Append((key + ":").PadRight(width)).Append(Format(value)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The fields as one JSON object (arrays as JSON arrays).</summary>
    public static JsonLine Json(IReadOnlyList<(string Key, object? Value)> fields)
    {
        var json = new JsonLine();
        foreach (var (key, value) in fields)
            json.Add(key, value switch
            {
                string[] names => JsonLine.Array(names),
                long[] labels => JsonLine.Array(labels.Cast<object?>()),
                _ => value,
            });
        return json;
    }

    private static string Format(object? value) => value switch
    {
        null => NotRecorded,
        string[] names => string.Join(", ", names),
        long[] labels => string.Join(", ", labels.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

using NtkCluster.Numerics.Data;

namespace NtkCluster.Coordinator.Cli;

/// <summary>
/// <c>--categorical A,B</c> and <c>--unknown-category zeros|error</c>: which numeric feature columns are categorical
/// besides the text ones (<see cref="CategoricalTable"/>), and what a category unseen in training becomes.
/// </summary>
public static class CategoricalOptions
{
    public static readonly string[] ValueOptions = ["categorical", "unknown-category"];

    /// <summary>The columns <c>--categorical</c> names, each once, none of them a target; null without the option.</summary>
    public static string[]? ReadColumns(ParsedOptions a, string[]? columns, string[]? targets)
    {
        if (!a.Has("categorical")) return null;
        var names = a.Text("categorical")!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new UsageException("--categorical needs column names, comma-separated");
        var twice = names.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new UsageException($"--categorical names '{twice.Key}' twice");
        foreach (string name in names)
        {
            if (targets is not null && targets.Contains(name, StringComparer.Ordinal))
                throw new UsageException($"--categorical '{name}' is the target; categorical features are feature columns");
            if (columns is not null && !columns.Contains(name, StringComparer.Ordinal))
                throw new UsageException($"--categorical '{name}' is not one of --columns ({string.Join(",", columns)})");
        }
        return names;
    }

    /// <summary><c>--unknown-category error</c>: refuse an unseen category; <c>zeros</c> (the default) encodes it as all zeros.</summary>
    public static bool ReadUnknownIsError(ParsedOptions a) => a.Text("unknown-category") switch
    {
        null or "zeros" => false,
        "error" => true,
        var other => throw new UsageException($"--unknown-category must be zeros or error, got '{other}'"),
    };

    /// <summary>A data set's feature columns that are not one-hot columns: text in them is refused in a test file.</summary>
    public static string[] NumericFeatures(Dataset data) =>
        data.FeatureNames.Where((_, c) => data.OneHot is null || !data.OneHot[c]).ToArray();

    /// <summary>A model's feature columns that its categorical encoding did not make.</summary>
    public static string[] NumericFeatures(IReadOnlyList<string> featureNames, IReadOnlyList<CategoricalColumn> encoding)
    {
        var made = encoding.SelectMany(e => e.FeatureNames()).ToHashSet(StringComparer.Ordinal);
        return featureNames.Where(n => !made.Contains(n)).ToArray();
    }
}

using System.Globalization;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// One categorical feature's one-hot encoding, learnt from the training rows and stored in the model
/// (<see cref="Preprocessor.Categorical"/>): the column becomes one 0/1 feature per category, named
/// <c>column=category</c> (<see cref="FeatureName"/>), in <see cref="Categories"/> order.
/// </summary>
/// <remarks>
/// Categories are in sorted order so that the same training rows give the same columns whatever their row order:
/// text by ordinal (code-point) comparison, numeric codes (<see cref="Codes"/>) by value — scikit-learn's
/// <c>OneHotEncoder(categories="auto")</c> sorts the same way. Properties are public and init-only so that
/// System.Text.Json writes and reads the encoding as part of a model file.
/// </remarks>
public sealed class CategoricalColumn
{
    /// <summary>The column's name in the data file.</summary>
    public string Name { get; init; } = "";

    /// <summary>Whether the column holds numeric codes made categorical by <c>--categorical</c>: its cells are matched by
    /// value (2, 2.0 and 2e0 are one category, written as <see cref="Canonical"/> gives) and its categories sorted by value.
    /// False: a text column, matched by its trimmed text.</summary>
    public bool Codes { get; init; }

    /// <summary>The categories seen in training, sorted (see the remarks); one feature column each.</summary>
    public string[] Categories { get; init; } = [];

    /// <summary>With <c>--missing mean|median</c>: the category a missing cell is given — the most frequent one in the
    /// training rows (the first in <see cref="Categories"/> order on a tie, as scikit-learn's
    /// <c>SimpleImputer(strategy="most_frequent")</c>); null otherwise, when a missing cell is refused or its row dropped.</summary>
    public string? Fill { get; init; }

    /// <summary>The name of the feature column of one category: <c>column=category</c>.</summary>
    public string FeatureName(string category) => $"{Name}={category}";

    /// <summary>The feature columns this column becomes, in order.</summary>
    public IEnumerable<string> FeatureNames() => Categories.Select(FeatureName);

    /// <summary>The category a cell's text stands for: itself for text, the number's shortest round-trip form for codes;
    /// null when a code column's cell is not a number.</summary>
    public string? Key(string cell) => Codes ? Canonical(cell) : cell;

    /// <summary>A numeric code's one spelling: the shortest text that round-trips its value ("2" for 2.0); null for a non-number.</summary>
    public static string? Canonical(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture)
            : null;

    /// <summary>The order categories are kept in: ordinal for text, by value for codes.</summary>
    public static IComparer<string> Order(bool codes) => codes
        ? Comparer<string>.Create((a, b) => double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture)))
        : StringComparer.Ordinal;
}

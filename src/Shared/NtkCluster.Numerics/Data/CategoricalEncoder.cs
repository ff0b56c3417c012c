using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// Learns a categorical feature's one-hot encoding (<see cref="CategoricalColumn"/>) from the cells of its training
/// rows, and says which feature column a cell turns on. <see cref="CategoricalTable"/> reads files through it.
/// </summary>
public static class CategoricalEncoder
{
    /// <summary>The most categories one column may have. More usually means an identifier or free text, whose one-hot
    /// columns would each hold a handful of rows and make the kernel matrix of a few thousand rows mostly noise.</summary>
    public const int MaxCategories = 1000;

    /// <summary>What <see cref="IndexOf"/> returns for a missing cell that has no fill.</summary>
    public const int Missing = -1;

    /// <summary>What <see cref="IndexOf"/> returns for a category not seen in training.</summary>
    public const int Unknown = -2;

    /// <summary>
    /// The encoding of one column from its training cells (null: missing): its distinct categories, sorted
    /// (<see cref="CategoricalColumn.Order"/>), and with <c>--missing mean|median</c> the most frequent one as the fill.
    /// </summary>
    /// <param name="codes">The column was named by <c>--categorical</c> and every present cell is a number: match by value.</param>
    /// <exception cref="InvalidInputException">Every cell is missing; more than <see cref="MaxCategories"/> categories.</exception>
    public static CategoricalColumn Learn(string path, string name, IReadOnlyList<string?> cells, bool codes, MissingPolicy missing)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string? cell in cells)
        {
            if (cell is null) continue;
            string key = (codes ? CategoricalColumn.Canonical(cell) : cell)
                         ?? throw new ArgumentException($"'{cell}' is not a numeric code", nameof(cells));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return FromCounts(path, name, counts, cells.Count, codes, missing);
    }

    /// <summary>
    /// <see cref="Learn"/> from each category's count of training cells (keyed as <see cref="CategoricalColumn.Key"/>
    /// gives): what a census of a partitioned dataset's rows (<c>CategoryCensus</c>) collects, merged over its partitions.
    /// </summary>
    /// <param name="rows">The rows the counts come from, for the line that refuses an entirely missing column.</param>
    /// <param name="more">The census stopped counting distinct cells (there are more than <see cref="MaxCategories"/>).</param>
    /// <exception cref="InvalidInputException">No category; more than <see cref="MaxCategories"/> categories.</exception>
    public static CategoricalColumn FromCounts(string path, string name, IReadOnlyDictionary<string, long> counts, long rows, bool codes,
        MissingPolicy missing, bool more = false)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0 && !more)
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: categorical column '{name}' is entirely missing ({rows} row(s)): leave it out with --columns"));
        if (counts.Count > MaxCategories || more)
            throw new InvalidInputException((more
                    ? string.Create(CultureInfo.InvariantCulture, $"{path}: column '{name}' has more than {MaxCategories} categories (one feature column each): ")
                    : string.Create(CultureInfo.InvariantCulture, $"{path}: column '{name}' has {counts.Count} categories, more than {MaxCategories} (one feature column each): ")) +
                (codes ? "it is numeric, so leave it out of --categorical to read it as a number, or leave it out with --columns"
                       : "an identifier or free text is no categorical feature; leave it out with --columns (--categorical is for a few numeric codes)"));
        var categories = counts.Keys.ToArray();
        Array.Sort(categories, CategoricalColumn.Order(codes));
        string? fill = missing is MissingPolicy.Mean or MissingPolicy.Median
            ? categories[MostFrequent(categories.Select(c => counts[c]).ToArray())]
            : null;
        return new CategoricalColumn { Name = name, Codes = codes, Categories = categories, Fill = fill };
    }

    /// <summary>
    /// The index of the most frequent category, given each category's count in category order: the first of the most
    /// frequent on a tie — deterministic, and scikit-learn's <c>SimpleImputer(strategy="most_frequent")</c> rule. The
    /// one rule for every fill of a categorical column (as a file is read, and from a split's training part,
    /// <see cref="CategoryFills"/>).
    /// </summary>
    public static int MostFrequent(IReadOnlyList<long> countsInCategoryOrder)
    {
        ArgumentNullException.ThrowIfNull(countsInCategoryOrder);
        if (countsInCategoryOrder.Count == 0) throw new ArgumentException("no category", nameof(countsInCategoryOrder));
        int best = 0;
        for (int j = 1; j < countsInCategoryOrder.Count; j++)
        {
            if (countsInCategoryOrder[j] > countsInCategoryOrder[best]) best = j;
        }
        return best;
    }

    /// <summary>The index among <see cref="CategoricalColumn.Categories"/> of a cell's category (null: missing, which
    /// takes the fill if there is one); <see cref="Missing"/> or <see cref="Unknown"/> otherwise.</summary>
    public static int IndexOf(CategoricalColumn column, string? cell)
    {
        ArgumentNullException.ThrowIfNull(column);
        string? key = cell is null ? column.Fill : column.Key(cell);
        if (key is null) return cell is null ? Missing : Unknown;
        int index = Array.BinarySearch(column.Categories, key, CategoricalColumn.Order(column.Codes));
        return index >= 0 ? index : Unknown;
    }

    /// <summary>Whether a cell reads as a number (so its column is numeric unless <c>--categorical</c> names it): invariant
    /// culture, a decimal comma in a ';'-separated file, or a non-finite spelling the numeric reader refuses as such.</summary>
    public static bool LooksNumeric(string cell, char separator)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
        if (separator == ';' && cell.Contains(',') && double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return true;
        string bare = cell.TrimStart('+', '-');
        return bare.Equals("nan", StringComparison.OrdinalIgnoreCase) || bare.Equals("inf", StringComparison.OrdinalIgnoreCase)
               || bare.Equals("infinity", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"color (3), size (2)": the columns with their category counts, for the note that says they were encoded.</summary>
    public static string Describe(IEnumerable<CategoricalColumn> columns) =>
        string.Join(", ", columns.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} ({c.Categories.Length})")));
}

using System.Globalization;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// One feature column of a training file read in the single pass of <see cref="CategoricalTable.ReadTraining"/>, before
/// it is known whether the column is numeric or categorical: each cell's number (NaN when missing or text) and its text,
/// kept as an id into the column's distinct texts. A column stays numeric until its first cell that is not a number.
/// </summary>
/// <remarks>
/// The distinct texts of a column that is still numeric are kept only up to <see cref="CategoricalEncoder.MaxCategories"/>:
/// past that a numeric column (prices, distances) would hold one string per row for nothing. If such a column then shows
/// text, it has more categories than allowed and is refused as <see cref="CategoricalEncoder.Learn"/> would refuse it.
/// </remarks>
internal sealed class FeatureCells
{
    private readonly string _path;
    private readonly string _name;
    private readonly int _fileColumn;
    private readonly bool _forced;
    private Dictionary<string, int>? _ids = new(StringComparer.Ordinal);
    private List<string>? _texts = [];
    private List<int>? _cellIds = [];
    private long _nonFiniteLine;
    private string? _nonFinite;

    /// <param name="fileColumn">The column's 1-based number in the file, for messages.</param>
    /// <param name="forced">Named by <c>--categorical</c>: categorical whatever its cells are.</param>
    public FeatureCells(string path, string name, int fileColumn, bool forced)
    {
        _path = path;
        _name = name;
        _fileColumn = fileColumn;
        _forced = forced;
    }

    /// <summary>Whether a present cell was not a number: the column is a text (categorical) column.</summary>
    public bool SawText { get; private set; }

    public bool IsCategorical => _forced || SawText;

    /// <summary>Takes the next row's cell (null: missing) and returns its number: NaN when missing or not a number.</summary>
    public double Add(string? cell, char separator, long line)
    {
        if (cell is null)
        {
            _cellIds?.Add(-1);
            return double.NaN;
        }
        double value = double.NaN;
        if (!SawText && !CategoricalEncoder.LooksNumeric(cell, separator))
        {
            SawText = true;
            if (_cellIds is null)
                throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{_path}: column '{_name}' has more than {CategoricalEncoder.MaxCategories} categories (one feature column each): ") +
                    "an identifier or free text is no categorical feature; leave it out with --columns (--categorical is for a few numeric codes)");
        }
        else if (!SawText && !_forced)
        {
            value = Number(cell, separator);
            if (!double.IsFinite(value) && _nonFinite is null) (_nonFinite, _nonFiniteLine) = (cell, line);
        }
        if (_cellIds is not null)
        {
            if (!_ids!.TryGetValue(cell, out int id))
            {
                id = _texts!.Count;
                _ids.Add(cell, id);
                _texts.Add(cell);
            }
            _cellIds.Add(id);
            if (_texts!.Count > CategoricalEncoder.MaxCategories && !IsCategorical) (_ids, _texts, _cellIds) = (null, null, null);
        }
        return value;
    }

    /// <summary>A numeric column's cells must be finite, as the numeric reader requires: refuses the first that is not.</summary>
    public void CheckFinite()
    {
        if (IsCategorical || _nonFinite is null) return;
        throw new DataFormatException(_path, _nonFiniteLine, _fileColumn,
            $"column '{TextForDisplay.Name(_name, 80)}': '{TextForDisplay.Name(_nonFinite, 40)}' is not a finite number");
    }

    /// <summary>A categorical column's cells as text, by row (null: missing).</summary>
    public List<string?> Cells() => _cellIds!.Select(id => id < 0 ? null : _texts![id]).ToList();

    /// <summary>The number a cell <see cref="CategoricalEncoder.LooksNumeric"/> reads as: invariant culture, or a decimal
    /// comma in a ';'-separated file; NaN or an infinity for a non-finite spelling.</summary>
    private static double Number(string cell, char separator)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        if (separator == ';' && double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return value;
        return double.PositiveInfinity;
    }
}

using System.Globalization;

namespace NtkCluster.Numerics.Classification;

/// <summary>
/// The distinct texts of a label column, by id in the order first seen; each cell reads as its text's id
/// (<see cref="Code"/>, the label callback of the CSV readers). Used where a file is read for classification
/// (<see cref="LabelledTable"/>) and where a partitioned dataset's text classes are collected
/// (<see cref="Partitions.TextLabelScan"/>).
/// </summary>
internal sealed class LabelTexts
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public List<string> Texts { get; } = [];

    /// <summary>The id of <paramref name="text"/>: its index in <see cref="Texts"/>, where it is added when new.</summary>
    public double Code(string text)
    {
        if (!_ids.TryGetValue(text, out int id))
        {
            id = Texts.Count;
            _ids.Add(text, id);
            Texts.Add(text);
        }
        return id;
    }

    /// <summary>Whether every text seen reads as a (finite) number: the labels are numbers, not text classes.</summary>
    public bool AllNumbers => Texts.All(t => IsNumber(t, out _));

    /// <summary>The number each text reads as (all are numbers).</summary>
    public double[] Numbers() => Texts.Select(t => IsNumber(t, out double v) ? v : double.NaN).ToArray();

    public static bool IsNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

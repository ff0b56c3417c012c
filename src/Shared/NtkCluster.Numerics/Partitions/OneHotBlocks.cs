using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;

namespace NtkCluster.Numerics.Partitions;

/// <summary>
/// A partition reader whose categorical columns were read as category indices (<see cref="Coder"/>) and are handed on
/// one-hot encoded: each becomes, where it stood, one 0/1 column per category of its <see cref="CategoricalColumn"/> —
/// the columns, values and missing cells (NaN in every one-hot column, or the fill's column with <c>--missing
/// mean|median</c>) of <see cref="CategoricalTable"/> on the same rows, so every round sees what the in-memory jobs see.
/// </summary>
internal sealed class OneHotBlocks : IRowBlockReader
{
    private readonly IRowBlockReader _inner;
    private readonly CategoricalColumn?[] _encodingOf; // per raw feature column: its encoding, or null for a numeric one
    private readonly int _width;

    public OneHotBlocks(IRowBlockReader inner, string[] featureNames, IReadOnlyList<CategoricalColumn> encoding)
    {
        _inner = inner;
        FeatureNames = featureNames;
        _encodingOf = inner.FeatureNames.Select(name => encoding.FirstOrDefault(e => e.Name == name)).ToArray();
        _width = _encodingOf.Sum(e => e?.Categories.Length ?? 1);
        if (_width != featureNames.Length)
            throw new InvalidOperationException($"{inner.FeatureNames.Length} columns read make {_width} features, not {featureNames.Length}");
    }

    public string[] FeatureNames { get; }

    public string[] TargetNames => _inner.TargetNames;

    /// <summary>Rows read with a category not seen in training (encoded as all zeros), for the notice that counts them.</summary>
    public long UnknownRows { get; private set; }

    /// <summary>The categorical columns in encoding order, and each one's cells with a category not seen in training.</summary>
    public Dictionary<string, long> UnknownPerColumn { get; } = new(StringComparer.Ordinal);

    public RowBlock? ReadBlock()
    {
        if (_inner.ReadBlock() is not { } block) return null;
        var raw = block.X;
        int n = raw.RowCount;
        var x = Matrix<double>.Build.Dense(n, _width);
        int at = 0;
        var unknownRow = new bool[n];
        for (int c = 0; c < _encodingOf.Length; c++)
        {
            if (_encodingOf[c] is not { } e)
            {
                for (int i = 0; i < n; i++) x[i, at] = raw[i, c];
                at++;
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                double v = raw[i, c];
                // A missing cell arrives as NaN (the reader never hands it to the coder): the fill's index, if any.
                int index = double.IsNaN(v) ? CategoricalEncoder.IndexOf(e, null) : (int)v;
                if (index == CategoricalEncoder.Missing)
                    for (int j = 0; j < e.Categories.Length; j++) x[i, at + j] = double.NaN;
                else if (index >= 0) x[i, at + index] = 1;
                else
                {
                    // Unknown: all zeros (the coder refused it already with --unknown-category error).
                    unknownRow[i] = true;
                    UnknownPerColumn[e.Name] = UnknownPerColumn.GetValueOrDefault(e.Name) + 1;
                }
            }
            at += e.Categories.Length;
        }
        UnknownRows += unknownRow.Count(u => u);
        return block with { X = x };
    }

    public void Dispose() => _inner.Dispose();

    /// <summary>
    /// The coder of a categorical column's cells (<see cref="CsvRowReader.CodeText"/>): the index of its category,
    /// <see cref="CategoricalEncoder.Missing"/> for a missing-value marker without a fill, and for a category not seen in
    /// training <see cref="CategoricalEncoder.Unknown"/> — or, with <paramref name="unknownIsError"/>, a refusal.
    /// </summary>
    public static Func<string, double> Coder(CategoricalColumn column, string path, bool unknownIsError) => text =>
    {
        int index = CategoricalEncoder.IndexOf(column, MissingValues.IsMissingText(text) ? null : text);
        if (index == CategoricalEncoder.Unknown && unknownIsError)
            throw new UnseenCategoryException(path, string.Create(CultureInfo.InvariantCulture,
                $"column '{column.Name}' has category '{TextForDisplay.Name(text, 40)}', not seen in training (categories ") +
                string.Join(", ", column.Categories.Take(3).Select(c => TextForDisplay.Name(c, 20))) + (column.Categories.Length > 3 ? ", …" : "") +
                "); without --unknown-category error it is encoded as all zeros");
        return index;
    };
}

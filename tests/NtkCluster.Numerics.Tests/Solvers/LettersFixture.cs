using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;

namespace NtkCluster.Numerics.Tests.Solvers;

/// <summary>Reads the scikit-learn reference fixtures (see Fixtures/README.md) through the library's own CSV reader.</summary>
internal static class LettersFixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>letters-train.csv / letters-test.csv (last column <c>letter</c> is the target).</summary>
    public static (Dataset Train, Dataset Test) SingleTarget() =>
        (Dataset.FromTable(CsvTable.Read(PathOf("letters-train.csv")), null),
         Dataset.FromTable(CsvTable.Read(PathOf("letters-test.csv")), null));

    /// <summary>letters-train-2t.csv / letters-test-2t.csv with targets <c>letter</c> and <c>x.box</c>.</summary>
    public static (Dataset Train, Dataset Test) TwoTargets() =>
        (Dataset.FromTable(CsvTable.Read(PathOf("letters-train-2t.csv")), ["letter", "x.box"]),
         Dataset.FromTable(CsvTable.Read(PathOf("letters-test-2t.csv")), ["letter", "x.box"]));

    /// <summary>
    /// An expected-*.csv file as a matrix, one column per prediction column. Parsed here with double.Parse, as the
    /// README prescribes, not with CsvTable, so that the reference values do not pass through code under test.
    /// </summary>
    public static Matrix<double> Expected(string name, out string[] header)
    {
        string[] lines = File.ReadAllLines(PathOf(name)).Where(l => l.Length > 0).ToArray();
        header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return Matrix<double>.Build.DenseOfRowArrays(rows);
    }

    /// <summary>max |actual − expected| / max |expected|.</summary>
    public static double RelativeMaxError(Matrix<double> actual, Matrix<double> expected)
    {
        if (actual.RowCount != expected.RowCount || actual.ColumnCount != expected.ColumnCount)
            throw new ArgumentException($"shape {actual.RowCount}×{actual.ColumnCount} vs expected {expected.RowCount}×{expected.ColumnCount}");
        return (actual - expected).Enumerate().Max(Math.Abs) / expected.Enumerate().Max(Math.Abs);
    }
}

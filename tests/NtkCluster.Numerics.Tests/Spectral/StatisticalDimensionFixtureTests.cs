using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Spectral;
using NtkCluster.Numerics.Tests.Solvers;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Spectral;

/// <summary>
/// s_λ(K) and ‖K‖ of the project's RBF and NTK kernels on letters data against numpy/scikit-learn
/// (Fixtures/spectral/README.md): the kernel matrices are rebuilt here with the library's CsvTable, Dataset,
/// Preprocessor and kernels, so the comparison covers the whole path, not only the eigenvalue code.
/// </summary>
public sealed class StatisticalDimensionFixtureTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6; // relative

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "spectral", name);

    /// <summary>The kernel matrices of the fixture: first 300 rows of letters-train.csv, standardized (ntk: then unit rows).</summary>
    private static Dictionary<string, Matrix<double>> Kernels()
    {
        var train = Dataset.FromTable(CsvTable.Read(LettersFixture.PathOf("letters-train.csv")), null);
        var rows = train.Subset(Enumerable.Range(0, 300).ToArray());
        var standardized = Preprocessor.Fit(rows.X, rows.Y, standardize: true, scaleTarget: false, normalize: false).TransformFeatures(rows.X);
        var unit = Preprocessor.Fit(rows.X, rows.Y, standardize: true, scaleTarget: false, normalize: true).TransformFeatures(rows.X);
        return new Dictionary<string, Matrix<double>>
        {
            ["rbf"] = new RbfKernel(0.05).Evaluate(standardized, standardized),
            ["ntk"] = new NtkKernel().Evaluate(unit, unit),
        };
    }

    /// <summary>Rows of a fixture CSV, parsed with double.Parse so the reference values bypass the code under test.</summary>
    private static List<string[]> Read(string name, string header)
    {
        string[] lines = File.ReadAllLines(PathOf(name)).Where(l => l.Length > 0).ToArray();
        Assert.Equal(header, lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).ToList();
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Statistical_dimension_matches_NumPy()
    {
        var kernels = Kernels();
        var spectra = kernels.ToDictionary(p => p.Key, p => KernelSpectrum.Of(p.Value));
        var expected = Read("spectral-fixture.csv", "kernel,lambda,s_lambda");
        Assert.Equal(8, expected.Count);
        foreach (var row in expected)
        {
            string kernel = row[0];
            double lambda = Parse(row[1]), reference = Parse(row[2]);
            double s = spectra[kernel].StatisticalDimension(lambda);
            double relative = Math.Abs(s - reference) / reference;
            output.WriteLine($"{kernel} λ={lambda}: s = {s:R}, numpy {reference:R}, rel. difference {relative:G3}");
            Assert.True(relative <= Tolerance, $"{kernel} λ={lambda}: {s:R} vs {reference:R}");
        }
        // The one-shot entry point gives the same value as the reusable spectrum.
        Assert.Equal(spectra["rbf"].StatisticalDimension(0.1), StatisticalDimension.Exact(kernels["rbf"], 0.1));
    }

    [Fact]
    public void Spectral_norm_matches_NumPy()
    {
        var kernels = Kernels();
        foreach (var row in Read("spectral-norm-fixture.csv", "kernel,spectral_norm"))
        {
            double norm = KernelSpectrum.Of(kernels[row[0]]).SpectralNorm, reference = Parse(row[1]);
            output.WriteLine($"{row[0]}: ‖K‖ = {norm:R}, numpy {reference:R}");
            Assert.True(Math.Abs(norm - reference) <= 1e-9 * reference, $"{row[0]}: {norm:R} vs {reference:R}");
        }
    }
}

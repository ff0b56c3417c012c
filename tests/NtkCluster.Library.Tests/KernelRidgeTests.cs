using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Library.Tests;

/// <summary>The public exact KRR estimator against scikit-learn's KernelRidge on the letters fixtures.</summary>
public sealed class KernelRidgeTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6; // max |diff| / max |expected|, as the fixtures' README prescribes

    [Theory]
    [InlineData("rbf", 0.02, 0.5, "expected-rbf-raw.csv")]
    [InlineData("laplace", 0.05, 0.5, "expected-laplace-raw.csv")]
    public void One_target_matches_scikit_learn_KernelRidge(string kernel, double gamma, double lambda, string expectedFile)
    {
        var (x, y, _) = Fixtures.Table("letters-train.csv");
        var (xTest, _, _) = Fixtures.Table("letters-test.csv");
        var k = kernel == "rbf" ? Kernel.Rbf(gamma) : Kernel.Laplace(gamma);

        var model = new KernelRidge(k, lambda).Fit(x, Fixtures.Column(y, 0));
        var predictions = model.Predict(xTest);

        var expected = Fixtures.Column(ToMatrix(Fixtures.Read(expectedFile).Rows), 0);
        double error = Fixtures.RelativeMaxError(predictions, expected);
        output.WriteLine($"{kernel}: relative max error {error:G3} against scikit-learn");
        Assert.True(error <= Tolerance, $"relative error {error:G3} > {Tolerance:G1}");
        Assert.True(model.IsExact);
        Assert.Equal(0, model.Features);
    }

    [Fact]
    public void Two_targets_match_scikit_learn_KernelRidge()
    {
        var (x, y, names) = Fixtures.Table("letters-train-2t.csv", targets: 2);
        var (xTest, _, _) = Fixtures.Table("letters-test-2t.csv", targets: 2);

        var model = new KernelRidge(Kernel.Rbf(0.02), 0.5) { FeatureNames = names, TargetNames = ["letter", "x.box"] }.Fit(x, y);
        var predictions = model.PredictAll(xTest);

        var expected = ToMatrix(Fixtures.Read("expected-rbf-two-targets.csv").Rows);
        for (int t = 0; t < 2; t++)
            Assert.True(Fixtures.RelativeMaxError(Fixtures.Column(predictions, t), Fixtures.Column(expected, t)) <= Tolerance);
        Assert.Equal(["letter", "x.box"], model.TargetNames);
        Assert.Throws<InvalidOperationException>(() => model.Predict(xTest));
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        var ridge = new KernelRidge(Kernel.Rbf(0.1), 1.0);
        var e = Assert.Throws<ArgumentException>(() => ridge.Fit(new double[,] { { 1, double.NaN }, { 2, 3 } }, [1.0, 2.0]));
        Assert.Contains("x[0, 1] is NaN", e.Message);
        Assert.Throws<ArgumentException>(() => ridge.Fit(new double[,] { { 1 }, { 2 } }, [1.0, 2.0, 3.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelRidge(Kernel.Rbf(0.1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel.Rbf(-1));
    }

    private static double[,] ToMatrix(double[][] rows)
    {
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }
}

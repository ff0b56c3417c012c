using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Errors;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Solvers;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Solvers;

/// <summary>
/// Exact kernel ridge regression through the library's pieces (CsvTable, Dataset, Preprocessor, kernels,
/// RidgeSolver) against predictions computed by scikit-learn's KernelRidge and an independent numpy NTK
/// (Fixtures/README.md).
/// </summary>
public sealed class ExactKrrFixtureTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6; // max |diff| / max |expected|

    /// <summary>Fits α = (K + λI)⁻¹Y on the training rows and predicts K(X_test, X_train)·α.</summary>
    private static Matrix<double> FitPredict(IFeatureKernel kernel, double lambda, Matrix<double> xTrain, Matrix<double> yTrain, Matrix<double> xTest)
    {
        Matrix<double> k = kernel.Evaluate(xTrain, xTrain);
        Matrix<double> alpha = RidgeSolver.Solve(k, lambda, yTrain);
        return kernel.Evaluate(xTest, xTrain) * alpha;
    }

    private void Check(string caseName, Matrix<double> predictions, string expectedFile, string[] expectedHeader)
    {
        Matrix<double> expected = LettersFixture.Expected(expectedFile, out string[] header);
        Assert.Equal(expectedHeader, header);
        Assert.Equal(200, expected.RowCount);
        double relative = LettersFixture.RelativeMaxError(predictions, expected);
        double absolute = (predictions - expected).Enumerate().Max(Math.Abs);
        output.WriteLine($"{caseName}: max |pred − expected| = {absolute:G3}, relative to max |expected| = {relative:G3} (bound {Tolerance:G1})");
        Assert.True(relative <= Tolerance, $"{caseName}: relative error {relative:G3} > {Tolerance:G1}");
    }

    [Fact]
    public void Fixture_data_has_the_documented_shape()
    {
        var (train, test) = LettersFixture.SingleTarget();
        Assert.Equal(400, train.Rows);
        Assert.Equal(200, test.Rows);
        Assert.Equal(16, train.X.ColumnCount);
        Assert.Equal(["letter"], train.TargetNames);
        Assert.Equal(11.965, train.Y.Column(0).Average(), 12); // training mean of letter, from the README

        var (train2, test2) = LettersFixture.TwoTargets();
        Assert.Equal(15, train2.X.ColumnCount);
        Assert.Equal(["letter", "x.box"], train2.TargetNames);
        Assert.Equal(200, test2.Rows);
        // The 2t layout is the same rows with x.box moved into the targets.
        Assert.Equal(train.X.Column(0), train2.Y.Column(1));
        Assert.Equal(train.Y.Column(0), train2.Y.Column(0));
    }

    [Fact]
    public void Rbf_raw()
    {
        var (train, test) = LettersFixture.SingleTarget();
        var pred = FitPredict(new RbfKernel(0.02), 0.5, train.X, train.Y, test.X);
        Check("rbf-raw", pred, "expected-rbf-raw.csv", ["prediction"]);
    }

    [Fact]
    public void Laplace_raw()
    {
        var (train, test) = LettersFixture.SingleTarget();
        var pred = FitPredict(new LaplaceKernel(0.05), 0.5, train.X, train.Y, test.X);
        Check("laplace-raw", pred, "expected-laplace-raw.csv", ["prediction"]);
    }

    [Fact]
    public void Rbf_standardized()
    {
        var (train, test) = LettersFixture.SingleTarget();
        var pre = Preprocessor.Fit(train.X, train.Y, standardize: true, scaleTarget: false, normalize: false);
        Assert.Equal(11.965, pre.TargetMeans[0], 12);
        Assert.Equal(1.0, pre.TargetScales[0]);
        var pred = FitPredict(new RbfKernel(0.05), 0.1,
            pre.TransformFeatures(train.X), pre.TransformTargets(train.Y), pre.TransformFeatures(test.X));
        Check("rbf-standardized", pre.InverseTransformTargets(pred), "expected-rbf-standardized.csv", ["prediction"]);
    }

    [Fact]
    public void Ntk_normalized()
    {
        var (train, test) = LettersFixture.SingleTarget();
        var pre = Preprocessor.Fit(train.X, train.Y, standardize: true, scaleTarget: false, normalize: true);
        var xTrain = pre.TransformFeatures(train.X);
        for (int i = 0; i < xTrain.RowCount; i++) Assert.Equal(1.0, xTrain.Row(i).L2Norm(), 12);
        var pred = FitPredict(new NtkKernel(), 0.1, xTrain, pre.TransformTargets(train.Y), pre.TransformFeatures(test.X));
        // The README's tolerance note: arccos at c = 1 makes agreement to ~4e-8 the best one can expect.
        Check("ntk-normalized", pre.InverseTransformTargets(pred), "expected-ntk-normalized.csv", ["prediction"]);
    }

    [Fact]
    public void Rbf_two_targets()
    {
        var (train, test) = LettersFixture.TwoTargets();
        var pred = FitPredict(new RbfKernel(0.02), 0.5, train.X, train.Y, test.X);
        Assert.Equal(2, pred.ColumnCount);
        Check("rbf-two-targets", pred, "expected-rbf-two-targets.csv", ["prediction_letter", "prediction_x.box"]);

        // A multi-output fit is two independent fits with one kernel matrix.
        var single = FitPredict(new RbfKernel(0.02), 0.5, train.X, train.Y.SubMatrix(0, train.Rows, 0, 1), test.X);
        Assert.True((single.Column(0) - pred.Column(0)).AbsoluteMaximum() <= 1e-12 * pred.Column(0).AbsoluteMaximum());
    }

    [Fact]
    public void Solve_satisfies_the_ridge_system()
    {
        // Residual check independent of any reference: (K + λI)·α = Y.
        var (train, _) = LettersFixture.SingleTarget();
        var k = new LaplaceKernel(0.05).Evaluate(train.X, train.X);
        var alpha = RidgeSolver.Solve(k, 0.5, train.Y);
        var residual = k * alpha + 0.5 * alpha - train.Y;
        Assert.True(residual.InfinityNorm() <= 1e-10 * train.Y.InfinityNorm(), $"residual {residual.InfinityNorm():G3}");
        // The input matrix is not modified by the solve.
        Assert.Equal(new LaplaceKernel(0.05).Evaluate(train.X, train.X), k);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Non_positive_lambda_is_rejected(double lambda)
    {
        var s = Matrix<double>.Build.DenseIdentity(3);
        Assert.Throws<InvalidInputException>(() => RidgeSolver.Solve(s, lambda, Matrix<double>.Build.Dense(3, 1, 1.0)));
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RidgeSolver.Solve(Matrix<double>.Build.Dense(3, 4), 1, Matrix<double>.Build.Dense(3, 1)));
        Assert.Throws<ArgumentException>(() => RidgeSolver.Solve(Matrix<double>.Build.DenseIdentity(3), 1, Matrix<double>.Build.Dense(4, 1)));
    }

    [Fact]
    public void Indefinite_system_gives_numerical_failure_with_advice()
    {
        // S + λI with S = −2I and λ = 1 is negative definite: Cholesky must fail and say what to do.
        var s = -2.0 * Matrix<double>.Build.DenseIdentity(3);
        var error = Assert.Throws<NumericalFailureException>(() => RidgeSolver.Solve(s, 1.0, Matrix<double>.Build.Dense(3, 1, 1.0)));
        Assert.Contains("--lambda", error.Message);
    }
}

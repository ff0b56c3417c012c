using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Solvers;
using Xunit;
using Xunit.Abstractions;

namespace NtkCluster.Numerics.Tests.Solvers;

/// <summary>
/// Random-feature ridge regression approaches exact KRR as M grows (the feature Gram ΨΨᵀ is an unbiased
/// Monte-Carlo estimate of K with error ∝ 1/√M), and the primal and dual forms of the random-feature fit agree
/// (push-through identity).
/// </summary>
public sealed class RandomFeatureConvergenceTests(ITestOutputHelper output)
{
    private const double Gamma = 0.05, Lambda = 0.1;

    private sealed record Setting(Matrix<double> XTrain, Matrix<double> YTrain, Matrix<double> XTest, Preprocessor Pre);

    /// <summary>The rbf-standardized case of the fixtures.</summary>
    private static Setting Standardized()
    {
        var (train, test) = LettersFixture.SingleTarget();
        var pre = Preprocessor.Fit(train.X, train.Y, standardize: true, scaleTarget: false, normalize: false);
        return new Setting(pre.TransformFeatures(train.X), pre.TransformTargets(train.Y), pre.TransformFeatures(test.X), pre);
    }

    /// <summary>β = (ΨᵀΨ + λI)⁻¹ΨᵀY.</summary>
    private static Matrix<double> Primal(Matrix<double> psi, Matrix<double> y, double lambda) =>
        RidgeSolver.Solve(psi.TransposeThisAndMultiply(psi), lambda, psi.TransposeThisAndMultiply(y));

    /// <summary>β = Ψᵀ(ΨΨᵀ + λI)⁻¹Y.</summary>
    private static Matrix<double> Dual(Matrix<double> psi, Matrix<double> y, double lambda) =>
        psi.TransposeThisAndMultiply(RidgeSolver.Solve(psi.TransposeAndMultiply(psi), lambda, y));

    /// <summary>Random-feature predictions on the test rows in target units; the smaller system of the two forms is solved.</summary>
    private static Matrix<double> RandomFeaturePredictions(Setting s, int m, ulong seed)
    {
        var kernel = new RbfKernel(Gamma);
        FeatureDraws draws = PlainSampler.Sample(kernel, s.XTrain.ColumnCount, m, seed);
        Matrix<double> psi = FeatureMap.Build(draws, s.XTrain);
        Matrix<double> beta = draws.ColumnCount <= s.XTrain.RowCount ? Primal(psi, s.YTrain, Lambda) : Dual(psi, s.YTrain, Lambda);
        return s.Pre.InverseTransformTargets(FeatureMap.Build(draws, s.XTest) * beta);
    }

    [Fact]
    public void Predictions_approach_exact_Krr_as_the_number_of_features_grows()
    {
        Setting s = Standardized();
        // Exact KRR predictions: the scikit-learn reference itself (ExactKrrFixtureTests shows our exact fit matches it).
        Matrix<double> exact = LettersFixture.Expected("expected-rbf-standardized.csv", out _);
        double mean = s.Pre.TargetMeans[0];
        double spread = exact.Column(0).Subtract(mean).L2Norm();

        double Distance(int m)
        {
            double sum = 0;
            foreach (ulong seed in new ulong[] { 1, 2, 3 })
            {
                double e = (RandomFeaturePredictions(s, m, seed) - exact).Column(0).L2Norm() / spread;
                output.WriteLine($"M = {m,5}, seed {seed}: ‖f_M − f_exact‖/‖f_exact − mean‖ = {e:F4}");
                sum += e;
            }
            return sum / 3;
        }

        double small = Distance(100), large = Distance(4000);
        double ratio = large / small;
        output.WriteLine($"mean relative distance: M=100 {small:F4}, M=4000 {large:F4}; ratio {ratio:F3} (1/√40 = {1 / Math.Sqrt(40):F3})");
        Assert.True(ratio <= 0.4, $"error ratio M=4000 vs M=100 is {ratio:F3}, expected ≲ 0.16 and at most 0.4");
        Assert.True(large < 0.5, $"with 4000 features the predictions are still {large:F3} away (relative)");
    }

    public static TheoryData<string, int> PrimalDualCases => new()
    {
        { "rbf:gamma=0.05", 300 },     // primal 300×300, dual 400×400
        { "laplace:gamma=0.05", 250 },
        { "ntk", 20 },                 // m = 20·16 = 320 columns
    };

    [Theory]
    [MemberData(nameof(PrimalDualCases))]
    public void Primal_and_dual_give_the_same_coefficients(string spec, int m)
    {
        Setting s = Standardized();
        IFeatureKernel kernel = KernelSpec.Parse(spec);
        Matrix<double> x = s.XTrain;
        if (kernel is NtkKernel) x = Preprocessor.Fit(x, s.YTrain, false, false, normalize: true).TransformFeatures(x);
        FeatureDraws draws = PlainSampler.Sample(kernel, x.ColumnCount, m, 17);
        Matrix<double> psi = FeatureMap.Build(draws, x);
        Assert.True(psi.ColumnCount < psi.RowCount, "both forms feasible, primal the smaller");

        Matrix<double> primal = Primal(psi, s.YTrain, Lambda);
        Matrix<double> dual = Dual(psi, s.YTrain, Lambda);
        double relative = (primal - dual).FrobeniusNorm() / primal.FrobeniusNorm();
        output.WriteLine($"{spec}, m = {psi.ColumnCount}: ‖β_primal − β_dual‖/‖β_primal‖ = {relative:G3}");
        Assert.True(relative <= 1e-8, $"primal and dual β differ by {relative:G3} (relative)");

        // Through the library's own Gram routines too (they symmetrise and are what the fits use).
        var backend = DenseBackend.Current;
        Matrix<double> primalBackend = RidgeSolver.Solve(backend.Gram(psi), Lambda, backend.TransposeAndMultiply(psi, s.YTrain));
        Matrix<double> dualBackend = backend.TransposeAndMultiply(psi, RidgeSolver.Solve(backend.OuterGram(psi), Lambda, s.YTrain));
        Assert.True((primalBackend - primal).FrobeniusNorm() <= 1e-10 * primal.FrobeniusNorm());
        Assert.True((dualBackend - primal).FrobeniusNorm() <= 1e-8 * primal.FrobeniusNorm());
    }

    [Fact]
    public void Dual_solves_the_primal_normal_equations_when_features_outnumber_rows()
    {
        // m > n: only the dual is cheap; its β must still solve the primal normal equations (ΨᵀΨ + λI)β = ΨᵀY.
        Setting s = Standardized();
        var rows = Enumerable.Range(0, 60).ToArray();
        Matrix<double> x = Matrix<double>.Build.Dense(rows.Length, s.XTrain.ColumnCount, (i, j) => s.XTrain[rows[i], j]);
        Matrix<double> y = Matrix<double>.Build.Dense(rows.Length, 1, (i, _) => s.YTrain[rows[i], 0]);
        FeatureDraws draws = PlainSampler.Sample(new RbfKernel(Gamma), x.ColumnCount, 150, 4);
        Matrix<double> psi = FeatureMap.Build(draws, x);
        Matrix<double> beta = Dual(psi, y, Lambda);
        Matrix<double> residual = psi.TransposeThisAndMultiply(psi) * beta + Lambda * beta - psi.TransposeThisAndMultiply(y);
        Assert.True(residual.FrobeniusNorm() <= 1e-9 * psi.TransposeThisAndMultiply(y).FrobeniusNorm(),
            $"normal-equation residual {residual.FrobeniusNorm():G3}");
    }
}

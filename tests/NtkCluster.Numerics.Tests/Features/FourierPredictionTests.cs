using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Random;
using Xunit;

namespace NtkCluster.Numerics.Tests.Features;

/// <summary>Ψβ of Fourier features without building Ψ (the prediction path of narrow data).</summary>
public sealed class FourierPredictionTests
{
    private static Matrix<double> Data(int rows, int cols, int seed)
    {
        var rng = new System.Random(seed);
        return Matrix<double>.Build.Dense(rows, cols, (_, _) => 4 * rng.NextDouble() - 2);
    }

    private static FeatureDraws Draws(string spec, int d, int m)
    {
        var kernel = KernelSpec.Parse(spec);
        var plain = PlainSampler.Sample(kernel, d, m, 17);
        var weights = Enumerable.Range(0, m).Select(r => 0.5 + r % 3).ToArray(); // leverage-style weights, not all 1
        return new FeatureDraws(kernel, d, plain.Draws, weights);
    }

    [Theory]
    [InlineData("rbf:gamma=0.5", 2)]
    [InlineData("laplace:gamma=0.3", 9)]
    public void Equals_psi_times_beta_from_the_feature_matrix(string spec, int d)
    {
        const int m = 70;
        var draws = Draws(spec, d, m);
        var x = Data(45, d, 3);
        var beta = Data(m, 2, 4); // two targets
        var expected = FeatureMap.Build(draws, x) * beta;
        var actual = FourierPrediction.Predict(draws, x, beta);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(2, actual.ColumnCount);
        double bound = 1e-13 * beta.Enumerate().Sum(Math.Abs);
        for (int i = 0; i < x.RowCount; i++)
            for (int t = 0; t < 2; t++)
                Assert.True(Math.Abs(expected[i, t] - actual[i, t]) <= bound, $"row {i}, target {t}: {actual[i, t]:R} against {expected[i, t]:R}");
    }

    /// <summary>A row's prediction is the same bits whether predicted alone, in a vector body or in a scalar tail.</summary>
    [Fact]
    public void A_rows_prediction_does_not_depend_on_its_block()
    {
        var draws = Draws("rbf:gamma=0.5", 2, 40);
        var x = Data(37, 2, 5);
        var beta = Data(40, 1, 6);
        var whole = FourierPrediction.Predict(draws, x, beta);
        for (int start = 0; start < 37; start += 5)
        {
            int length = Math.Min(13, 37 - start);
            var part = FourierPrediction.Predict(draws, x.SubMatrix(start, length, 0, 2), beta);
            for (int i = 0; i < length; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(whole[start + i, 0]), BitConverter.DoubleToInt64Bits(part[i, 0]));
        }
    }

    [Fact]
    public void Applies_to_narrow_Fourier_data_only()
    {
        Assert.True(FourierPrediction.Applies(Draws("rbf:gamma=0.5", 16, 8), Data(3, 16, 1)));
        Assert.False(FourierPrediction.Applies(Draws("rbf:gamma=0.5", 17, 8), Data(3, 17, 1)));
        Assert.False(FourierPrediction.Applies(Draws("ntk", 2, 8), Data(3, 2, 1)));
        Assert.Throws<ArgumentException>(() => FourierPrediction.Predict(Draws("rbf:gamma=0.5", 2, 8), Data(3, 2, 1), Data(7, 1, 1)));
    }
}

using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Numerics.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Data;

public sealed class PreprocessorTests
{
    private static Matrix<double> M(double[,] values) => Matrix<double>.Build.DenseOfArray(values);

    // Column 0: 1, 2, 3, 6 -> mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
    // Column 1: constant 5.
    // Column 2: -1, 1, -1, 1 -> mean 0, population std 1.
    private static readonly Matrix<double> X = M(new double[,] { { 1, 5, -1 }, { 2, 5, 1 }, { 3, 5, -1 }, { 6, 5, 1 } });

    // Target: 10, 20, 30, 40 -> mean 25, population variance (225 + 25 + 25 + 225) / 4 = 125.
    private static readonly Matrix<double> Y = M(new double[,] { { 10 }, { 20 }, { 30 }, { 40 } });

    [Fact]
    public void Standardize_uses_population_mean_and_std()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, standardize: true, scaleTarget: false, normalize: false);

        Assert.Equal([3.0, 5.0, 0.0], p.FeatureMeans);
        Assert.Equal(Math.Sqrt(3.5), p.FeatureScales[0], 14);
        Assert.Equal(1.0, p.FeatureScales[2], 14);

        Matrix<double> z = p.TransformFeatures(X);
        Assert.Equal((1 - 3) / Math.Sqrt(3.5), z[0, 0], 14);
        Assert.Equal((6 - 3) / Math.Sqrt(3.5), z[3, 0], 14);
        Assert.Equal(-1.0, z[0, 2], 14);
        // A standardized column has mean 0 and population variance 1.
        Assert.Equal(0.0, z.Column(0).Average(), 14);
        Assert.Equal(1.0, z.Column(0).Select(v => v * v).Average(), 14);
    }

    [Fact]
    public void Constant_column_is_only_centred()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, standardize: true, scaleTarget: false, normalize: false);
        Assert.Equal(1.0, p.FeatureScales[1]);
        Assert.All(p.TransformFeatures(X).Column(1), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Near_constant_column_from_rounding_is_only_centred()
    {
        // 0.1 + 0.2 differs from 0.3 only by rounding; the two-pass variance is ~1e-33, which sklearn's bound calls zero.
        var x = M(new double[,] { { 0.3 }, { 0.1 + 0.2 }, { 0.3 } });
        double mean = x.Column(0).Average();
        Assert.NotEqual(0.0, x.Column(0).Select(v => (v - mean) * (v - mean)).Sum()); // not exactly constant
        Preprocessor p = Preprocessor.Fit(x, M(new double[,] { { 1 }, { 2 }, { 3 } }), true, false, false);
        Assert.Equal(1.0, p.FeatureScales[0]);
    }

    [Fact]
    public void Standardize_centres_but_does_not_scale_the_target()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, standardize: true, scaleTarget: false, normalize: false);
        Assert.Equal([25.0], p.TargetMeans);
        Assert.Equal([1.0], p.TargetScales);
        Assert.Equal(M(new double[,] { { -15 }, { -5 }, { 5 }, { 15 } }), p.TransformTargets(Y));
    }

    [Fact]
    public void Scale_target_centres_and_scales_target_but_leaves_features()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, standardize: false, scaleTarget: true, normalize: false);

        Assert.Equal([25.0], p.TargetMeans);
        Assert.Equal(Math.Sqrt(125), p.TargetScales[0], 12);
        Assert.Equal(-15 / Math.Sqrt(125), p.TransformTargets(Y)[0, 0], 14);
        Assert.Equal([0.0, 0.0, 0.0], p.FeatureMeans);
        Assert.Equal([1.0, 1.0, 1.0], p.FeatureScales);
        Assert.Equal(X, p.TransformFeatures(X));
    }

    [Fact]
    public void No_flags_is_the_identity()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, false, false, false);
        Assert.Equal([0.0, 0.0, 0.0], p.FeatureMeans);
        Assert.Equal([1.0, 1.0, 1.0], p.FeatureScales);
        Assert.Equal([0.0], p.TargetMeans);
        Assert.Equal([1.0], p.TargetScales);
        Assert.Equal(X, p.TransformFeatures(X));
        Assert.Equal(Y, p.TransformTargets(Y));
        Assert.Equal(Y, p.InverseTransformTargets(Y));
    }

    [Fact]
    public void Normalize_gives_unit_norm_rows_and_keeps_zero_rows_zero()
    {
        var x = M(new double[,] { { 3, 4 }, { 0, 0 }, { -1, 1 }, { 1e-200, 0 } });
        Preprocessor p = Preprocessor.Fit(x, M(new double[,] { { 1 }, { 2 }, { 3 }, { 4 } }), false, false, normalize: true);
        Matrix<double> z = p.TransformFeatures(x);

        Assert.Equal(0.6, z[0, 0], 15);
        Assert.Equal(0.8, z[0, 1], 15);
        Assert.Equal(0.0, z[1, 0]);
        Assert.Equal(0.0, z[1, 1]);
        Assert.Equal(1.0, z.Row(2).L2Norm(), 15);
    }

    [Fact]
    public void Normalize_applies_after_standardizing()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, standardize: true, scaleTarget: false, normalize: true);
        Matrix<double> z = p.TransformFeatures(X);
        for (int r = 0; r < z.RowCount; r++) Assert.Equal(1.0, z.Row(r).L2Norm(), 14);
        // Row 0 standardized is ((1-3)/sqrt(3.5), 0, -1); normalized keeps its direction.
        double a = -2 / Math.Sqrt(3.5);
        Assert.Equal(a / Math.Sqrt(a * a + 1), z[0, 0], 14);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Inverse_transform_round_trips(bool standardize, bool scaleTarget)
    {
        var y = M(new double[,] { { 1.5, -3 }, { 2.25, 7 }, { -4, 0.5 }, { 10, 2 } });
        Preprocessor p = Preprocessor.Fit(X, y, standardize, scaleTarget, false);
        Matrix<double> back = p.InverseTransformTargets(p.TransformTargets(y));
        Assert.True((back - y).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void Transforms_do_not_modify_their_input()
    {
        Matrix<double> x = X.Clone(), y = Y.Clone();
        Preprocessor p = Preprocessor.Fit(x, y, true, true, true);
        p.TransformFeatures(x);
        p.TransformTargets(y);
        p.InverseTransformTargets(y);
        Assert.Equal(X, x);
        Assert.Equal(Y, y);
    }

    [Fact]
    public void Applies_training_statistics_to_new_data()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, true, false, false);
        Matrix<double> z = p.TransformFeatures(M(new double[,] { { 3, 7, 2 } }));
        Assert.Equal(0.0, z[0, 0], 15);
        Assert.Equal(2.0, z[0, 1], 15); // constant column: centred on 5, not scaled
        Assert.Equal(2.0, z[0, 2], 15);
    }

    [Fact]
    public void Dimension_mismatches_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Preprocessor.Fit(X, M(new double[,] { { 1 } }), true, false, false));
        Preprocessor p = Preprocessor.Fit(X, Y, true, false, false);
        Assert.Throws<ArgumentException>(() => p.TransformFeatures(Matrix<double>.Build.Dense(2, 2)));
        Assert.Throws<ArgumentException>(() => p.TransformTargets(Matrix<double>.Build.Dense(2, 2)));
        Assert.Throws<ArgumentException>(() => p.InverseTransformTargets(Matrix<double>.Build.Dense(2, 2)));
    }

    [Fact]
    public void Round_trips_through_System_Text_Json()
    {
        Preprocessor p = Preprocessor.Fit(X, Y, true, true, true);
        Preprocessor back = JsonSerializer.Deserialize<Preprocessor>(JsonSerializer.Serialize(p))!;

        Assert.True(back.Standardize);
        Assert.True(back.ScaleTarget);
        Assert.True(back.Normalize);
        Assert.Equal(p.FeatureMeans, back.FeatureMeans);
        Assert.Equal(p.FeatureScales, back.FeatureScales);
        Assert.Equal(p.TargetMeans, back.TargetMeans);
        Assert.Equal(p.TargetScales, back.TargetScales);
        Assert.Equal(p.TransformFeatures(X), back.TransformFeatures(X));
    }
}

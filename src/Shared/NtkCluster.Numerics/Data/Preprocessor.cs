using MathNet.Numerics.LinearAlgebra;

namespace NtkCluster.Numerics.Data;

/// <summary>
/// The preprocessing fitted on the training data, stored with the model so that <c>predict</c> applies exactly the
/// same shifts and scales to new data, and maps predictions back to the units of the target.
/// </summary>
/// <remarks>
/// <para>
/// Why preprocess at all: random-feature kernels and the NTK are not scale-invariant. A column measured in
/// thousands dominates a column measured in fractions, and the bandwidth or initialisation that suits one scale
/// suits no other. Standardizing puts every feature on the same footing.
/// </para>
/// <para>The three flags:</para>
/// <list type="bullet">
/// <item><see cref="Standardize"/>: features become z-scores with the training mean and the <em>population</em>
/// standard deviation (divisor n, as scikit-learn's <c>StandardScaler</c>), and the target is centred, so a model
/// without an intercept need not learn the target's mean.</item>
/// <item><see cref="ScaleTarget"/>: the target is centred <em>and</em> divided by its population standard deviation,
/// whether or not features are standardized, so a regularization strength means the same thing for targets in
/// any unit. Features are not touched by this flag.</item>
/// <item><see cref="Normalize"/>: after standardizing (if asked), each row is divided by its Euclidean norm, which
/// puts every sample on the unit sphere, where the arc-cosine/NTK kernels are defined by angle alone. A zero row
/// stays zero. This step has no inverse, and needs none: it is only applied to features.</item>
/// </list>
/// <para>
/// A (near-)constant column is centred but not scaled: its scale is set to 1, using scikit-learn's rule that a
/// variance within the rounding error of the two-pass variance computation counts as zero. Dividing by such a
/// tiny "standard deviation" would turn rounding noise into a feature with unit variance.
/// </para>
/// <para>
/// With no flag the transform is the identity: means 0, scales 1. Properties are public and init-only so that
/// System.Text.Json can write and read a fitted preprocessor as part of a model file.
/// </para>
/// </remarks>
public sealed class Preprocessor
{
    /// <summary>2⁻⁵², the spacing of doubles at 1 (numpy's <c>finfo(float64).eps</c>), not <see cref="double.Epsilon"/>.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public bool Standardize { get; init; }
    public bool ScaleTarget { get; init; }
    public bool Normalize { get; init; }

    /// <summary>Subtracted from each feature column; zeros unless <see cref="Standardize"/>.</summary>
    public double[] FeatureMeans { get; init; } = [];

    /// <summary>Each centred feature column is divided by this; ones unless <see cref="Standardize"/>; never zero.</summary>
    public double[] FeatureScales { get; init; } = [];

    /// <summary>Subtracted from each target column; zeros unless <see cref="Standardize"/> or <see cref="ScaleTarget"/>.</summary>
    public double[] TargetMeans { get; init; } = [];

    /// <summary>Each centred target column is divided by this; ones unless <see cref="ScaleTarget"/>; never zero.</summary>
    public double[] TargetScales { get; init; } = [];

    /// <summary>How missing feature cells were handled in training (<c>--missing</c>: "drop", "mean", "median"); null when
    /// none was allowed. Null or "drop": a missing cell at prediction is refused.</summary>
    public string? Missing { get; init; }

    /// <summary>With <c>--missing mean|median</c>: the value that fills a missing cell of each feature column, learnt from
    /// the training rows (<see cref="MissingValues.Fills"/>) and applied before the shift and scale; null otherwise.</summary>
    public double[]? FeatureFills { get; init; }

    /// <summary>The categorical features' one-hot encoding, learnt from the training rows (<see cref="CategoricalTable"/>)
    /// and applied as data is read, before everything above; null when every feature column is numeric.</summary>
    public CategoricalColumn[]? Categorical { get; init; }

    /// <summary>The same preprocessing, remembering how missing values were handled in training.</summary>
    public Preprocessor WithMissing(MissingPolicy policy, double[]? fills) => new()
    {
        Standardize = Standardize, ScaleTarget = ScaleTarget, Normalize = Normalize,
        FeatureMeans = FeatureMeans, FeatureScales = FeatureScales, TargetMeans = TargetMeans, TargetScales = TargetScales,
        Missing = MissingValues.Name(policy), FeatureFills = fills, Categorical = Categorical,
    };

    /// <summary>The same preprocessing, remembering the categorical features' encoding (null: none).</summary>
    public Preprocessor WithCategorical(CategoricalColumn[]? categorical) => new()
    {
        Standardize = Standardize, ScaleTarget = ScaleTarget, Normalize = Normalize,
        FeatureMeans = FeatureMeans, FeatureScales = FeatureScales, TargetMeans = TargetMeans, TargetScales = TargetScales,
        Missing = Missing, FeatureFills = FeatureFills, Categorical = categorical,
    };

    /// <summary>
    /// <see cref="Fit(Matrix{double}, Matrix{double}, bool, bool, bool)"/> on a data set, leaving its one-hot columns
    /// (<see cref="Dataset.OneHot"/>) unstandardized: mean 0 and scale 1, so they stay 0/1, as scikit-learn's
    /// <c>ColumnTransformer</c> with a <c>StandardScaler</c> on the numeric columns only.
    /// </summary>
    public static Preprocessor Fit(Dataset train, bool standardize, bool scaleTarget, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(train);
        return LeaveUnscaled(Fit(train.X, train.Y, standardize, scaleTarget, normalize), train.OneHot);
    }

    /// <summary>The preprocessing with the marked feature columns given mean 0 and scale 1 (none when the mask is null).</summary>
    public static Preprocessor LeaveUnscaled(Preprocessor p, bool[]? unscaled)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (unscaled is null || !p.Standardize) return p;
        if (unscaled.Length != p.FeatureMeans.Length)
            throw new ArgumentException($"{unscaled.Length} one-hot flags for {p.FeatureMeans.Length} feature columns", nameof(unscaled));
        double[] means = (double[])p.FeatureMeans.Clone(), scales = (double[])p.FeatureScales.Clone();
        for (int c = 0; c < unscaled.Length; c++)
        {
            if (!unscaled[c]) continue;
            means[c] = 0;
            scales[c] = 1;
        }
        return new Preprocessor
        {
            Standardize = p.Standardize, ScaleTarget = p.ScaleTarget, Normalize = p.Normalize,
            FeatureMeans = means, FeatureScales = scales, TargetMeans = p.TargetMeans, TargetScales = p.TargetScales,
            Missing = p.Missing, FeatureFills = p.FeatureFills, Categorical = p.Categorical,
        };
    }

    /// <summary>Learns the means and scales from the training features <paramref name="x"/> and targets <paramref name="y"/>.</summary>
    /// <remarks>The statistics are those of <see cref="ColumnMoments.Of"/>, so this equals <see cref="FromMoments"/> on
    /// the same data streamed in blocks, bitwise.</remarks>
    /// <exception cref="ArgumentException">The matrices have different numbers of rows, or no rows.</exception>
    public static Preprocessor Fit(Matrix<double> x, Matrix<double> y, bool standardize, bool scaleTarget, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.RowCount != y.RowCount)
            throw new ArgumentException($"features have {x.RowCount} rows but targets have {y.RowCount}", nameof(y));
        if (x.RowCount == 0) throw new ArgumentException("cannot fit preprocessing on zero rows", nameof(x));
        return FromMoments(ColumnMoments.Of(x), ColumnMoments.Of(y), standardize, scaleTarget, normalize);
    }

    /// <summary>
    /// The preprocessing for training data summarized by its column moments — the way data too large to hold is
    /// standardized, one pass over its blocks.
    /// </summary>
    /// <exception cref="ArgumentException">The moments cover different numbers of rows, or no rows.</exception>
    public static Preprocessor FromMoments(ColumnMoments features, ColumnMoments targets, bool standardize, bool scaleTarget, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count != targets.Count)
            throw new ArgumentException($"feature moments cover {features.Count} rows but target moments {targets.Count}", nameof(targets));
        if (features.Count == 0) throw new ArgumentException("cannot fit preprocessing on zero rows", nameof(features));

        (double[] featureMeans, double[] featureScales) = standardize ? MeansAndScales(features) : Identity(features.Columns);

        (double[] targetMeans, double[] targetScales) = Identity(targets.Columns);
        if (scaleTarget)
        {
            (targetMeans, targetScales) = MeansAndScales(targets);
        }
        else if (standardize)
        {
            targetMeans = targets.Means();
        }

        return new Preprocessor
        {
            Standardize = standardize,
            ScaleTarget = scaleTarget,
            Normalize = normalize,
            FeatureMeans = featureMeans,
            FeatureScales = featureScales,
            TargetMeans = targetMeans,
            TargetScales = targetScales,
        };
    }

    /// <summary>Applies the fitted feature transform to new data; the input is not modified.</summary>
    /// <exception cref="ArgumentException">The number of columns differs from the training features.</exception>
    public Matrix<double> TransformFeatures(Matrix<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckWidth(x, FeatureMeans, FeatureScales, "feature");
        if (FeatureFills is not null) x = MissingValues.Fill(x, FeatureFills);
        int n = x.RowCount, d = x.ColumnCount;
        double[] data = x.ToColumnMajorArray();
        ShiftAndScale(data, n, FeatureMeans, FeatureScales);

        if (Normalize)
        {
            var squaredNorms = new double[n];
            for (int c = 0; c < d; c++)
            {
                int offset = c * n;
                for (int r = 0; r < n; r++) squaredNorms[r] += data[offset + r] * data[offset + r];
            }
            var inverseNorms = new double[n];
            for (int r = 0; r < n; r++) inverseNorms[r] = squaredNorms[r] > 0 ? 1.0 / Math.Sqrt(squaredNorms[r]) : 0.0;
            for (int c = 0; c < d; c++)
            {
                int offset = c * n;
                for (int r = 0; r < n; r++) data[offset + r] *= inverseNorms[r];
            }
        }
        return Matrix<double>.Build.Dense(n, d, data);
    }

    /// <summary>Maps targets into the space the model is fitted in; the input is not modified.</summary>
    /// <exception cref="ArgumentException">The number of columns differs from the training targets.</exception>
    public Matrix<double> TransformTargets(Matrix<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        CheckWidth(y, TargetMeans, TargetScales, "target");
        double[] data = y.ToColumnMajorArray();
        ShiftAndScale(data, y.RowCount, TargetMeans, TargetScales);
        return Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount, data);
    }

    /// <summary>Maps model outputs back to the target's own units: multiplies by the scale, adds the mean back.</summary>
    /// <exception cref="ArgumentException">The number of columns differs from the training targets.</exception>
    public Matrix<double> InverseTransformTargets(Matrix<double> yScaled)
    {
        ArgumentNullException.ThrowIfNull(yScaled);
        CheckWidth(yScaled, TargetMeans, TargetScales, "target");
        int n = yScaled.RowCount;
        double[] data = yScaled.ToColumnMajorArray();
        for (int c = 0; c < TargetMeans.Length; c++)
        {
            double mean = TargetMeans[c], scale = TargetScales[c];
            int offset = c * n;
            for (int r = 0; r < n; r++) data[offset + r] = data[offset + r] * scale + mean;
        }
        return Matrix<double>.Build.Dense(n, yScaled.ColumnCount, data);
    }

    private static void ShiftAndScale(double[] columnMajor, int n, double[] means, double[] scales)
    {
        for (int c = 0; c < means.Length; c++)
        {
            double mean = means[c], inverseScale = 1.0 / scales[c];
            int offset = c * n;
            for (int r = 0; r < n; r++) columnMajor[offset + r] = (columnMajor[offset + r] - mean) * inverseScale;
        }
    }

    private static void CheckWidth(Matrix<double> m, double[] means, double[] scales, string kind)
    {
        if (means.Length != scales.Length)
            throw new InvalidOperationException($"preprocessor is inconsistent: {means.Length} {kind} means but {scales.Length} scales");
        if (m.ColumnCount != means.Length)
            throw new ArgumentException($"expected {means.Length} {kind} columns, got {m.ColumnCount}", nameof(m));
    }

    private static (double[] Means, double[] Scales) Identity(int columns)
    {
        var scales = new double[columns];
        Array.Fill(scales, 1.0);
        return (new double[columns], scales);
    }

    /// <summary>
    /// Column means and population standard deviations from <see cref="ColumnMoments"/>, with near-constant columns
    /// given scale 1 exactly as scikit-learn's <c>_is_constant_feature</c> and <c>_handle_zeros_in_scale</c> do:
    /// a column is constant when <c>var ≤ n·ε·var + (n·mean·ε)²</c>, the error bound of the two-pass variance
    /// (Chan, Golub and LeVeque), which the block-merged variance of <see cref="ColumnMoments"/> shares.
    /// </summary>
    private static (double[] Means, double[] Scales) MeansAndScales(ColumnMoments m)
    {
        long n = m.Count;
        double[] means = m.Means(), variances = m.Variances();
        var scales = new double[means.Length];
        for (int c = 0; c < means.Length; c++)
        {
            double bias = n * means[c] * MachineEpsilon;
            double upperBound = n * MachineEpsilon * variances[c] + bias * bias;
            scales[c] = variances[c] <= upperBound ? 1.0 : Math.Sqrt(variances[c]);
        }
        return (means, scales);
    }
}

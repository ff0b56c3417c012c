using MathNet.Numerics.LinearAlgebra;
using NtkCluster.Fit;
using NtkCluster.Leverage;
using NtkCluster.Numerics.Data;
using NtkCluster.Numerics.Evaluation;
using NtkCluster.Numerics.Execution;
using NtkCluster.Numerics.Features;
using NtkCluster.Numerics.Kernels;
using NtkCluster.Numerics.Spectral;

namespace NtkCluster.Spectral;

/// <summary>
/// What <c>spectral</c> and <c>sweep</c> both prepare before measuring ε: the preprocessed training rows, the full
/// kernel matrix when n allows (or exact leverage scores need it), and the rows on which ε is measured — all of
/// them, or a seeded subsample whose ε is a lower bound.
/// </summary>
public sealed class SpectralSetting
{
    public required IFeatureKernel Kernel { get; init; }
    public required Preprocessor Preprocessing { get; init; }
    public required Matrix<double> X { get; init; }

    /// <summary>K(X, X), or null when n is beyond both the exact-ε and the exact-leverage limits.</summary>
    public Matrix<double>? KernelMatrix { get; init; }

    /// <summary>True when ε is measured on all rows.</summary>
    public required bool ExactRows { get; init; }

    /// <summary>The rows ε is measured on, their features and their kernel matrix.</summary>
    public required Matrix<double> MeasuredX { get; init; }
    public required Matrix<double> MeasuredKernel { get; init; }

    public static async Task<SpectralSetting> PrepareAsync(IBlockRounds rounds, string jobId, Dataset train, FitSettings s, int exactRowLimit)
    {
        var kernel = KernelSpec.Parse(s.KernelSpec);
        var pre = Preprocessor.Fit(train.X, train.Y, s.Standardize, s.ScaleTarget, s.Normalize);
        var x = pre.TransformFeatures(train.X);
        int n = x.RowCount;
        bool exactRows = n <= exactRowLimit;
        bool exactScores = FeatureSampler.ResolveMode(s.LeverageMode, n) == "exact";
        var k = exactRows || exactScores ? await rounds.KernelMatrixAsync(jobId, kernel, x) : null;
        var rows = exactRows ? null : FeatureSampler.SubsampleRows(n, exactRowLimit, s.Seed);
        var xs = rows is null ? x : Matrix<double>.Build.Dense(rows.Length, x.ColumnCount, (i, j) => x[rows[i], j]);
        return new SpectralSetting
        {
            Kernel = kernel, Preprocessing = pre, X = x, KernelMatrix = k, ExactRows = exactRows,
            MeasuredX = xs, MeasuredKernel = rows is null ? k! : kernel.Evaluate(xs, xs),
        };
    }

    /// <summary>ε of eq. 2 for these draws; on a subsample it is a lower bound and marked as not exact.</summary>
    public SpectralReport Measure(FeatureDraws draws, double lambda)
    {
        var report = SpectralApproximation.Measure(MeasuredKernel, FeatureMap.Build(draws, MeasuredX), lambda);
        return ExactRows ? report : report with { IsExact = false };
    }
}
